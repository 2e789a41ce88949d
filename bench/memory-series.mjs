// Resident memory of one command every half second, split as /proc/PID/smaps sees it (Linux): the
// main thread's malloc heap ([heap]), anonymous mappings (V8's heaps, the workers' malloc arenas) and
// mapped files, to tell which part grows over a run (BENCHMARKS.md, "Memory").
// Usage: node bench/memory-series.mjs COMMAND [ARGS…]   prints "seconds heap/anon/file MB" per sample
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { clearInterval, setInterval } from 'node:timers';

const child = spawn(process.argv[2], process.argv.slice(3), { stdio: ['ignore', 'ignore', 'inherit'] });
const started = Date.now();
const samples = [];

function sample() {
  let smaps;
  try {
    smaps = readFileSync(`/proc/${child.pid}/smaps`, 'utf8');
  } catch {
    return; // not started yet, or already gone
  }
  const kb = { heap: 0, anon: 0, file: 0 };
  let kind = 'anon';
  for (const line of smaps.split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) {
      const name = line.split(/\s+/)[5] ?? '';
      kind = name === '[heap]' ? 'heap' : name === '' ? 'anon' : 'file';
    } else if (line.startsWith('Rss:')) {
      kb[kind] += Number(line.split(/\s+/)[1]);
    }
  }
  const mb = (n) => Math.round(n / 1024);
  samples.push(`${((Date.now() - started) / 1000).toFixed(1)}s ${mb(kb.heap)}/${mb(kb.anon)}/${mb(kb.file)}`);
}

const timer = setInterval(sample, 500);
child.on('exit', (code) => {
  clearInterval(timer);
  console.log(`heap/anon/file MB (exit ${code}): ${samples.join('  ')}`);
});
