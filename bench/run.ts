/**
 * `make bench`: prescore against the pandas + scikit-learn + sqlite3 peer on the
 * same seeded tables, several rounds of every case, medians of wall time, rows/s
 * and peak RSS (GNU time's maximum resident set size: all threads of the process).
 *
 * Environment: BENCH_ROWS (default "1000000 10000000"), BENCH_RUNS (default 3),
 * BENCH_PEER_ROWS (default: every size of BENCH_ROWS; the peer needs ~0.95 GB per million rows,
 * 9.4 GB and ~55 s a run at 10M: give BENCH_PEER_ROWS=1000000 on a smaller machine),
 * BENCH_ROUNDTRIP_ROWS (default "1000000", "" for none): sizes of the same table written as
 * pandas writes floats, 16–17 digits each, for the logistic model and the peer.
 * Writes bench/out/results.json and prints a Markdown table.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

const ROOT = new URL('../', import.meta.url).pathname;
const OUT = `${ROOT}bench/out/`;
const rowsList = (process.env.BENCH_ROWS ?? '1000000 10000000').split(/\s+/).filter(Boolean).map(Number);
const peerRows = new Set(process.env.BENCH_PEER_ROWS === undefined ? rowsList : process.env.BENCH_PEER_ROWS.split(/\s+/).filter(Boolean).map(Number));
const runs = Number(process.env.BENCH_RUNS ?? 3);
const roundtripRows = (process.env.BENCH_ROUNDTRIP_ROWS ?? '1000000').split(/\s+/).filter(Boolean).map(Number);

interface Sample {
  readonly seconds: number;
  readonly rssMb: number;
  readonly timings?: Record<string, number>;
}

/**
 * Reads a file once, so that the timed run finds it in the page cache. A VM here dropped file pages
 * while the peer held 9.3 GB (after a bench, `fincore` found the 1M-row table evicted), and a 10M-row
 * run right after took 16.3 s with 4.9 s of system time, the next two 13.1 and 11.3 s with 2.0 and
 * 1.5. Every case, the peer's too, now starts from a cached table.
 */
function warm(path: string): void {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(16 << 20);
  try {
    while (readSync(fd, buffer, 0, buffer.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}

function measure(command: string[], db: string, input: string): Sample {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
  warm(input);
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', ...command], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed (${result.status}):\n${result.stderr.slice(-2000)}`);
  const last = result.stderr.trim().split('\n').at(-1)!.split(' ');
  const summary = result.stdout.trim().split('\n').at(-1) ?? '{}';
  const timings = (JSON.parse(summary) as { timings?: Record<string, number> }).timings;
  return { seconds: Number(last[0]), rssMb: Number(last[1]) / 1024, ...(timings ? { timings } : {}) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// The executable itself, as users run it: its shebang sets the main thread's V8 flags.
const prescore = (model: string, table: string): string[] => [
  'bin/prescore', 'score', '--model', `${OUT}${model}`, '--input', `${OUT}table-${table}.csv`, '--id-column', 'id',
  '--output', `${OUT}prescore.db`, '--table', 'scores', '--log-format', 'json',
];
const peer = (table: string): string[] => ['/usr/bin/python3', 'bench/peer.py', `${OUT}table-${table}.csv`, `${OUT}logreg-32.json`, `${OUT}peer.db`];

const tables = [...rowsList.map(String), ...roundtripRows.map((rows) => `${rows}-roundtrip`)];
execFileSync('npx', ['tsx', 'bench/make-inputs.ts', ...tables], { cwd: ROOT, stdio: 'inherit' });

const cases: { name: string; rows: number; table: string; command: string[]; db: string }[] = [];
for (const rows of rowsList) {
  const table = String(rows);
  cases.push({ name: 'prescore logistic', rows, table, command: prescore('logreg-32.onnx', table), db: `${OUT}prescore.db` });
  if (peerRows.has(rows)) cases.push({ name: 'peer logistic (pandas)', rows, table, command: peer(table), db: `${OUT}peer.db` });
  cases.push({ name: 'prescore 100 trees × depth 6', rows, table, command: prescore('trees-100x6.onnx', table), db: `${OUT}prescore.db` });
}
for (const rows of roundtripRows) {
  const table = `${rows}-roundtrip`;
  cases.push({ name: 'prescore logistic, 17-digit floats', rows, table, command: prescore('logreg-32.onnx', table), db: `${OUT}prescore.db` });
  cases.push({ name: 'peer logistic (pandas), 17-digit floats', rows, table, command: peer(table), db: `${OUT}peer.db` });
}

// Round by round, every case of a table once per round: a VM whose speed drifts over minutes then
// slows prescore and the peer alike, and the ratio compares runs taken side by side.
const sampled = new Map(cases.map((c) => [c, [] as Sample[]]));
for (const table of tables) {
  for (let i = 0; i < runs; i++) {
    for (const c of cases.filter((each) => each.table === table)) {
      const samples = sampled.get(c)!;
      samples.push(measure(c.command, c.db, `${OUT}table-${c.table}.csv`));
      process.stderr.write(`${c.name} ${c.rows}: run ${i + 1}/${runs} ${samples.at(-1)!.seconds} s\n`);
    }
  }
}

const results = cases.map((c) => {
  const samples = sampled.get(c)!;
  const seconds = median(samples.map((s) => s.seconds));
  const phases = samples[0]!.timings ? Object.fromEntries(Object.keys(samples[0]!.timings).map((k) => [k, median(samples.map((s) => s.timings![k]!))])) : undefined;
  return { ...c, seconds, rowsPerSecond: Math.round(c.rows / seconds), rssMb: Math.round(median(samples.map((s) => s.rssMb))), phases, samples };
});

const lines = [
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}; ${runs} runs each, medians`,
  '',
  '| case | rows | wall s | rows/s | peak RSS MB | vs peer |',
  '|---|---:|---:|---:|---:|---:|',
  ...results.map((r) => {
    // The peer scores the logistic model only: a ratio for another model would compare different jobs.
    const base = results.find((p) => p.name.startsWith('peer') && p.table === r.table);
    const ratio = base && r.name.startsWith('prescore logistic') ? `${(base.seconds / r.seconds).toFixed(1)}× faster, ${(base.rssMb / r.rssMb).toFixed(1)}× less memory` : '';
    return `| ${r.name} | ${r.rows.toLocaleString('en-US')} | ${r.seconds.toFixed(2)} | ${r.rowsPerSecond.toLocaleString('en-US')} | ${r.rssMb} | ${ratio} |`;
  }),
  '',
  'where prescore\'s time goes (ms, medians; parse and infer are summed over worker threads):',
  '',
  '| case | rows | wall | read | parse | infer | write | publish |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  ...results.filter((r) => r.phases).map((r) => `| ${r.name} | ${r.rows.toLocaleString('en-US')} | ${['wallMs', 'readMs', 'parseMs', 'inferMs', 'writeMs', 'publishMs'].map((k) => Math.round(r.phases![k]!)).join(' | ')} |`),
];
writeFileSync(`${OUT}results.json`, JSON.stringify(results, null, 2));
console.log(lines.join('\n'));
