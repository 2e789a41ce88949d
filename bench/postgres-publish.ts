/**
 * Times publishing scored rows to Postgres through the Sink (begin → write → publish), the way
 * `prescore score` does, on generated rows: ids `E000000000…`, one float64 score each.
 *
 * Usage: npx tsx bench/postgres-publish.ts [--rows N] [--runs K] [--batch-rows B] [--shards S] [--url URL] [--json]
 *   --rows        rows per run (default 1000000)
 *   --runs        timed runs; the median is reported (default 5)
 *   --batch-rows  rows per write() call, as one scored chunk (default 16384)
 *   --shards      write the run as S shards on S connections at once, as S processes would (default 1: a plain run)
 *   --url         Postgres URL (default $PRESCORE_TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/test)
 *   --json        print one JSON line instead of the table
 * Each run publishes into a fresh schema, dropped afterwards. Prints per run: begin, write, publish and
 * total seconds (with shards: the slowest shard's write, and the last shard's publish), then the medians.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

import pg from 'pg';

import { openSink, redactUrl } from '../src/sinks/index.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '5' },
    'batch-rows': { type: 'string', default: '16384' },
    shards: { type: 'string', default: '1' },
    url: { type: 'string', default: process.env.PRESCORE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    json: { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
const runs = Number(values.runs);
const batchRows = Number(values['batch-rows']);
const shards = Number(values.shards);
const url = values.url;

interface Timing {
  readonly begin: number;
  readonly write: number;
  readonly publish: number;
  readonly total: number;
}

/** The ids and scores of one batch, made before the clock starts so only the sink is timed. */
function makeBatches(): { ids: string[]; scores: Float64Array }[] {
  const batches: { ids: string[]; scores: Float64Array }[] = [];
  for (let start = 0; start < rows; start += batchRows) {
    const count = Math.min(batchRows, rows - start);
    const ids = Array.from({ length: count }, (_, i) => `E${String(start + i).padStart(9, '0')}`);
    const scores = Float64Array.from({ length: count }, (_, i) => ((start + i) * 0.618034) % 1);
    batches.push({ ids, scores });
  }
  return batches;
}

async function timeOne(admin: pg.Client, batches: ReturnType<typeof makeBatches>): Promise<Timing> {
  const schema = `prescore_bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE SCHEMA "${schema}"`);
  try {
    const sinks = await Promise.all(Array.from({ length: shards }, () => openSink(url, { schema })));
    try {
      const run = {
        runId: `bench_${randomBytes(3).toString('hex')}`,
        table: 'bench_scores',
        mode: 'replace' as const,
        modelUri: 'bench://model',
        modelSha256: '0'.repeat(64),
        modelVersion: 'bench',
        inputs: [],
        outputColumns: [{ name: 'score', type: 'real' as const }],
        startedAt: new Date().toISOString(),
        toolVersion: 'bench',
      };
      const t0 = performance.now();
      const writers = shards === 1 ? [await sinks[0]!.begin(run)] : await Promise.all(sinks.map((sink, index) => sink.beginShard(run, { index, count: shards })));
      const t1 = performance.now();
      // As score-job does: each process's writes are chained, one at a time; a shard writes every S-th batch.
      const ends = await Promise.all(
        writers.map(async (writer, s) => {
          const mine = batches.filter((_, i) => i % shards === s);
          for (const batch of mine) await writer.write({ ids: batch.ids, columns: [batch.scores] });
          const written = performance.now();
          const n = mine.reduce((k, b) => k + b.ids.length, 0);
          await writer.publish({ rowsRead: n, rowsScored: n, rowsRejected: 0, scoreMin: 0, scoreMean: 0.5, scoreMax: 1 });
          return { written, published: performance.now() };
        }),
      );
      const t2 = Math.max(...ends.map((e) => e.written));
      const t3 = Math.max(...ends.map((e) => e.published));
      const count = (await admin.query(`SELECT count(*)::int AS n FROM "${schema}".bench_scores`)).rows[0] as { n: number };
      if (count.n !== rows) throw new Error(`published ${count.n} rows, expected ${rows}`);
      return { begin: (t1 - t0) / 1000, write: (t2 - t1) / 1000, publish: (t3 - t2) / 1000, total: (t3 - t0) / 1000 };
    } finally {
      await Promise.all(sinks.map((sink) => sink.close()));
    }
  } finally {
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
  }
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const admin = new pg.Client({ connectionString: url });
await admin.connect();
try {
  const batches = makeBatches();
  const timings: Timing[] = [];
  for (let i = 0; i < runs; i++) {
    const t = await timeOne(admin, batches);
    timings.push(t);
    if (!values.json) console.log(`run ${i + 1}: begin ${t.begin.toFixed(3)} s, write ${t.write.toFixed(3)} s, publish ${t.publish.toFixed(3)} s, total ${t.total.toFixed(3)} s`);
  }
  const med = (key: keyof Timing): number => median(timings.map((t) => t[key]));
  const result = { rows, runs, batchRows, shards, url: redactUrl(url), begin: med('begin'), write: med('write'), publish: med('publish'), total: med('total'), rowsPerSecond: Math.round(rows / med('total')) };
  if (values.json) console.log(JSON.stringify(result));
  else console.log(`median of ${runs}${shards > 1 ? ` (${shards} shards)` : ''}: write ${result.write.toFixed(3)} s + publish ${result.publish.toFixed(3)} s = ${result.total.toFixed(3)} s for ${rows.toLocaleString('en-US')} rows (${result.rowsPerSecond.toLocaleString('en-US')} rows/s)`);
} finally {
  await admin.end();
}
