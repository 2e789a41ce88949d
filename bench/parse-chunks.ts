/**
 * A worker's work before inference, on one thread: parsing 1 MiB chunks of the benchmark table into
 * typed columns, building the model's float32 tensor, and the input-drift profile
 * (BENCHMARKS.md, "What the afternoon's changes gained").
 *
 * Usage: npx tsx bench/parse-chunks.ts [--rows N] [--rounds K]   (run `make bench` once first, for the table)
 * Reads the first N rows (default 500,000) of bench/out/table-1000000.csv into memory, then parses
 * them K times (default 5) and prints each round's milliseconds per 1M rows; the first rounds warm
 * the JIT, so compare the last ones.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import type { InputPlan } from '../src/model/index.js';
import { storeOf } from '../src/scoring/chunk-scorer.js';
import { parseChunk } from '../src/scoring/column-parser.js';
import { featureStats } from '../src/scoring/index.js';
import { buildFeeds } from '../src/scoring/tensor-feeds.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '500000' }, rounds: { type: 'string', default: '5' } } });
const table = readFileSync(new URL('./out/table-1000000.csv', import.meta.url));
const headerEnd = table.indexOf(0x0a);
const header = table.subarray(0, headerEnd).toString().split(',');
const chunks: Buffer[] = [];
let rows = 0;
for (let at = headerEnd + 1; rows < Number(values.rows); ) {
  const end = table.indexOf(0x0a, Math.min(table.length - 1, at + (1 << 20)));
  if (end === -1) break;
  const chunk = Buffer.from(table.subarray(at, end + 1));
  chunks.push(chunk);
  for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) rows++;
  at = end + 1;
}

const numeric = header.slice(1).map((_, i) => i + 1);
const parse = { delimiter: 0x2c, header, idColumn: 0, numeric, text: [], naValues: ['', 'NA'], maxFieldBytes: 1 << 20, maxIdBytes: 1024 };
const plan = { bindings: [{ input: 'features', dtype: 'float32', layout: 'matrix', columnIndexes: numeric }] } as unknown as InputPlan;
const perMillion = (ms: number): string => ((ms * 1e6) / rows).toFixed(0);

for (let round = 1; round <= Number(values.rounds); round++) {
  let parseMs = 0;
  let feedsMs = 0;
  let statsMs = 0;
  for (const bytes of chunks) {
    const started = performance.now();
    const parsed = parseChunk({ index: 0, source: 'table-1000000.csv', firstLine: 1, bytes }, parse);
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
