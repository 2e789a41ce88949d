import { countText } from './count-text.js';
import type { GateResult } from './gate-result.js';
import type { GateThresholds } from './gate-thresholds.js';
import { psi } from './psi.js';

/** The previous run a new one is compared with (see `baselineRun`). */
export interface GateBaseline {
  readonly runId: string;
  readonly rowsScored: number | null;
  /** Its scores' shares in its own decile bins; null when it recorded none (runs from before the gates). */
  readonly shares: readonly number[] | null;
}

/** Plain facts about the run being checked. */
export interface GateInput {
  readonly mode: 'replace' | 'upsert';
  readonly rowsScored: number;
  /** NaN and ±Infinity scores among `rowsScored`. */
  readonly nonFinite: number;
  readonly baseline: GateBaseline | null;
  /** This run's score shares in the baseline's decile bins; null without baseline bins or finite scores. */
  readonly sharesOnBaseline: readonly number[] | null;
}

/**
 * Runs every gate (GATES order) over a finished run's figures. Pure: the
 * caller decides what a failure does. Upserts skip the comparisons with the
 * previous run, since a segment is not meant to look like the whole table.
 */
export function evaluateGates(input: GateInput, t: GateThresholds): GateResult[] {
  return [minRows(input, t), nanRate(input, t), rowChange(input, t), scorePsi(input, t)];
}

function minRows({ rowsScored }: GateInput, t: GateThresholds): GateResult {
  const ok = rowsScored >= t.minRows;
  return {
    gate: 'min-rows',
    status: ok ? 'pass' : 'fail',
    value: rowsScored,
    limit: t.minRows,
    detail: `${countText(rowsScored)} rows scored, ${ok ? 'at least' : 'fewer than'} --min-rows ${countText(t.minRows)}`,
  };
}

function nanRate({ rowsScored, nonFinite }: GateInput, t: GateThresholds): GateResult {
  const rate = rowsScored > 0 ? nonFinite / rowsScored : 0;
  const ok = rate <= t.maxNanRate;
  return {
    gate: 'nan-rate',
    status: ok ? 'pass' : 'fail',
    value: rate,
    limit: t.maxNanRate,
    detail: `${countText(nonFinite)} of ${countText(rowsScored)} scores are NaN or infinite (${percent(rate)}), ${ok ? 'within' : 'above'} --max-nan-rate ${t.maxNanRate}`,
  };
}

function rowChange({ mode, rowsScored, baseline }: GateInput, t: GateThresholds): GateResult {
  const skipped = (why: string): GateResult => ({ gate: 'row-change', status: 'skipped', value: null, limit: t.maxRowChange, detail: why });
  if (mode === 'upsert') return skipped('an upsert scores a segment: its row count is not compared');
  if (baseline === null) return skipped('no previous published run to compare with');
  const before = baseline.rowsScored;
  if (before === null || before === 0) return skipped(`previous run ${baseline.runId} recorded no scored rows`);
  const change = (rowsScored - before) / before;
  const ok = Math.abs(change) <= t.maxRowChange;
  return {
    gate: 'row-change',
    status: ok ? 'pass' : 'fail',
    value: change,
    limit: t.maxRowChange,
    detail: `${countText(rowsScored)} rows scored against ${countText(before)} in run ${baseline.runId} (${change >= 0 ? '+' : ''}${percent(change)}), ${ok ? 'within' : 'beyond'} --max-row-change ${t.maxRowChange} (±${percent(t.maxRowChange)})`,
  };
}

function scorePsi({ mode, baseline, sharesOnBaseline }: GateInput, t: GateThresholds): GateResult {
  const skipped = (why: string): GateResult => ({ gate: 'psi', status: 'skipped', value: null, limit: t.psiFail, warnAt: t.psiWarn, detail: why });
  if (mode === 'upsert') return skipped('an upsert scores a segment: its score distribution is not compared');
  if (baseline === null) return skipped('no previous published run to compare with');
  if (baseline.shares === null) return skipped(`previous run ${baseline.runId} recorded no score deciles`);
  if (sharesOnBaseline === null) return skipped('this run has no finite scores');
  const value = psi(baseline.shares, sharesOnBaseline);
  const status = value >= t.psiFail ? 'fail' : value >= t.psiWarn ? 'warn' : 'pass';
  const verdict = status === 'fail' ? `at or above --psi-fail ${t.psiFail}` : status === 'warn' ? `at or above --psi-warn ${t.psiWarn}` : `below --psi-warn ${t.psiWarn}`;
  return {
    gate: 'psi',
    status,
    value,
    limit: t.psiFail,
    warnAt: t.psiWarn,
    detail: `score PSI ${value.toFixed(3)} against run ${baseline.runId} over ${baseline.shares.length} decile bins, ${verdict}`,
  };
}

function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(Math.abs(fraction) < 0.001 && fraction !== 0 ? 3 : 2)}%`;
}
