// Summarises the .cpuprofile files `node --cpu-prof --cpu-prof-dir=DIR bin/prescore score …` writes
// (one per thread): self time per function, the top 14 of each thread.
// Usage: node bench/profile-top.mjs DIR
import { readFileSync, readdirSync } from 'node:fs';

const dir = process.argv[2];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
  const profile = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id).callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber}`;
    const micros = profile.timeDeltas[i] ?? 0;
    self.set(key, (self.get(key) ?? 0) + micros);
    total += micros;
  });
  console.log(`== ${file}: ${Math.round(total / 1000)} ms sampled`);
  for (const [key, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`${String(Math.round(micros / 1000)).padStart(7)} ms  ${key}`);
}
