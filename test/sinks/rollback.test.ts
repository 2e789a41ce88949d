import { expect, it } from 'vitest';
import { entityIds, publishRun } from './run-fixtures.js';
import { describeEachSink, sinkTargets } from './sink-targets.js';

describeEachSink(await sinkTargets(), 'rollback', (target, sink) => {
  const publishedRun = async (table: string) => {
    const rows = await target.query<{ run_id: string; n: number | string }>(`SELECT min(run_id) AS run_id, count(*) AS n FROM "${table}"`);
    return { runId: rows[0]?.run_id, rows: Number(rows[0]?.n) };
  };
  const statuses = async (table: string) => Object.fromEntries((await sink().runs(table)).map((r) => [r.runId, r.status]));

  it('restores the previous published version, then the one before it, skipping rolled-back ones', async () => {
    for (const [i, runId] of ['a', 'b', 'c'].entries()) await publishRun(sink(), 'rb', runId, entityIds(i + 1));
    expect(await sink().rollback('rb')).toBe('b');
    expect(await publishedRun('rb')).toEqual({ runId: 'b', rows: 2 });
    expect(await statuses('rb')).toEqual({ a: 'superseded', b: 'published', c: 'rolled_back' });
    expect(await sink().rollback('rb')).toBe('a');
    expect(await publishedRun('rb')).toEqual({ runId: 'a', rows: 1 });
    expect(await statuses('rb')).toEqual({ a: 'published', b: 'rolled_back', c: 'rolled_back' });
    expect(await target.tables('rb')).toEqual(['rb', 'rb__v_b', 'rb__v_c']);
  });

  it('restores a named version with --to, and the rolled-back one stays kept for undoing it', async () => {
    for (const [i, runId] of ['t1', 't2', 't3'].entries()) await publishRun(sink(), 'rbto', runId, entityIds(i + 1));
    expect(await sink().rollback('rbto', 't1')).toBe('t1');
    expect(await publishedRun('rbto')).toEqual({ runId: 't1', rows: 1 });
    expect(await sink().rollback('rbto', 't3')).toBe('t3');
    expect(await publishedRun('rbto')).toEqual({ runId: 't3', rows: 3 });
    expect(await statuses('rbto')).toEqual({ t1: 'rolled_back', t2: 'superseded', t3: 'published' });
  });

  it('a publish after a rollback keeps the versions most recently published', async () => {
    for (const runId of ['p1', 'p2', 'p3']) await publishRun(sink(), 'rbp', runId, ['e']);
    await sink().rollback('rbp');
    await publishRun(sink(), 'rbp', 'p4', ['e']);
    expect(await target.tables('rbp')).toEqual(['rbp', 'rbp__v_p2', 'rbp__v_p3']);
    expect(await sink().rollback('rbp')).toBe('p2');
  });

  it('fails with SINK_NO_PREVIOUS_VERSION listing the versions kept when there is none to restore', async () => {
    await expect(sink().rollback('never')).rejects.toMatchObject({ code: 'SINK_NO_PREVIOUS_VERSION', message: expect.stringMatching(/nothing is published.*Versions kept: none/) });
    await publishRun(sink(), 'once', 'o1', ['e']);
    await expect(sink().rollback('once')).rejects.toMatchObject({ code: 'SINK_NO_PREVIOUS_VERSION', message: expect.stringMatching(/no superseded version before run o1.*Versions kept: none/) });
    await publishRun(sink(), 'once', 'o2', ['e']);
    await expect(sink().rollback('once', 'nope')).rejects.toMatchObject({
      code: 'SINK_NO_PREVIOUS_VERSION',
      message: expect.stringMatching(/run nope has no kept version.*Versions kept: o1 \(superseded, published 20/),
    });
    await expect(sink().rollback('once', 'o2')).rejects.toMatchObject({ code: 'SINK_NO_PREVIOUS_VERSION', message: expect.stringMatching(/o2 is the published version already/) });
    expect(await publishedRun('once')).toEqual({ runId: 'o2', rows: 1 });
    await expect(sink().rollback('once')).resolves.toBe('o1');
  });
});
