// What decoding a chunk's ids costs a worker, three ways (BENCHMARKS.md, "The third Intel VM"):
// one Buffer.toString('latin1', start, end) per id, as the parser did; one latin1Slice per id; and
// the parser's way since 553cc85, one decode of the ids packed one after another, then a substring
// per id. 4,300 ten-character ASCII ids 232 bytes apart in a 1 MiB buffer, as in a benchmark chunk.
// Usage: node --max-semi-space-size=2 --single-threaded bench/id-decoding.mjs
import { performance } from 'node:perf_hooks';

const buffer = Buffer.alloc(1 << 20);
for (let i = 0; i < buffer.length; i++) buffer[i] = 65 + (i % 26);
const ids = 4300;
const starts = Int32Array.from({ length: ids }, (_, r) => r * 232);
const ends = starts.map((start) => start + 10);

const packed = Buffer.alloc(ids * 10);
const packedEnds = new Int32Array(ids);
for (let r = 0, at = 0; r < ids; r++) {
  at += buffer.copy(packed, at, starts[r], ends[r]);
  packedEnds[r] = at;
}

// Loops that push, as the parser's do.
const ways = {
  toString: () => {
    const out = [];
    for (let r = 0; r < ids; r++) out.push(buffer.toString('latin1', starts[r], ends[r]));
    return out;
  },
  latin1Slice: () => {
    const out = [];
    for (let r = 0; r < ids; r++) out.push(buffer.latin1Slice(starts[r], ends[r]));
    return out;
  },
  'packed + substring': () => {
    const text = packed.toString('latin1', 0, packedEnds[ids - 1]);
    const out = [];
    for (let r = 0, from = 0; r < ids; r++) {
      out.push(text.substring(from, packedEnds[r]));
      from = packedEnds[r];
    }
    return out;
  },
};
const repeats = 200;
for (let round = 1; round <= 5; round++) {
  const line = Object.entries(ways).map(([name, decode]) => {
    const started = performance.now();
    for (let k = 0; k < repeats; k++) decode();
    return `${name} ${(((performance.now() - started) / repeats / ids) * 1e6).toFixed(0)} ms`;
  });
  console.log(`round ${round}, per 1M ids: ${line.join(', ')}`);
}
