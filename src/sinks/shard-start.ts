import type { RunDetails, RunTotals, StagingWriter } from './sink.js';

/** What the shard that completes a run learns of the whole run before it publishes it. */
export interface ShardedRunFacts {
  /** Row counts summed over the shards; score min/mean/max over every finite score in staging; every object read. */
  readonly totals: RunTotals;
  /** Scores in staging that are NaN (stored NULL) or infinite. */
  readonly nonFiniteScores: number;
}

/** This process's part of a run spread over several processes (Postgres only). */
export interface ShardStart {
  /** 0-based. */
  readonly index: number;
  /** How many shards the run has; every shard of a run must say the same. */
  readonly count: number;
  /**
   * The run-level checks, run by the shard that completes the run, after every
   * shard's rows are in and before anything is published. Throw to publish
   * nothing: the run is then recorded failed with that error and its staging
   * kept for inspection. Returns details to record with the run.
   */
  readonly gate?: (run: ShardedRunFacts) => Promise<RunDetails | undefined>;
}

/** How `publish` ended for one shard. */
export interface ShardOutcome {
  /** Whether this shard was the last to finish and published the run. */
  readonly published: boolean;
  /** Shards done so far, this one included. */
  readonly shardsDone: number;
  readonly shardCount: number;
  /** The whole run's totals when this shard published it; else this shard's. */
  readonly totals: RunTotals;
}

/**
 * The writer of one shard. `write` appends the shard's rows to the run's
 * staging; `publish` records the shard done and, if it is the last, publishes
 * the whole run exactly once; `abort` records the shard failed and leaves the
 * run open, so a retry of the same index replaces this shard's rows.
 */
export interface ShardWriter extends StagingWriter {
  /** Set once `publish` returned. */
  readonly outcome: ShardOutcome | undefined;
}
