import type { GateResult } from '../gates/index.js';
import type { RejectedRow } from '../errors/index.js';
import type { FeatureStats } from '../scoring/index.js';
import type { RunDetails } from '../sinks/index.js';
import type { RunTimings } from './run-timings.js';
import type { ScoreDistribution } from './score-distribution.js';

/** Bumped when the shape below changes incompatibly; readers ignore other versions. */
export const RUN_DETAILS_VERSION = 1;

/** Rejected rows first kept per run in its record (the count by code has no limit). */
export const RECORDED_REJECTS = 20;

/** Rejected rows: how many of each code, and the first few. */
export interface RejectSummary {
  readonly byCode: Readonly<Record<string, number>>;
  readonly first: readonly RejectedRow[];
}

/**
 * What `score` stores in a run's `details` column: the gate verdicts, the
 * score distribution later runs are compared with, the input profile, the
 * rejects and the timings. `prescore runs --json` prints it; `report` draws it.
 * A type rather than an interface: only those are assignable to the sink's
 * plain JSON record (`RunDetails`).
 */
export type ScoreRunDetails = {
  readonly version: typeof RUN_DETAILS_VERSION;
  readonly gates: readonly GateResult[];
  /** Whether `--force` published the run over failed gates. */
  readonly forced: boolean;
  /** The run the gates compared with; null for the first run of a table. */
  readonly baselineRunId: string | null;
  /** Null when no score was finite. */
  readonly score: ScoreDistribution | null;
  /** NaN and ±Infinity scores (published as NULL). */
  readonly nonFiniteScores: number;
  /** The model inputs' profile, merged over every chunk: missing rate, mean or top categories. */
  readonly features: readonly FeatureStats[];
  readonly rejects: RejectSummary;
  /** Where the time went up to the gates (`publishMs` is 0 here: publishing ends at the record's `finishedAt`). */
  readonly timings: RunTimings;
  /** When the gates were evaluated and publishing (or refusing) began, ISO-8601 UTC. */
  readonly checkedAt: string;
  readonly workers: number;
};

/**
 * The `details` of a run as `score` wrote them; null for runs written before
 * the gates existed (or by a future version), which readers then describe
 * without distribution, profile or gates.
 */
export function readRunDetails(details: RunDetails): ScoreRunDetails | null {
  return details.version === RUN_DETAILS_VERSION && Array.isArray(details.gates) ? (details as unknown as ScoreRunDetails) : null;
}
