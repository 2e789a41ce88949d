import { describe, expect, it } from 'vitest';

import { sharedRunId, type RunIdentity } from '../../src/cli/shared-run-id.js';
import { RUN_ID_RULE } from '../../src/sinks/index.js';

const base: RunIdentity = {
  modelSha256: 'ab'.repeat(32),
  objects: [
    { uri: 'gs://b/export/part-0.csv', size: 10, version: '1700000000000001' },
    { uri: 'gs://b/export/part-1.csv', size: 12, version: '1700000000000002' },
  ],
  config: { table: 'churn', mode: 'replace', features: ['a', 'b'], shards: 4 },
};

describe('sharedRunId', () => {
  it('is the same for every task that sees the same model, objects and options, whatever their order', () => {
    const id = sharedRunId(base);
    expect(id).toMatch(/^shards-[0-9a-f]{20}$/);
    expect(id).toMatch(RUN_ID_RULE);
    expect(sharedRunId({ ...base, objects: [...base.objects].reverse(), config: { shards: 4, features: ['a', 'b'], mode: 'replace', table: 'churn', unset: undefined } })).toBe(id);
  });

  it.each<[string, Partial<RunIdentity>]>([
    ['another model', { modelSha256: 'cd'.repeat(32) }],
    ['a re-exported object (new generation)', { objects: [base.objects[0]!, { ...base.objects[1]!, version: '1700000000000003' }] }],
    ['one object fewer', { objects: [base.objects[0]!] }],
    ['another shard count', { config: { ...base.config, shards: 8 } }],
    ['another feature order', { config: { ...base.config, features: ['b', 'a'] } }],
    ['another execution of the job', { execution: 'churn-x7k2p' }],
  ])('changes with %s', (_, change) => {
    expect(sharedRunId({ ...base, ...change })).not.toBe(sharedRunId(base));
  });
});
