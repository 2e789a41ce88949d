import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { KEPT_CATEGORIES, featureStats, mergeFeatureStats, type FeatureStats, type NumericFeatureStats, type TextFeatureStats } from '../../src/scoring/feature-stats.js';
import type { ColumnStore } from '../../src/scoring/tensor-feeds.js';

const header = ['id', 'age', 'plan', 'income'];

function store(age: number[], plan: string[], income: number[]): ColumnStore {
  return { numeric: new Map([[3, Float64Array.from(income)], [1, Float64Array.from(age)]]), text: new Map([[2, plan]]) };
}

/** Profiles `rows` in pieces cut at `cuts`, merged in order. */
function inPieces(age: number[], plan: string[], income: number[], cuts: number[]): FeatureStats[] {
  const bounds = [0, ...cuts.filter((c) => c > 0 && c < age.length).sort((a, b) => a - b), age.length];
  let merged: FeatureStats[] | undefined;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [a, b] = [bounds[i]!, bounds[i + 1]!];
    merged = mergeFeatureStats(merged, featureStats(store(age.slice(a, b), plan.slice(a, b), income.slice(a, b)), header));
  }
  return merged!;
}

describe('featureStats', () => {
  it('counts missing values and gives mean, M2, min and max of the present ones, numeric columns first in header order', () => {
    const [age, income, plan] = featureStats(store([30, NaN, 50, 40], ['basic', '', 'pro', 'basic'], [1, 2, 3, 4]), header) as [NumericFeatureStats, NumericFeatureStats, TextFeatureStats];
    expect(age).toEqual({ kind: 'numeric', name: 'age', rows: 4, missing: 1, mean: 40, m2: 200, min: 30, max: 50 });
    expect(income.name).toBe('income');
    expect(plan).toEqual({ kind: 'text', name: 'plan', rows: 4, missing: 1, top: [['basic', 2], ['pro', 1]], other: 0 });
  });

  it('gives a null mean for a column with every value missing, and merges it with others', () => {
    const empty = featureStats(store([NaN, NaN], ['', ''], [NaN, NaN]), header);
    expect(empty[0]).toMatchObject({ missing: 2, mean: null, min: null, max: null });
    const merged = mergeFeatureStats(empty, featureStats(store([2, 4], ['a', 'b'], [1, 1]), header));
    expect(merged[0]).toMatchObject({ rows: 4, missing: 2, mean: 3, m2: 2, min: 2, max: 4 });
  });

  it('keeps the most frequent categories and counts the rest as other', () => {
    const plan = Array.from({ length: KEPT_CATEGORIES + 10 }, (_, i) => `c${String(i).padStart(3, '0')}`);
    plan.push('c000', 'c000');
    const stats = featureStats(store(plan.map(() => 1), plan, plan.map(() => 1)), header)[2] as TextFeatureStats;
    expect(stats.top).toHaveLength(KEPT_CATEGORIES);
    expect(stats.top[0]).toEqual(['c000', 3]);
    expect(stats.other).toBe(10);
  });

  it('merges chunk profiles into what one pass over all rows gives, wherever the chunks are cut', () => {
    const value = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(NaN));
    const row = fc.tuple(value, fc.constantFrom('', 'basic', 'plus', 'pro'), fc.double({ min: 1e5, max: 1e5 + 1, noNaN: true }));
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 60 }), fc.array(fc.nat(60), { maxLength: 5 }), (rows, cuts) => {
        const age = rows.map((r) => r[0]);
        const plan = rows.map((r) => r[1]);
        const income = rows.map((r) => r[2]);
        const whole = featureStats(store(age, plan, income), header);
        const merged = inPieces(age, plan, income, cuts);
        expect(merged[2]).toEqual(whole[2]);
        for (const k of [0, 1]) {
          const [a, b] = [merged[k] as NumericFeatureStats, whole[k] as NumericFeatureStats];
          expect({ ...a, mean: null, m2: 0 }).toEqual({ ...b, mean: null, m2: 0 });
          if (b.mean === null) expect(a.mean).toBeNull();
          else expect(a.mean).toBeCloseTo(b.mean, 6);
          // Values near 1e5 with a spread of 1: sums of squares would lose this M2 to cancellation.
          expect(Math.abs(a.m2 - b.m2)).toBeLessThanOrEqual(1e-6 * Math.max(1, b.m2));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuses to merge profiles of different columns', () => {
    const a = featureStats(store([1], ['x'], [1]), header);
    expect(() => mergeFeatureStats(a, a.slice(1))).toThrow(/2 columns/);
    expect(() => mergeFeatureStats(a, [a[1]!, a[0]!, a[2]!])).toThrow(/"age" and "income"/);
  });
});
