import { describe, expect, it } from 'vitest';

import { ScoreSample, hashId } from '../../src/report/score-sample.js';

const ids = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `C${String(from + i).padStart(7, '0')}`);

/** A deterministic shuffle (xorshift), so a failure reproduces. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('ScoreSample', () => {
  it('keeps every finite score while under capacity, and none of the non-finite ones', () => {
    const sample = new ScoreSample(10);
    sample.add(['a', 'b', 'c', 'd'], new Float32Array([0.5, NaN, 0.25, Infinity]));
    sample.add(['e'], [1n as unknown as number]);
    expect(Array.from(sample.sorted())).toEqual([0.25, 0.5, 1]);
  });

  it('keeps the same rows whatever order and batches they come in', () => {
    const all = ids(5000);
    const score = (id: string): number => Number(id.slice(1)) / 5000;
    const inOrder = new ScoreSample(500);
    inOrder.add(all, all.map(score));
    const mixed = new ScoreSample(500);
    const order = shuffled(all, 7);
    for (let i = 0; i < order.length; i += 333) {
      const batch = order.slice(i, i + 333);
      mixed.add(batch, batch.map(score));
    }
    expect(inOrder.sorted()).toHaveLength(500);
    expect(Array.from(mixed.sorted())).toEqual(Array.from(inOrder.sorted()));
  });

  it('keeps the rows whose ids hash lowest: a uniform sample whose deciles land near the true ones', () => {
    const all = ids(100_000);
    const sample = new ScoreSample(10_000);
    for (let i = 0; i < all.length; i += 8192) {
      const batch = all.slice(i, i + 8192);
      sample.add(batch, batch.map((id) => Number(id.slice(1)) / all.length));
    }
    const sorted = sample.sorted();
    const lowest = [...all].sort((a, b) => hashId(a) - hashId(b) || (a < b ? -1 : 1)).slice(0, 10_000);
    expect(Array.from(sorted)).toEqual(lowest.map((id) => Number(id.slice(1)) / all.length).sort((a, b) => a - b));
    // Ten standard errors (√(0.1·0.9/10⁴) = 0.003) would still be 0.03.
    for (let d = 1; d < 10; d++) expect(Math.abs(sorted[d * 1000]! - d / 10)).toBeLessThan(0.03);
  });
});

describe('hashId', () => {
  it('spreads ids that differ in one digit over the whole 32-bit range', () => {
    const hashes = ids(4096).map(hashId);
    expect(new Set(hashes).size).toBe(4096);
    const buckets = new Array<number>(16).fill(0);
    for (const h of hashes) buckets[h >>> 28]!++;
    for (const count of buckets) expect(count).toBeGreaterThan(4096 / 16 / 2);
  });
});
