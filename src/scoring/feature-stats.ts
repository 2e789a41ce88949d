import { ColumnKernels } from './column-kernels.js';
import type { ColumnStore } from './tensor-feeds.js';

/**
 * Categories a text feature's profile keeps, most frequent first, per chunk
 * and once merged; the rest are counted together in `other`. Exact for columns
 * with at most this many distinct values (plans, regions, segments); for wider
 * ones the kept counts are lower bounds.
 */
export const KEPT_CATEGORIES = 64;

/**
 * A numeric feature over some rows: the missing count (NaN: empty cells and
 * `--na-values`) and, over the present values, count, mean and M2 (the sum of
 * squared deviations from the mean). Mean and M2 rather than sums of squares,
 * so merging stays exact in floating point however large the values
 * (Chan et al., "Updating formulae … for computing the sample variance", 1979).
 */
export interface NumericFeatureStats {
  readonly kind: 'numeric';
  readonly name: string;
  readonly rows: number;
  readonly missing: number;
  readonly mean: number | null;
  readonly m2: number;
  readonly min: number | null;
  readonly max: number | null;
}

/** A text feature over some rows: empty cells are missing; `top` is `[value, count]`, most frequent first. */
export interface TextFeatureStats {
  readonly kind: 'text';
  readonly name: string;
  readonly rows: number;
  readonly missing: number;
  readonly top: readonly (readonly [string, number])[];
  /** Present values not in `top`. */
  readonly other: number;
}

/** The profile of one model input column, as workers build it per chunk and the main thread merges it. */
export type FeatureStats = NumericFeatureStats | TextFeatureStats;

/**
 * Profiles every column of a chunk's store (numeric columns first, each in
 * header order), naming them from `header`. Pure; runs in the workers, where
 * a chunk of 10k rows and a few columns costs well under a millisecond.
 */
export function featureStats(store: ColumnStore, header: readonly string[]): FeatureStats[] {
  const stats: FeatureStats[] = [];
  for (const [index, column] of [...store.numeric].sort((a, b) => a[0] - b[0])) stats.push(numericStats(header[index] ?? `#${index}`, column));
  for (const [index, column] of [...store.text].sort((a, b) => a[0] - b[0])) stats.push(textStats(header[index] ?? `#${index}`, column));
  return stats;
}

/**
 * Merges two profiles of the same columns (same order, as every chunk of a
 * run has); `undefined` is the empty profile. Pure. Throws a plain Error when
 * the columns differ, which only a bug upstream can cause.
 */
export function mergeFeatureStats(a: readonly FeatureStats[] | undefined, b: readonly FeatureStats[]): FeatureStats[] {
  if (a === undefined) return [...b];
  if (a.length !== b.length) throw new Error(`Cannot merge profiles of ${a.length} and ${b.length} columns`);
  return a.map((x, i) => {
    const y = b[i]!;
    if (x.name !== y.name || x.kind !== y.kind) throw new Error(`Cannot merge profiles of columns "${x.name}" and "${y.name}"`);
    return x.kind === 'numeric' ? mergeNumeric(x, y as NumericFeatureStats) : mergeText(x, y as TextFeatureStats);
  });
}

function numericStats(name: string, column: Float64Array): NumericFeatureStats {
  // One pass over the chunk, on values shifted by its first present value: sums
  // of shifted deviations give M2 without the cancellation plain sums of squares
  // suffer, as long as the shift lies within the data (Chan et al., 1979, §3).
  const n = column.length;
  let i = 0;
  while (i < n && Number.isNaN(column[i]!)) i++;
  const { count, sum, squares, min, max } = ColumnKernels.get().sums(column, i < n ? column[i]! : 0);
  const mean = count > 0 ? column[i]! + sum / count : null;
  const m2 = count > 0 ? Math.max(0, squares - (sum * sum) / count) : 0;
  return { kind: 'numeric', name, rows: n, missing: n - count, mean, m2, min: count > 0 ? min : null, max: count > 0 ? max : null };
}

function textStats(name: string, column: readonly string[]): TextFeatureStats {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const value of column) {
    if (value === '') missing++;
    else counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return { kind: 'text', name, rows: column.length, missing, ...keepTop(counts, 0) };
}

function mergeNumeric(a: NumericFeatureStats, b: NumericFeatureStats): NumericFeatureStats {
  const na = a.rows - a.missing;
  const nb = b.rows - b.missing;
  const n = na + nb;
  let mean: number | null = null;
  let m2 = 0;
  if (a.mean === null || b.mean === null) {
    mean = a.mean ?? b.mean;
    m2 = a.m2 + b.m2;
  } else {
    const delta = b.mean - a.mean;
    mean = a.mean + (delta * nb) / n;
    m2 = a.m2 + b.m2 + (delta * delta * na * nb) / n;
  }
  return {
    kind: 'numeric',
    name: a.name,
    rows: a.rows + b.rows,
    missing: a.missing + b.missing,
    mean,
    m2,
    min: extreme(a.min, b.min, Math.min),
    max: extreme(a.max, b.max, Math.max),
  };
}

function mergeText(a: TextFeatureStats, b: TextFeatureStats): TextFeatureStats {
  const counts = new Map<string, number>(a.top.map(([value, count]) => [value, count]));
  for (const [value, count] of b.top) counts.set(value, (counts.get(value) ?? 0) + count);
  return { kind: 'text', name: a.name, rows: a.rows + b.rows, missing: a.missing + b.missing, ...keepTop(counts, a.other + b.other) };
}

/** The most frequent categories (ties by value, so the result does not depend on chunk order) and the rest's count. */
function keepTop(counts: ReadonlyMap<string, number>, other: number): Pick<TextFeatureStats, 'top' | 'other'> {
  const sorted = [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const top = sorted.slice(0, KEPT_CATEGORIES);
  const dropped = sorted.slice(KEPT_CATEGORIES).reduce((n, [, count]) => n + count, 0);
  return { top, other: other + dropped };
}

function extreme(a: number | null, b: number | null, pick: (x: number, y: number) => number): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return pick(a, b);
}
