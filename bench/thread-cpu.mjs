// CPU seconds per thread of one command, read from /proc while it runs (Linux):
// the main thread's share against the workers' for BENCHMARKS.md ("Thread plan").
// Usage: node bench/thread-cpu.mjs COMMAND [ARGS…]
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { clearInterval, setInterval } from 'node:timers';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const child = spawn(process.argv[2], process.argv.slice(3), { stdio: ['ignore', 'ignore', 'inherit'] });
const threads = new Map();

function sample() {
  let tids;
  try {
    tids = readdirSync(`/proc/${child.pid}/task`);
  } catch {
    return;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${child.pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(tid, { name, seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND });
    } catch {
      // the thread ended between listing and reading
    }
  }
}

const timer = setInterval(sample, 10);
child.on('exit', (code) => {
  clearInterval(timer);
  const rows = [...threads].map(([tid, t]) => ({ tid, ...t, main: tid === String(child.pid) })).filter((t) => t.seconds > 0);
  rows.sort((a, b) => Number(b.main) - Number(a.main) || b.seconds - a.seconds);
  for (const t of rows) console.log(`${t.main ? 'main' : 'thread'} ${t.tid} ${t.name.padEnd(16)} ${t.seconds.toFixed(2)} CPU-s`);
  console.log(`total ${rows.reduce((n, t) => n + t.seconds, 0).toFixed(2)} CPU-s (exit ${code}; threads that ended before the last sample are missing)`);
});
