import { psi } from '../gates/index.js';
import type { FeatureStats, NumericFeatureStats, TextFeatureStats } from '../scoring/index.js';

/**
 * When the report marks a feature as drifted. These only draw attention in
 * the report; they gate nothing: a missing rate that moved by more than 5
 * points, a mean that moved by more than a quarter of the previous standard
 * deviation, or a category PSI at the score gate's warning level.
 */
export const DRIFT_MARKS = { missingPoints: 0.05, meanShiftSd: 0.25, categoryPsi: 0.1 } as const;

/** One row of the input-drift table: a feature now and in the previous run. */
export interface FeatureDrift {
  readonly name: string;
  readonly kind: 'numeric' | 'text';
  readonly missingRate: number;
  /** Null when the previous run did not have this feature. */
  readonly previousMissingRate: number | null;
  /** Numeric: means and the shift in previous standard deviations. */
  readonly mean: number | null;
  readonly previousMean: number | null;
  readonly meanShiftSd: number | null;
  /** Text: the top categories with their share of present values, most frequent first. */
  readonly top: readonly { readonly value: string; readonly share: number; readonly previousShare: number | null }[];
  /** Text: PSI of the category shares (top categories of either run, the rest as one bin). */
  readonly categoryPsi: number | null;
  /** Whether any figure crosses DRIFT_MARKS. */
  readonly drifted: boolean;
}

/** Categories shown per text feature. */
const SHOWN_CATEGORIES = 4;

/** Compares every feature of a run with the same-named one of the previous run (if any). Pure. */
export function compareFeatures(now: readonly FeatureStats[], previous: readonly FeatureStats[]): FeatureDrift[] {
  return now.map((feature) => {
    const before = previous.find((p) => p.name === feature.name && p.kind === feature.kind);
    return feature.kind === 'numeric' ? numericDrift(feature, before as NumericFeatureStats | undefined) : textDrift(feature, before as TextFeatureStats | undefined);
  });
}

function numericDrift(now: NumericFeatureStats, before: NumericFeatureStats | undefined): FeatureDrift {
  const present = before === undefined ? 0 : before.rows - before.missing;
  const sd = before !== undefined && present > 1 ? Math.sqrt(before.m2 / (present - 1)) : null;
  const shift = now.mean !== null && before?.mean != null && sd !== null && sd > 0 ? (now.mean - before.mean) / sd : null;
  const missing = drift(now, before);
  return {
    ...missing,
    mean: now.mean,
    previousMean: before?.mean ?? null,
    meanShiftSd: shift,
    top: [],
    categoryPsi: null,
    drifted: missing.drifted || (shift !== null && Math.abs(shift) > DRIFT_MARKS.meanShiftSd),
  };
}

function textDrift(now: TextFeatureStats, before: TextFeatureStats | undefined): FeatureDrift {
  const share = (stats: TextFeatureStats, value: string): number => {
    const present = stats.rows - stats.missing;
    return present > 0 ? (stats.top.find(([v]) => v === value)?.[1] ?? 0) / present : 0;
  };
  const top = now.top.slice(0, SHOWN_CATEGORIES).map(([value]) => ({ value, share: share(now, value), previousShare: before === undefined ? null : share(before, value) }));
  let categoryPsi: number | null = null;
  if (before !== undefined) {
    const values = [...new Set([...now.top, ...before.top].map(([v]) => v))];
    const shares = (stats: TextFeatureStats): number[] => {
      const bins = values.map((v) => share(stats, v));
      return [...bins, Math.max(0, 1 - bins.reduce((a, b) => a + b, 0))];
    };
    categoryPsi = psi(shares(before), shares(now));
  }
  const missing = drift(now, before);
  return {
    ...missing,
    mean: null,
    previousMean: null,
    meanShiftSd: null,
    top,
    categoryPsi,
    drifted: missing.drifted || (categoryPsi !== null && categoryPsi >= DRIFT_MARKS.categoryPsi),
  };
}

function drift(now: FeatureStats, before: FeatureStats | undefined): Pick<FeatureDrift, 'name' | 'kind' | 'missingRate' | 'previousMissingRate' | 'drifted'> {
  const rate = (s: FeatureStats): number => (s.rows > 0 ? s.missing / s.rows : 0);
  const previousMissingRate = before === undefined ? null : rate(before);
  const missingRate = rate(now);
  return {
    name: now.name,
    kind: now.kind,
    missingRate,
    previousMissingRate,
    drifted: previousMissingRate !== null && Math.abs(missingRate - previousMissingRate) > DRIFT_MARKS.missingPoints,
  };
}
