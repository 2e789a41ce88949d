/**
 * The main thread's cutting of a benchmark table into chunks, on one thread: `readChunks` over the
 * table's bytes in memory, fed in 1 MiB pieces as the local store reads them, into buffers handed
 * back as the workers hand them back (BENCHMARKS.md, "The sixth AMD VM"). Reading from disk and
 * hashing are left out.
 *
 * Usage: npx tsx bench/read-chunks.ts [--rounds K] [--table FILE]   (run `make bench` once first, for the table)
 * Reads bench/out/FILE (default table-1000000.csv) into memory, cuts it K times (default 8), and prints
 * the median milliseconds per 1M rows and every round's.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { ChunkBuffers, countLines, DEFAULT_TARGET_CHUNK_BYTES, readChunks } from '../src/chunking/index.js';
import { READ_CHUNK_BYTES } from '../src/sources/read-chunk-bytes.js';
import { BENCH_TABLE } from './bench-table.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '8' }, table: { type: 'string', default: BENCH_TABLE } } });
const table = readFileSync(new URL(`./out/${values.table}`, import.meta.url));
const rows = countLines(table) - 1;

async function* pieces(): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < table.length; at += READ_CHUNK_BYTES) yield table.subarray(at, at + READ_CHUNK_BYTES);
}

const perMillion: number[] = [];
for (let round = 0; round < Number(values.rounds); round++) {
  // As the worker pool makes them: as many as two workers' chunks in flight and one more (worker-pool.ts).
  const buffers = ChunkBuffers.forChunks(DEFAULT_TARGET_CHUNK_BYTES, 5);
  const started = performance.now();
  const { chunks } = await readChunks(pieces(), { source: values.table, allocate: (length) => buffers.take(length) });
  for await (const chunk of chunks) buffers.give(chunk.bytes.buffer as ArrayBuffer);
  perMillion.push(((performance.now() - started) * 1e6) / rows);
}
const sorted = [...perMillion].sort((a, b) => a - b);
const mid = sorted.length >> 1;
const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
console.log(`cutting ${values.table}: median ${median.toFixed(1)} ms per 1M rows; rounds ${perMillion.map((ms) => ms.toFixed(0)).join(' ')}`);
