/**
 * One replace run through the SQLite sink (openSink, begin, writes of 4,500 generated rows,
 * publish) and nothing else: the main thread's staging work, for counting its instructions,
 * which unlike its time do not drift with a noisy VM (BENCHMARKS.md, "What the second Intel VM's session gained").
 *
 * Usage, the instructions per row as the difference of two sizes:
 *   valgrind --tool=callgrind --smc-check=all-non-file --callgrind-out-file=/tmp/cg.%p \
 *     node --import tsx --single-threaded bench/sink-run.ts ROWS
 * with ROWS 9000 and 99000: (total(99000) − total(9000)) / 90,000.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openSink } from '../src/sinks/index.js';
import { benchRun } from './bench-run.js';

const ROWS = Number(process.argv[2] ?? 99_000);
const CHUNK = 4_500;
const ids = Array.from({ length: ROWS }, (_, i) => `E${String(i).padStart(9, '0')}`);
const scores = Float64Array.from({ length: ROWS }, (_, i) => ((i * 7919) % 10_007) / 10_007);
const dir = mkdtempSync(join(tmpdir(), 'prescore-sink-run-'));
try {
  const sink = await openSink(join(dir, 'sink.db'));
  const writer = await sink.begin(benchRun('replace'));
  for (let at = 0; at < ROWS; at += CHUNK) await writer.write({ ids: ids.slice(at, at + CHUNK), columns: [scores.slice(at, at + CHUNK)] });
  await writer.publish({ inputs: [], rowsRead: ROWS, rowsScored: ROWS, rowsRejected: 0, scoreMin: 0, scoreMean: 0.5, scoreMax: 1 });
  await sink.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
