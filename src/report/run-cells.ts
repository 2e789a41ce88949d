import type { RunRecord } from '../sinks/index.js';
import { formatNumber } from './number-format.js';
import { readRunDetails } from './run-details.js';

/** Eighth-block characters, lowest first: a histogram in one line of text. */
const BLOCKS = '▁▂▃▄▅▆▇█';

/** What `prescore runs` prints about a run's gates and scores, beside its counts. */
export interface RunCells {
  /** `ok`, `warn psi`, `FAIL row-change,psi`, `FORCED psi`; empty for runs without gate results. */
  readonly gates: string;
  /** `0.12 / 0.4 / 0.81`: p10 / p50 / p90. */
  readonly quantiles: string;
  /** The score histogram as a sparkline. */
  readonly histogram: string;
}

/** The gate, quantile and histogram cells of a run. Pure. */
export function runCells(run: RunRecord): RunCells {
  const details = readRunDetails(run.details);
  if (details === null) return { gates: '', quantiles: '', histogram: '' };
  const named = (status: string): string => details.gates.filter((g) => g.status === status).map((g) => g.gate).join(',');
  const failed = named('fail');
  const warned = named('warn');
  const gates = failed !== '' ? `${details.forced ? 'FORCED' : 'FAIL'} ${failed}` : warned !== '' ? `warn ${warned}` : 'ok';
  const q = details.score?.quantiles;
  return {
    gates,
    quantiles: q === undefined ? '' : [q[10], q[50], q[90]].map((v) => formatNumber(v ?? null)).join(' / '),
    histogram: sparkline(details.score?.histogram.shares ?? []),
  };
}

/** Shares as block characters scaled to the largest. */
export function sparkline(shares: readonly number[]): string {
  const top = Math.max(...shares, 0);
  if (top === 0) return '';
  return shares.map((s) => BLOCKS[Math.min(BLOCKS.length - 1, Math.round((s / top) * (BLOCKS.length - 1)))]).join('');
}
