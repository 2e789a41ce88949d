/**
 * The main thread's malloc heap through the two halves of its work, each alone, for 10M rows
 * (BENCHMARKS.md, "What this evening's changes gained", memory): the sink's statements on
 * generated rows, and reading and cutting the benchmark table into chunks (dropped at once).
 *
 * Usage: node --max-semi-space-size=2 --single-threaded --import tsx bench/heap-growth.ts sqlite|read
 * (`read` needs bench/out/table-10000000.csv: run `make bench` once first). Linux only: it reads the
 * `[heap]` mapping's RSS from /proc/self/smaps every 200 chunks and prints `chunk:heap MB/RSS MB`.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { readChunks } from '../src/chunking/index.js';
import { listObjects, openObject } from '../src/sources/index.js';

const ROWS = 10_000_000;
const CHUNK_ROWS = 4_500;
const ROWS_PER_INSERT = 150;
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
  // The SQLite sink's statements for a replace run: WAL, 150-row INSERTs, a commit per chunk.
  const file = join(tmpdir(), 'prescore-heap-growth.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE s (entity_id TEXT, score REAL, model_version TEXT GENERATED ALWAYS AS ('m') VIRTUAL, PRIMARY KEY (entity_id)) WITHOUT ROWID`);
  const insert = db.prepare(`INSERT INTO s (entity_id, score) VALUES ${new Array<string>(ROWS_PER_INSERT).fill('(?, ?)').join(', ')}`);
  const params = new Array<string | number>(ROWS_PER_INSERT * 2);
  for (let chunk = 0; chunk * CHUNK_ROWS < ROWS; chunk++) {
    db.exec('BEGIN');
    for (let row = chunk * CHUNK_ROWS; row < (chunk + 1) * CHUNK_ROWS; row += ROWS_PER_INSERT) {
      for (let i = 0; i < ROWS_PER_INSERT; i++) {
        params[2 * i] = `E${String(row + i).padStart(9, '0')}`;
        params[2 * i + 1] = ((row + i) % 10_007) / 10_007;
      }
      insert.run(params);
    }
    db.exec('COMMIT');
    sample(chunk);
  }
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
} else if (process.argv[2] === 'read') {
  const [object] = await listObjects(new URL('./out/table-10000000.csv', import.meta.url).pathname);
  const csv = await readChunks(openObject(object!).bytes, { source: object!.uri, targetChunkBytes: 1 << 20 });
  let chunk = 0;
  for await (const _ of csv.chunks) sample(chunk++);
} else {
  throw new Error('usage: heap-growth.ts sqlite|read');
}
console.log(`${process.argv[2]}: chunk:heap MB/RSS MB  ${samples.join(' ')}`);
