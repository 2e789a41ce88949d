/** Bins of the stored score histogram. */
export const HISTOGRAM_BINS = 20;

/** Quantiles stored per run: p0, p1, … p100. */
export const QUANTILE_STEPS = 100;

/**
 * Bins cut at a run's own deciles (sampled values), and the share of its scores in each: the
 * reference a later run's PSI is measured against. Bin i is
 * `(cuts[i-1], cuts[i]]`, the first open below and the last open above. Tied
 * deciles (a model with few distinct scores) are cut once, so there may be
 * fewer than 10 bins, and shares are what the bins really hold, not 10% each.
 */
export interface DecileBins {
  readonly cuts: readonly number[];
  readonly shares: readonly number[];
}

/** Equal-width bins between the lowest and highest sampled score; `shares` sum to 1. */
export interface ScoreHistogram {
  readonly edges: readonly number[];
  readonly shares: readonly number[];
}

/** What a run stores about its score distribution (from its ScoreSample). */
export interface ScoreDistribution {
  /** Scores in the sample (all finite scores below SAMPLE_SIZE rows). */
  readonly sampled: number;
  /** p0 … p100, linear interpolation between order statistics (Hyndman & Fan type 7, numpy's default). */
  readonly quantiles: readonly number[];
  readonly histogram: ScoreHistogram;
  readonly deciles: DecileBins;
}

/** The distribution of a sorted, non-empty sample; null when it is empty. Pure. */
export function describeScores(sorted: Float64Array): ScoreDistribution | null {
  if (sorted.length === 0) return null;
  const quantiles = Array.from({ length: QUANTILE_STEPS + 1 }, (_, i) => quantileOf(sorted, i / QUANTILE_STEPS));
  // Cut at sampled values (the lower order statistic), never between two: an interpolated cut in a gap
  // between tied scores would make a bin the run itself leaves empty.
  const cuts = [...new Set(Array.from({ length: 9 }, (_, i) => sorted[Math.floor(((i + 1) / 10) * (sorted.length - 1))]!))];
  // The top decile cut equal to the maximum would leave an empty last bin.
  while (cuts.length > 0 && cuts[cuts.length - 1]! >= sorted[sorted.length - 1]!) cuts.pop();
  return { sampled: sorted.length, quantiles, histogram: histogramOf(sorted), deciles: { cuts, shares: sharesIn(sorted, cuts) } };
}

/** The sample's share in each bin `(cuts[i-1], cuts[i]]` (see DecileBins); cuts ascending. Pure. */
export function sharesIn(sorted: Float64Array, cuts: readonly number[]): number[] {
  const shares: number[] = [];
  let below = 0;
  for (const cut of cuts) {
    const upTo = upperBound(sorted, cut);
    shares.push((upTo - below) / sorted.length);
    below = upTo;
  }
  shares.push((sorted.length - below) / sorted.length);
  return shares;
}

/**
 * The share of a run's scores at or below `x`, read off its stored
 * quantiles by linear interpolation — how the report puts two runs on the
 * same bins. Pure.
 */
export function cdfAt(quantiles: readonly number[], x: number): number {
  const n = quantiles.length - 1;
  if (n < 1 || x < quantiles[0]!) return 0;
  if (x >= quantiles[n]!) return 1;
  // The last quantile at or below x: over a run of equal quantiles (a score many rows share), x sits at its top.
  const i = upperBound(quantiles, x) - 1;
  const lo = quantiles[i]!;
  const hi = quantiles[i + 1]!;
  return (i + (hi > lo ? (x - lo) / (hi - lo) : 0)) / n;
}

function quantileOf(sorted: Float64Array, p: number): number {
  const at = p * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

function histogramOf(sorted: Float64Array): ScoreHistogram {
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  const width = (max - min) / HISTOGRAM_BINS;
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => (i === HISTOGRAM_BINS ? max : min + i * width));
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const v of sorted) counts[width > 0 ? Math.min(HISTOGRAM_BINS - 1, Math.floor((v - min) / width)) : 0]!++;
  return { edges, shares: counts.map((c) => c / sorted.length) };
}

/** Index of the first element greater than `x` in an ascending array. */
function upperBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
