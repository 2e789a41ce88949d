import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { entityIds, publishRun } from './run-fixtures.js';
import { POSTGRES_URL, sinkTargets, type SinkTarget } from './sink-targets.js';

const targets = await sinkTargets();
afterAll(async () => Promise.all(targets.map((t) => t.cleanup())));

/** What one read of the published table saw: its row count, the smallest and largest run id, whether `e0` was found. */
interface Observation {
  readonly n: number;
  readonly first: string | null;
  readonly last: string | null;
  readonly found: boolean;
}

interface ReaderReport {
  readonly reads: number;
  readonly errors: readonly string[];
  readonly seen: readonly Observation[];
}

const PUBLISHES = 200;

/** Run `p<i>_n<size>`: the size is in the id, so a reader can tell a whole table from a partial one. */
const runIdOf = (i: number): string => `p${i}_n${i + 1}`;
const sizeOf = (runId: string): number => Number(/_n(\d+)$/.exec(runId)?.[1]);

/** Starts a reader on a separate connection (SQLite: a worker thread; Postgres: a pg client) that reads until stopped. */
function startReader(target: SinkTarget, table: string): () => Promise<ReaderReport> {
  if (target.name === 'sqlite') {
    const stop = new SharedArrayBuffer(4);
    const worker = new Worker(new URL('./sqlite-reader.worker.mjs', import.meta.url), { workerData: { path: target.output.slice('sqlite:'.length), table, stop } });
    const report = new Promise<ReaderReport>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    return async () => {
      Atomics.store(new Int32Array(stop), 0, 1);
      return report;
    };
  }
  let stopped = false;
  const loop = (async (): Promise<ReaderReport> => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    const seen = new Map<string, Observation>();
    const errors: string[] = [];
    let reads = 0;
    const relation = `"${target.schema}"."${table}"`;
    while (!stopped) {
      try {
        // Named (server-side prepared) statements, as pooled services use: their cached plans must follow the swap too.
        const summary = await client.query({ name: 'summary', text: `SELECT count(*)::int AS n, min(run_id) AS first, max(run_id) AS last FROM ${relation}` });
        const lookup = await client.query({ name: 'lookup', text: `SELECT score FROM ${relation} WHERE entity_id = $1`, values: ['e0'] });
        const observation = { ...(summary.rows[0] as Omit<Observation, 'found'>), found: lookup.rowCount === 1 };
        seen.set(JSON.stringify(observation), observation);
        reads++;
      } catch (error) {
        errors.push(String(error));
      }
    }
    await client.end();
    return { reads, errors: errors.slice(0, 10), seen: [...seen.values()] };
  })();
  return async () => {
    stopped = true;
    return loop;
  };
}

describe.each(targets)('$name sink: concurrent readers', (target) => {
  it(`never see a partial, empty or missing table during ${PUBLISHES} publishes`, async () => {
    const sink = await target.open();
    await publishRun(sink, 'hot', runIdOf(0), entityIds(1));
    const stopReader = startReader(target, 'hot');
    for (let i = 1; i < PUBLISHES; i++) await publishRun(sink, 'hot', runIdOf(i), entityIds(i + 1));
    const report = await stopReader();
    await sink.close();

    expect(report.errors).toEqual([]);
    expect(report.reads).toBeGreaterThan(PUBLISHES / 4);
    for (const seen of report.seen) {
      expect(seen.first, JSON.stringify(seen)).toBe(seen.last);
      expect(seen.n, JSON.stringify(seen)).toBe(sizeOf(seen.first ?? ''));
      expect(seen.found, JSON.stringify(seen)).toBe(true);
    }
    // The reader really ran alongside the publishes: it saw several versions.
    expect(new Set(report.seen.map((s) => s.first)).size).toBeGreaterThan(5);
  }, 60_000);
});
