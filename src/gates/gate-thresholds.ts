import { PrescoreError } from '../errors/index.js';

/** The limits the gates check against; `score` flags and job-file keys of the same names set them. */
export interface GateThresholds {
  /** `--min-rows`: fewer scored rows fail. */
  readonly minRows: number;
  /** `--max-nan-rate`: a larger fraction of NaN or infinite scores fails; 0 lets none through. */
  readonly maxNanRate: number;
  /** `--max-row-change`: a larger relative change of scored rows against the previous run fails (0.1 = ±10%). */
  readonly maxRowChange: number;
  /** `--psi-warn`: a score PSI at or above this warns. */
  readonly psiWarn: number;
  /** `--psi-fail`: a score PSI at or above this fails. */
  readonly psiFail: number;
}

/** The defaults: no NaN, ±10% rows, PSI warns at 0.1 and fails at 0.25, at least one row. */
export const DEFAULT_GATE_THRESHOLDS: GateThresholds = { minRows: 1, maxNanRate: 0, maxRowChange: 0.1, psiWarn: 0.1, psiFail: 0.25 };

/**
 * Fills defaults into what was given (ranges are checked by the option
 * schema). Throws USAGE_INVALID_OPTION when `--psi-warn` is above `--psi-fail`.
 */
export function resolveGateThresholds(given: Partial<GateThresholds>): GateThresholds {
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  const t: GateThresholds = { ...DEFAULT_GATE_THRESHOLDS, ...defined };
  if (t.psiWarn > t.psiFail) {
    throw new PrescoreError('USAGE_INVALID_OPTION', `--psi-warn (${t.psiWarn}) must not be above --psi-fail (${t.psiFail})`, {
      hint: 'Lower --psi-warn or raise --psi-fail',
    });
  }
  return t;
}
