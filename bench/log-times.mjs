// When each log line of one command appears, in ms from the process's start, beside the time the
// line itself carries: where start-up goes (BENCHMARKS.md, "Start-up"). Pass --log-format json.
// Usage: node bench/log-times.mjs bin/prescore score … --log-format json
import { spawn } from 'node:child_process';

const started = Date.now();
const child = spawn(process.argv[2], process.argv.slice(3), { stdio: ['ignore', 'pipe', 'pipe'] });
let pending = '';
const onData = (data) => {
  pending += data;
  for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
    const line = pending.slice(0, end);
    pending = pending.slice(end + 1);
    try {
      const entry = JSON.parse(line);
      const logged = entry.time === undefined ? '' : String(Date.parse(entry.time) - started).padStart(6);
      console.log(`${String(Date.now() - started).padStart(6)} ${logged.padStart(6)}  ${entry.event ?? entry.status}`);
    } catch {
      // not a JSON line
    }
  }
};
child.stdout.on('data', onData);
child.stderr.on('data', onData);
child.on('exit', (code) => console.log(`${String(Date.now() - started).padStart(6)}         exit ${code}`));
