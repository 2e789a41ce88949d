/**
 * A worker's work before inference, on one thread: parsing 1 MiB chunks of the benchmark table into
 * typed columns, building the model's float32 tensor, and the input-drift profile
 * (BENCHMARKS.md, "What the afternoon's changes gained").
 *
 * Usage: npx tsx bench/parse-chunks.ts [--rows N] [--rounds K] [--table FILE]   (run `make bench` once first, for the table)
 * Reads the first N rows (default 500,000) of bench/out/FILE (default table-1000000.csv; the 17-digit
 * table is table-1000000-roundtrip.csv) into memory, then parses them K times (default 5) and prints
 * each round's milliseconds per 1M rows; the first rounds warm the JIT, so compare the last ones.
 */
import { parseArgs } from 'node:util';

import type { InputPlan } from '../src/model/index.js';
import { storeOf } from '../src/scoring/chunk-scorer.js';
import { parseChunk } from '../src/scoring/column-parser.js';
import { featureStats } from '../src/scoring/index.js';
import { buildFeeds } from '../src/scoring/tensor-feeds.js';
import { BENCH_TABLE, benchTable } from './bench-table.js';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '500000' }, rounds: { type: 'string', default: '5' }, table: { type: 'string', default: BENCH_TABLE } },
});
const { header, chunks, rows, parse } = benchTable(Number(values.rows), values.table);
const plan = { bindings: [{ input: 'features', dtype: 'float32', layout: 'matrix', columnIndexes: parse.numeric }] } as unknown as InputPlan;
const perMillion = (ms: number): string => ((ms * 1e6) / rows).toFixed(0);

for (let round = 1; round <= Number(values.rounds); round++) {
  let parseMs = 0;
  let feedsMs = 0;
  let statsMs = 0;
  for (const bytes of chunks) {
    const started = performance.now();
    const parsed = parseChunk({ index: 0, source: values.table, firstLine: 1, bytes }, parse);
    const parsedAt = performance.now();
    const store = storeOf(parsed, { parse });
    buildFeeds(plan, store, 0, parsed.rows, parsed.rows);
    const fedAt = performance.now();
    featureStats(store, header);
    statsMs += performance.now() - fedAt;
    feedsMs += fedAt - parsedAt;
    parseMs += parsedAt - started;
  }
  console.log(`round ${round}: per 1M rows, parse ${perMillion(parseMs)} ms, tensors ${perMillion(feedsMs)} ms, profile ${perMillion(statsMs)} ms`);
}
