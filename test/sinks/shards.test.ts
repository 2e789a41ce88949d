import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShardStart, ShardWriter, Sink } from '../../src/sinks/index.js';
import { entityIds, runStart, totalsFor, writeScores } from './run-fixtures.js';
import { sinkTargets } from './sink-targets.js';

const targets = await sinkTargets();
afterAll(async () => Promise.all(targets.map((t) => t.cleanup())));
const postgres = targets.find((t) => t.name === 'postgres');
const sqlite = targets.find((t) => t.name === 'sqlite')!;

/** Each shard is its own process in production: here its own sink, on its own connection. */
let sinks: Sink[] = [];
async function openSinks(n: number): Promise<Sink[]> {
  sinks = await Promise.all(Array.from({ length: n }, () => postgres!.open()));
  return sinks;
}
afterEach(async () => {
  await Promise.all(sinks.map((s) => s.close()));
  sinks = [];
});

const startedAt = runStart('t', 'r').startedAt;
const shardRun = (table: string, runId: string) => runStart(table, runId, { startedAt });
const shard = (index: number, count: number, gate?: ShardStart['gate']): ShardStart => ({ index, count, ...(gate ? { gate } : {}) });

async function writeShard(writer: ShardWriter, ids: readonly string[], score: number): Promise<void> {
  await writeScores(writer, ids, score);
  await writer.publish({ ...totalsFor(ids.length), inputs: [{ uri: 'file:///in.csv', size: 1 }] });
}

