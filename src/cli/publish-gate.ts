import { PrescoreError } from '../errors/index.js';
import { baselineRun, evaluateGates, failedGates, type GateName, type GateResult, type GateStatus, type GateThresholds } from '../gates/index.js';
import { readRunDetails, sharesIn, type Logger, type RunProfile, type RunTimings, type ScoreRunDetails, type ScoreStats } from '../report/index.js';
import { stagingTableName, type PublishMode, type RunTotals, type Sink } from '../sinks/index.js';
import type { RunFacts } from './run-metrics-file.js';

/** What the gates need to know about the run and how they were configured. */
export interface GateJob {
  readonly table: string;
  readonly runId: string;
  readonly mode: PublishMode;
  readonly thresholds: GateThresholds;
  readonly force: boolean;
  readonly workers: number;
}

/** The gates' verdict: what to record with the run, and the error to stop with when it may not be published. */
export interface GateVerdict {
  readonly gates: readonly GateResult[];
  readonly forced: boolean;
  readonly details: ScoreRunDetails;
  /** GATE_FAILED naming every failed gate with its numbers; undefined when the run may be published. */
  readonly refusal: PrescoreError | undefined;
  /** For the summary line: each gate's status. */
  readonly statuses: Readonly<Partial<Record<GateName, GateStatus>>>;
}

/**
 * Compares a scored run with the table's previous run (see `baselineRun`) and
 * evaluates the gates. Logs warnings, and failures `--force` overrides;
 * reports the run's facts to `observe` (the metrics file). Throws SINK_FAILED
 * when the runs table cannot be read.
 */
export async function judgeRun(
  sink: Sink,
  job: GateJob,
  run: { readonly totals: RunTotals; readonly score: ScoreStats; readonly profile: RunProfile; readonly timings: RunTimings },
  context: { readonly logger: Logger; readonly observe?: ((facts: RunFacts) => void) | undefined },
): Promise<GateVerdict> {
  const baseline = baselineRun((await sink.runs(job.table)).filter((r) => r.runId !== job.runId));
  const bins = baseline === null ? null : (readRunDetails(baseline.details)?.score?.deciles ?? null);
  const sorted = run.profile.sorted();
  const gates = evaluateGates(
    {
      mode: job.mode,
      rowsScored: run.totals.rowsScored,
      nonFinite: run.score.nonFinite,
      baseline: baseline === null ? null : { runId: baseline.runId, rowsScored: baseline.rowsScored, shares: bins?.shares ?? null },
      sharesOnBaseline: bins === null || sorted.length === 0 ? null : sharesIn(sorted, bins.cuts),
    },
    job.thresholds,
  );
  const failed = failedGates(gates);
  const forced = failed.length > 0 && job.force;
  for (const g of gates) if (g.status === 'warn') context.logger.log('warn', 'gate-warning', { gate: g.gate, detail: g.detail });
  if (forced) for (const g of failed) context.logger.log('warn', 'gate-forced', { gate: g.gate, detail: `${g.detail}; published anyway (--force)` });
  context.observe?.({ rowsRead: run.totals.rowsRead, rowsScored: run.totals.rowsScored, rowsRejected: run.totals.rowsRejected, gates, forced });
  const details = run.profile.details({ gates, forced, baselineRunId: baseline?.runId ?? null, nonFiniteScores: run.score.nonFinite, workers: job.workers, timings: run.timings });
  return {
    gates,
    forced,
    details,
    refusal: failed.length > 0 && !job.force ? refusal(job, failed) : undefined,
    statuses: Object.fromEntries(gates.map((g) => [g.gate, g.status])),
  };
}

function refusal(job: GateJob, failed: readonly GateResult[]): PrescoreError {
  const which = failed.map((g) => `${g.gate}: ${g.detail}`).join('; ');
  return new PrescoreError('GATE_FAILED', `Nothing was published: ${failed.length === 1 ? 'a gate' : `${failed.length} gates`} failed — ${which}`, {
    hint: `The scored rows are kept in table ${stagingTableName(job.table, job.runId)} for inspection until the next run publishes. Fix the cause, change the limit, or rerun with --force to publish anyway`,
  });
}
