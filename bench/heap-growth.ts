/**
 * The main thread's malloc heap through the two halves of its work, each alone, for 10M rows
 * (BENCHMARKS.md, "What this evening's changes gained", memory): the SQLite sink on generated
 * scored chunks, and reading and cutting the benchmark table into chunks (dropped at once).
 *
 * Usage: node --max-semi-space-size=2 --single-threaded --import tsx bench/heap-growth.ts sqlite|read
 * (`read` needs bench/out/table-10000000.csv: run `make bench` once first). Linux only: it reads the
 * `[heap]` mapping's RSS from /proc/self/smaps every 200 chunks and prints `chunk:heap MB/RSS MB`.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { readChunks } from '../src/chunking/index.js';
import { openSink } from '../src/sinks/index.js';
import { listObjects, openObject } from '../src/sources/index.js';
import { benchRun } from './bench-run.js';

const ROWS = 10_000_000;
const CHUNK_ROWS = 4_500;
const SAMPLE_EVERY = 200;

function heapMb(): number {
  let inHeap = false;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    if (/^[0-9a-f]+-/.test(line)) inHeap = line.endsWith('[heap]');
    else if (inHeap && line.startsWith('Rss:')) return Math.round(Number(line.split(/\s+/)[1]) / 1024);
  }
  return 0;
}

const samples: string[] = [];
const sample = (chunk: number): void => {
  if (chunk % SAMPLE_EVERY === 0) samples.push(`${chunk}:${heapMb()}/${Math.round(process.memoryUsage().rss / 1048576)}`);
};

if (process.argv[2] === 'sqlite') {
  // The SQLite sink itself, a replace run: what the main thread does with each scored chunk.
  const file = join(tmpdir(), 'prescore-heap-growth.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const sink = await openSink(`sqlite:${file}`);
  const writer = await sink.begin(benchRun('replace'));
  for (let chunk = 0; chunk * CHUNK_ROWS < ROWS; chunk++) {
    const first = chunk * CHUNK_ROWS;
    const ids = Array.from({ length: CHUNK_ROWS }, (_, i) => `E${String(first + i).padStart(9, '0')}`);
    await writer.write({ ids, columns: [Float64Array.from(ids, (_, i) => ((first + i) % 10_007) / 10_007)] });
    sample(chunk);
  }
  await writer.publish({ rowsRead: ROWS, rowsScored: ROWS, rowsRejected: 0, scoreMin: 0, scoreMean: 0.5, scoreMax: 1 });
  await sink.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
} else if (process.argv[2] === 'read') {
  const [object] = await listObjects(new URL('./out/table-10000000.csv', import.meta.url).pathname);
  const csv = await readChunks(openObject(object!, {}, true).bytes, { source: object!.uri, targetChunkBytes: 1 << 20 });
  let chunk = 0;
  for await (const _ of csv.chunks) sample(chunk++);
} else {
  throw new Error('usage: heap-growth.ts sqlite|read');
}
console.log(`${process.argv[2]}: chunk:heap MB/RSS MB  ${samples.join(' ')}`);