describe.skipIf(postgres === undefined)('postgres sink: sharded runs', () => {
  const target = postgres!;
  let table = '';
  let n = 0;
  beforeEach(() => {
    table = `sh${++n}`;
  });

  it('publishes once, when the last shard finishes, with the whole run’s totals and exactly the documented columns', async () => {
    const [a, b, c] = await openSinks(3);
    const writers = [await a!.beginShard(shardRun(table, 'r1'), shard(0, 3)), await b!.beginShard(shardRun(table, 'r1'), shard(1, 3)), await c!.beginShard(shardRun(table, 'r1'), shard(2, 3))];
    await writeShard(writers[1]!, entityIds(3, 'b'), 0.5);
    await writeShard(writers[0]!, entityIds(2, 'a'), 0.25);
    expect(writers[0]!.outcome).toMatchObject({ published: false, shardsDone: 2, shardCount: 3 });
    expect(await target.tables(table)).toEqual([`${table}__staging_r1`]);
    await writeShard(writers[2]!, entityIds(1, 'c'), 1);
    expect(writers[2]!.outcome).toMatchObject({ published: true, shardsDone: 3, totals: { rowsRead: 6, rowsScored: 6, scoreMin: 0.25, scoreMax: 1 } });
    expect(await target.tables(table)).toEqual([table]);
    const rows = await target.query<{ entity_id: string; score: number }>(`SELECT * FROM "${table}" ORDER BY entity_id`);
    expect(rows.map((r) => r.entity_id)).toEqual(['a0', 'a1', 'b0', 'b1', 'b2', 'c0']);
    expect(Object.keys(rows[0]!)).toEqual(['entity_id', 'score', 'model_version', 'run_id', 'scored_at']);
    const [run] = await a!.runs(table);
    expect(run).toMatchObject({ runId: 'r1', status: 'published', rowsRead: 6, rowsScored: 6, scoreMin: 0.25, scoreMax: 1, details: { shards: 3 } });
    expect(run!.scoreMean).toBeCloseTo((0.25 * 2 + 0.5 * 3 + 1) / 6, 12);
    expect(run!.inputs).toEqual([{ uri: 'file:///in.csv', size: 1 }]);
    const shards = await target.query<{ shard: number; status: string }>('SELECT CAST(shard AS INTEGER) AS shard, status FROM prescore_shards WHERE table_name = ? ORDER BY shard', [table]);
    expect(shards).toEqual([0, 1, 2].map((s) => ({ shard: s, status: 'done' })));
  });

  it('upserts: the shards’ rows merge into the published table', async () => {
    const [a, b] = await openSinks(2);
    const first = await a!.begin(runStart(table, 'base'));
    await writeScores(first, ['a', 'b', 'c'], 1);
    await first.publish(totalsFor(3));
    const upsert = (runId: string) => runStart(table, runId, { startedAt, mode: 'upsert' });
    await writeShard(await a!.beginShard(upsert('u1'), shard(0, 2)), ['b'], 2);
    await writeShard(await b!.beginShard(upsert('u1'), shard(1, 2)), ['d'], 2);
    const rows = await target.query<{ entity_id: string; score: number; run_id: string }>(`SELECT entity_id, score, run_id FROM "${table}" ORDER BY entity_id`);
    expect(rows).toEqual([
      { entity_id: 'a', score: 1, run_id: 'base' },
      { entity_id: 'b', score: 2, run_id: 'u1' },
      { entity_id: 'c', score: 1, run_id: 'base' },
      { entity_id: 'd', score: 2, run_id: 'u1' },
    ]);
    expect(await target.tables(table)).toEqual([table, `${table}__v_base`]);
  });

  it('lets a failed shard be retried: the retry replaces its rows and rejects, and the run publishes once', async () => {
    const [a, b, retry] = await openSinks(3);
    const first = await a!.beginShard(shardRun(table, 'r1'), shard(0, 2));
    await writeScores(first, ['x0', 'x1', 'gone'], 9);
    await first.abort('killed');
    const [failed] = await a!.runs(table);
    expect(failed).toMatchObject({ status: 'running', error: expect.stringContaining('shard 0/2 failed') });
    await writeShard(await b!.beginShard(shardRun(table, 'r1'), shard(1, 2)), ['y0'], 2);
    expect(await target.tables(table)).toEqual([`${table}__staging_r1`]);
    await writeShard(await retry!.beginShard(shardRun(table, 'r1'), shard(0, 2)), ['x0', 'x1'], 1);
    const rows = await target.query<{ entity_id: string; score: number }>(`SELECT entity_id, score FROM "${table}" ORDER BY entity_id`);
    expect(rows).toEqual([
      { entity_id: 'x0', score: 1 },
      { entity_id: 'x1', score: 1 },
      { entity_id: 'y0', score: 2 },
    ]);
    expect(await a!.runs(table)).toMatchObject([{ status: 'published', rowsScored: 3 }]);
  });

  it('stops an earlier attempt of a shard once a retry claimed it, so the shard’s rows come from one attempt', async () => {
    const [old, retry] = await openSinks(2);
    const stale = await old!.beginShard(shardRun(table, 'r1'), shard(0, 2));
    await writeScores(stale, ['s0'], 1);
    const fresh = await retry!.beginShard(shardRun(table, 'r1'), shard(0, 2));
    await expect(writeScores(stale, ['s1'], 1)).rejects.toMatchObject({ code: 'SINK_LOCKED', message: expect.stringContaining('claimed again') });
    await expect(stale.publish(totalsFor(1))).rejects.toMatchObject({ code: 'SINK_LOCKED' });
    await writeScores(fresh, ['f0'], 2);
    const staged = await target.query<{ entity_id: string }>(`SELECT entity_id FROM "${table}__staging_r1" ORDER BY entity_id`);
    expect(staged).toEqual([{ entity_id: 'f0' }]);
    await stale.abort('replaced');
    await fresh.abort('done testing');
  });

  it('keeps other runs out while its shards run, and between them while its heartbeat is fresh', async () => {
    const [a, plain, other] = await openSinks(3);
    const writer = await a!.beginShard(shardRun(table, 'r1'), shard(0, 2));
    await expect(plain!.begin(runStart(table, 'solo'))).rejects.toMatchObject({ code: 'SINK_LOCKED', message: expect.stringContaining('r1') });
    await expect(other!.beginShard(shardRun(table, 'r2'), shard(0, 2))).rejects.toMatchObject({ code: 'SINK_LOCKED', message: expect.stringContaining('r1') });
    await writeShard(writer, ['a'], 1);
    // No shard process of r1 is connected now: its fresh heartbeat alone holds the table.
    await expect(plain!.begin(runStart(table, 'solo'))).rejects.toMatchObject({ code: 'SINK_LOCKED' });
    await expect(other!.beginShard(shardRun(table, 'r2'), shard(0, 2))).rejects.toMatchObject({ code: 'SINK_LOCKED' });
  });

  it('records a run its gate refuses as failed, keeps its staging and publishes nothing', async () => {
    const [a, b] = await openSinks(2);
    const refuse = async (): Promise<undefined> => {
      throw new Error('too many rejects across the shards');
    };
    await writeShard(await a!.beginShard(shardRun(table, 'r1'), shard(0, 2, refuse)), ['a'], 1);
    const last = await b!.beginShard(shardRun(table, 'r1'), shard(1, 2, refuse));
    await writeScores(last, ['b'], 1);
    await expect(last.publish(totalsFor(1))).rejects.toThrow('too many rejects');
    await last.abort('too many rejects across the shards');
    expect(await a!.runs(table)).toMatchObject([{ runId: 'r1', status: 'failed', error: 'too many rejects across the shards', rowsScored: 2 }]);
    expect(await target.tables(table)).toEqual([`${table}__staging_r1`]);
    // A retried shard cannot restart the failed run alone, nor erase its record.
    await expect(b!.beginShard(shardRun(table, 'r1'), shard(1, 2))).rejects.toMatchObject({ code: 'SINK_FAILED', message: expect.stringContaining('too many rejects') });
    expect(await a!.runs(table)).toMatchObject([{ runId: 'r1', status: 'failed' }]);
    // The table is free again.
    const next = await a!.begin(runStart(table, 'r2'));
    await next.abort('free');
  });

  it('refuses a shard that disagrees with the run it joins, and a run that has ended', async () => {
    const [a, b] = await openSinks(2);
    const writer = await a!.beginShard(shardRun(table, 'r1'), shard(0, 2));
    await expect(b!.beginShard(shardRun(table, 'r1'), shard(1, 3))).rejects.toMatchObject({ code: 'SINK_FAILED', message: expect.stringContaining('2 shards, this process says 3') });
    await expect(b!.beginShard(runStart(table, 'r1', { startedAt, mode: 'upsert' }), shard(1, 2))).rejects.toMatchObject({ code: 'SINK_FAILED', message: expect.stringContaining('mode') });
    await writeShard(writer, ['a'], 1);
    await writeShard(await b!.beginShard(shardRun(table, 'r1'), shard(1, 2)), ['b'], 1);
    await expect(b!.beginShard(shardRun(table, 'r1'), shard(1, 2))).rejects.toMatchObject({ code: 'SINK_FAILED', message: expect.stringContaining('ended already') });
  });
});

describe('sqlite sink: sharded runs', () => {
  it('are refused: SQLite is single-machine', async () => {
    const sink = await sqlite.open();
    try {
      await expect(sink.beginShard(runStart('t', 'r1'), shard(0, 2))).rejects.toMatchObject({ code: 'USAGE_INVALID_OPTION', exitCode: 2 });
    } finally {
      await sink.close();
    }
  });
});
