import { describe, expect, it } from 'vitest';

import { HISTOGRAM_BINS, cdfAt, describeScores, sharesIn } from '../../src/report/score-distribution.js';

const sorted = (values: number[]): Float64Array => Float64Array.from(values).sort();

describe('describeScores', () => {
  it('gives p0…p100 by linear interpolation, as numpy.quantile does', () => {
    const d = describeScores(sorted([1, 2, 3, 4, 5]))!;
    expect(d.quantiles).toHaveLength(101);
    expect(d.quantiles[0]).toBe(1);
    expect(d.quantiles[25]).toBe(2);
    expect(d.quantiles[50]).toBe(3);
    expect(d.quantiles[90]).toBeCloseTo(4.6, 12);
    expect(d.quantiles[100]).toBe(5);
  });

  it('cuts deciles into ten bins of a tenth each for distinct scores', () => {
    const d = describeScores(sorted(Array.from({ length: 1000 }, (_, i) => i)))!;
    expect(d.deciles.cuts).toHaveLength(9);
    for (const share of d.deciles.shares) expect(share).toBeCloseTo(0.1, 2);
    expect(d.deciles.shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('merges tied deciles, so a model with few distinct scores gets fewer bins holding what they really hold', () => {
    const values = [...new Array<number>(700).fill(0.2), ...new Array<number>(300).fill(0.9)];
    const d = describeScores(sorted(values))!;
    expect(d.deciles.cuts).toEqual([0.2]);
    expect(d.deciles.shares).toEqual([0.7, 0.3]);
  });

  it('bins the histogram between the lowest and highest score, the highest in the last bin', () => {
    const d = describeScores(sorted([0, 0.5, 1, 1]))!;
    expect(d.histogram.edges).toHaveLength(HISTOGRAM_BINS + 1);
    expect(d.histogram.edges[0]).toBe(0);
    expect(d.histogram.edges[HISTOGRAM_BINS]).toBe(1);
    expect(d.histogram.shares[0]).toBe(0.25);
    expect(d.histogram.shares[HISTOGRAM_BINS / 2]).toBe(0.25);
    expect(d.histogram.shares[HISTOGRAM_BINS - 1]).toBe(0.5);
  });

  it('describes a single repeated score, and nothing when there is no score', () => {
    const d = describeScores(sorted([0.3, 0.3]))!;
    expect(d.deciles).toEqual({ cuts: [], shares: [1] });
    expect(d.histogram.shares[0]).toBe(1);
    expect(describeScores(new Float64Array())).toBeNull();
  });
});

describe('sharesIn', () => {
  it('puts a value equal to a cut in the bin below it', () => {
    expect(sharesIn(sorted([1, 2, 2, 3]), [2])).toEqual([0.75, 0.25]);
    expect(sharesIn(sorted([1, 2, 3, 4]), [0, 10])).toEqual([0, 1, 0]);
  });
});

describe('cdfAt', () => {
  const q = Array.from({ length: 101 }, (_, i) => i / 100);

  it('reads a uniform run’s share below x off its quantiles', () => {
    expect(cdfAt(q, -1)).toBe(0);
    expect(cdfAt(q, 0.255)).toBeCloseTo(0.255, 12);
    expect(cdfAt(q, 1)).toBe(1);
  });

  it('jumps over a score many rows share', () => {
    const tied = [...new Array<number>(51).fill(0), ...Array.from({ length: 50 }, (_, i) => (i + 1) / 50)];
    expect(cdfAt(tied, 0)).toBeCloseTo(0.5, 12);
    expect(cdfAt(tied, -1e-9)).toBe(0);
  });
});
