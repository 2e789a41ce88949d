import { describe, expect, it } from 'vitest';

import { resolveShard } from '../../src/cli/shard-option.js';

const PG = 'postgres://u@db/prod';

describe('resolveShard', () => {
  it('takes --shard I/N, 0-based, and refuses a --shards that disagrees', () => {
    expect(resolveShard({ shard: '2/4', output: PG }, {})).toEqual({ index: 2, count: 4 });
    expect(resolveShard({ shard: ' 0 / 3 ', shards: 3, output: PG }, {})).toEqual({ index: 0, count: 3 });
    expect(() => resolveShard({ shard: '1/4', shards: 3, output: PG }, {})).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION', exitCode: 2, value: '1/4' }));
  });

  it.each(['4/4', '-1/4', '1', '1/0', 'a/b', '1/4/2', '1.5/4'])('refuses --shard %s, naming the value', (value) => {
    expect(() => resolveShard({ shard: value, output: PG }, {})).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION', value }));
  });

  it('lets --shard win over the engines’ variables', () => {
    expect(resolveShard({ shard: '1/2', output: PG }, { JOB_COMPLETION_INDEX: '5', CLOUD_RUN_TASK_INDEX: '3', CLOUD_RUN_TASK_COUNT: '9' })).toEqual({ index: 1, count: 2 });
  });

  it('takes a Kubernetes Indexed Job’s index from JOB_COMPLETION_INDEX and its count from --shards, which it requires', () => {
    expect(resolveShard({ shards: 8, output: PG }, { JOB_COMPLETION_INDEX: '7' })).toEqual({ index: 7, count: 8 });
    expect(() => resolveShard({ output: PG }, { JOB_COMPLETION_INDEX: '7' })).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION', message: expect.stringContaining('--shards') }));
    expect(() => resolveShard({ shards: 8, output: PG }, { JOB_COMPLETION_INDEX: '8' })).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION', value: '8' }));
  });

  it('takes Cloud Run’s and GCP Batch’s index and count, in that order, with Cloud Run’s execution name', () => {
    expect(resolveShard({ output: PG }, { CLOUD_RUN_TASK_INDEX: '2', CLOUD_RUN_TASK_COUNT: '3', CLOUD_RUN_EXECUTION: 'churn-x7k2p', BATCH_TASK_INDEX: '0', BATCH_TASK_COUNT: '5' })).toEqual({
      index: 2,
      count: 3,
      execution: 'churn-x7k2p',
    });
    expect(resolveShard({ output: PG }, { BATCH_TASK_INDEX: '4', BATCH_TASK_COUNT: '5' })).toEqual({ index: 4, count: 5 });
    expect(resolveShard({ shards: 5, output: PG }, { BATCH_TASK_INDEX: '4', BATCH_TASK_COUNT: '5' })).toEqual({ index: 4, count: 5 });
    expect(() => resolveShard({ shards: 4, output: PG }, { BATCH_TASK_INDEX: '1', BATCH_TASK_COUNT: '5' })).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION' }));
    expect(() => resolveShard({ output: PG }, { CLOUD_RUN_TASK_INDEX: 'x', CLOUD_RUN_TASK_COUNT: '3' })).toThrow(expect.objectContaining({ value: 'x' }));
  });

  it('is a plain run without any shard source, and with a count of 1 (one-task jobs set the variables too)', () => {
    expect(resolveShard({ output: 'sqlite:x.db' }, {})).toBeUndefined();
    expect(resolveShard({ shards: 1, output: 'sqlite:x.db' }, {})).toBeUndefined();
    expect(resolveShard({ output: 'sqlite:x.db' }, { CLOUD_RUN_TASK_INDEX: '0', CLOUD_RUN_TASK_COUNT: '1' })).toBeUndefined();
    expect(resolveShard({ shard: '0/1', output: 'sqlite:x.db' }, {})).toBeUndefined();
  });

  it('refuses --shards without an index, and a sharded run into SQLite', () => {
    expect(() => resolveShard({ shards: 4, output: PG }, {})).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION', message: expect.stringContaining('index') }));
    expect(() => resolveShard({ shard: '0/2', output: 'sqlite:out/x.db' }, {})).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION', message: expect.stringContaining('SQLite') }));
    expect(() => resolveShard({ output: 'scores.db' }, { BATCH_TASK_INDEX: '0', BATCH_TASK_COUNT: '2' })).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION' }));
  });
});
