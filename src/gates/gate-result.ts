/** The checks run before publishing, in the order they run and are shown. */
export const GATES = ['min-rows', 'nan-rate', 'row-change', 'psi'] as const;
export type GateName = (typeof GATES)[number];

/** A gate's outcome: `fail` blocks the publish (unless `--force`); `warn` is logged and recorded; `skipped` says why in `detail`. */
export const GATE_STATUSES = ['pass', 'warn', 'fail', 'skipped'] as const;
export type GateStatus = (typeof GATE_STATUSES)[number];

/** One gate's verdict with the numbers behind it, as stored in the run record and shown by `runs` and `report`. */
export interface GateResult {
  readonly gate: GateName;
  readonly status: GateStatus;
  /** What was measured (rows, a rate, a relative change, a PSI); null when skipped. */
  readonly value: number | null;
  /** The threshold a failing value crosses. */
  readonly limit: number;
  /** The warning threshold, for gates that have one (PSI). */
  readonly warnAt?: number;
  /** The verdict in words, with the numbers and the option that sets the threshold. */
  readonly detail: string;
}

/** The gates that failed. */
export function failedGates(results: readonly GateResult[]): GateResult[] {
  return results.filter((r) => r.status === 'fail');
}
