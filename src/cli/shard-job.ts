import { checkRunRejects, countText } from '../gates/index.js';
import type { Logger, RunProfile, RunTimings } from '../report/index.js';
import type { RunTotals, ShardedRunFacts, ShardOutcome, ShardStart, Sink } from '../sinks/index.js';
import { judgeRun, type GateJob, type GateVerdict } from './publish-gate.js';
import type { RunFacts } from './run-metrics-file.js';
import type { ResolvedScoreOptions } from './score-options.js';
import type { ShardSpec } from './shard-option.js';
import type { ShardSplit } from './shard-plan.js';

/** What a shard's process scored, in its one-line summary. */
export interface ShardSummary {
  readonly index: number;
  readonly count: number;
  /** Whole objects, or the rows whose id hashes to this shard. */
  readonly split: ShardSplit;
  readonly shardsDone: number;
  /** The whole run's totals, when this shard completed and published it. */
  readonly run?: RunTotals;
}

/** The gates of a sharded run and, once it ran, their verdict (for the summary of the shard that published). */
export interface ShardGate {
  readonly gate: NonNullable<ShardStart['gate']>;
  verdict(): GateVerdict | undefined;
}

/**
 * The run-level gates of a sharded run (ShardStart.gate), run by the shard
 * that completes the run, before it publishes: the rejected-rows limits on
 * the summed counts, then the publish gates (judgeRun) on the whole run's
 * rows and score statistics from staging. The score-distribution gate and the
 * recorded deciles use this shard's scores: a sample of the run (rows by id
 * hash, or whole objects). A failed gate throws its error (GATE_FAILED,
 * CSV_TOO_MANY_REJECTS, CSV_NO_ROWS): the run is recorded failed.
 */
export function shardGate(
  sink: Sink,
  job: GateJob,
  shard: { readonly profile: RunProfile; readonly timings: () => RunTimings },
  options: Pick<ResolvedScoreOptions, 'maxRejectRate' | 'maxRejects'>,
  context: { readonly logger: Logger; readonly observe?: ((facts: RunFacts) => void) | undefined },
): ShardGate {
  let verdict: GateVerdict | undefined;
  return {
    gate: async ({ totals, nonFiniteScores }: ShardedRunFacts) => {
      checkRunRejects(totals, options.maxRejectRate, options.maxRejects);
      const score = { count: totals.rowsScored - nonFiniteScores, min: totals.scoreMin, mean: totals.scoreMean, max: totals.scoreMax, nonFinite: nonFiniteScores };
      verdict = await judgeRun(sink, job, { totals, score, profile: shard.profile, timings: shard.timings() }, context);
      if (verdict.refusal !== undefined) throw verdict.refusal;
      return verdict.details;
    },
    verdict: () => verdict,
  };
}

/** The summary fields of a shard: its status and part, and the whole run's totals if it published. */
export function shardSummary(shard: ShardSpec, split: ShardSplit, outcome: ShardOutcome | undefined): { status: 'published' | 'shard-done'; shard: ShardSummary } {
  const published = outcome?.published === true;
  return {
    status: published ? 'published' : 'shard-done',
    shard: { index: shard.index, count: shard.count, split, shardsDone: outcome?.shardsDone ?? 0, ...(published ? { run: outcome.totals } : {}) },
  };
}

/** The terminal line before a shard's summary: which part it scored and where the run stands. */
export function shardLine(shard: ShardSummary): string {
  const part = shard.split === 'object' ? 'whole objects' : 'the rows whose id hashes to it';
  const state = shard.run ? `it completed the run and published it (${countText(shard.run.rowsScored)} scores in all)` : `${shard.shardsDone} of ${shard.count} shards done; the last one publishes`;
  return `shard ${shard.index}/${shard.count} (${part}): ${state}\n`;
}
