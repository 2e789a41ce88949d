/**
 * The main thread's SQLite work alone, on generated rows (ids `E000000000…`, one float64 score):
 * BENCHMARKS.md, "What the afternoon's changes gained".
 *
 * Usage: npx tsx bench/sqlite-writes.ts [--rows N] [--runs K]
 *
 * 1. The statements the SQLite sink runs (150-row INSERTs into a WITHOUT ROWID table, one transaction
 *    per 4,500-row chunk, WAL, synchronous NORMAL), by page size, commits per chunk, and whether the
 *    run's constant columns are stored in each row or kept in the schema as virtual generated columns.
 * 2. The sink itself (openSink → begin → write → publish), a replace run (constants in the schema)
 *    against an upsert run into an empty table (constants in each row).
 * Prints the medians over K runs of wall and CPU milliseconds (process.cpuUsage: this thread is
 * the only busy one) and the file size.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import Database from 'better-sqlite3';

import { openSink } from '../src/sinks/index.js';
import { benchRun } from './bench-run.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '3' } } });
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
const CHUNK = 4_500;
const STEP = 150;
const CONSTANTS = ["'sha256:0123456789ab'", "'20261121T143515Z-251f7e'", "'2026-11-21T14:35:15.390Z'"];
const ids = Array.from({ length: ROWS }, (_, i) => `E${String(i).padStart(9, '0')}`);
const scores = Float64Array.from({ length: ROWS }, (_, i) => ((i * 7919) % 10_007) / 10_007);
const dir = mkdtempSync(join(tmpdir(), 'prescore-sqlite-writes-'));

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly mb: number;
}

function timed(file: string, work: () => Promise<void> | void): Promise<Sample> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return Promise.resolve(work()).then(() => {
    const used = process.cpuUsage(cpu);
    return { wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000, mb: statSync(file).size / 1e6 };
  });
}

function statements(file: string, pageSize: number, chunksPerCommit: number, inSchema: boolean): void {
  const db = new Database(file);
  db.pragma(`page_size = ${pageSize}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const constant = (name: string, i: number): string => (inSchema ? `"${name}" TEXT GENERATED ALWAYS AS (${CONSTANTS[i]}) VIRTUAL` : `"${name}" TEXT`);
  db.exec(`CREATE TABLE s (entity_id TEXT, score REAL, ${['model_version', 'run_id', 'scored_at'].map(constant).join(', ')}, PRIMARY KEY (entity_id)) WITHOUT ROWID`);
  const tuple = inSchema ? '(?, ?)' : `(?, ?, ${CONSTANTS.join(', ')})`;
  const insert = db.prepare(`INSERT INTO s (entity_id, score${inSchema ? '' : ', model_version, run_id, scored_at'}) VALUES ${new Array<string>(STEP).fill(tuple).join(', ')}`);
  const params = new Array<string | number>(STEP * 2);
  let open = 0;
  for (let chunk = 0; chunk < ROWS; chunk += CHUNK) {
    if (open === 0) db.exec('BEGIN IMMEDIATE');
    for (let row = chunk; row + STEP <= Math.min(ROWS, chunk + CHUNK); row += STEP) {
      for (let i = 0; i < STEP; i++) {
        params[2 * i] = ids[row + i]!;
        params[2 * i + 1] = scores[row + i]!;
      }
      insert.run(params);
    }
    if (++open === chunksPerCommit) {
      db.exec('COMMIT');
      open = 0;
    }
  }
  if (open > 0) db.exec('COMMIT');
  db.close();
}

async function sink(file: string, mode: 'replace' | 'upsert'): Promise<void> {
  const opened = await openSink(`sqlite:${file}`);
  const writer = await opened.begin(benchRun(mode));
  for (let at = 0; at < ROWS; at += CHUNK) {
    await writer.write({ ids: ids.slice(at, at + CHUNK), columns: [scores.slice(at, at + CHUNK)] });
  }
  await writer.publish({ rowsRead: ROWS, rowsScored: ROWS, rowsRejected: 0, scoreMin: 0, scoreMean: 0.5, scoreMax: 1 });
  await opened.close();
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

const cases: { name: string; work: (file: string) => Promise<void> | void }[] = [];
for (const pageSize of [4096, 16384, 65536]) {
  for (const chunksPerCommit of [1, 8]) {
    for (const inSchema of [false, true]) {
      cases.push({ name: `statements: ${pageSize / 1024} KiB pages, commit per ${chunksPerCommit} chunk(s), constants ${inSchema ? 'in the schema' : 'in each row'}`, work: (file) => statements(file, pageSize, chunksPerCommit, inSchema) });
    }
  }
}
cases.push({ name: 'sink: replace run (constants in the schema)', work: (file) => sink(file, 'replace') });
cases.push({ name: 'sink: upsert run into an empty table (constants in each row)', work: (file) => sink(file, 'upsert') });

console.log(`${ROWS.toLocaleString('en-US')} rows, medians of ${RUNS} runs\n\n| case | wall ms | CPU ms | file MB |\n|---|---:|---:|---:|`);
for (const c of cases) {
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await timed(join(dir, 'bench.db'), () => c.work(join(dir, 'bench.db'))));
  console.log(`| ${c.name} | ${Math.round(median(samples.map((s) => s.wallMs)))} | ${Math.round(median(samples.map((s) => s.cpuMs)))} | ${median(samples.map((s) => s.mb)).toFixed(1)} |`);
}
rmSync(dir, { recursive: true, force: true });
