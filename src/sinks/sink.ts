/**
 * The contract between the pipeline and a database. A sink is invisible to
 * readers until `publish`: `begin → write* → publish | abort`.
 */

import type { RejectedRow } from '../errors/index.js';
import type { ColumnType } from '../model/index.js';
import type { ShardStart, ShardWriter } from './shard-start.js';

export { COLUMN_TYPES } from '../model/index.js';
export type { ColumnType };

/** Publication modes: a full rescoring, or a merge of a segment into what is there. */
export const PUBLISH_MODES = ['replace', 'upsert'] as const;
export type PublishMode = (typeof PUBLISH_MODES)[number];

/** What a run does with an entity id it meets again: fail naming both lines, or keep the first/last occurrence in line order. */
export const DUPLICATE_POLICIES = ['error', 'first', 'last'] as const;
export type DuplicatePolicy = (typeof DUPLICATE_POLICIES)[number];

/** One published value column; the first one is always named `score`. */
export interface OutputColumn {
  readonly name: string;
  readonly type: ColumnType;
}

/** One object (file, bucket object) the run read, as recorded in the runs table. */
export interface InputObject {
  readonly uri: string;
  readonly size: number;
  readonly sha256?: string;
  /** Generation (GCS), ETag (S3/HTTP) or mtime (local) of what was read. */
  readonly version?: string;
}

/** What a sink needs to know when a run begins. */
export interface RunStart {
  readonly runId: string;
  readonly table: string;
  readonly mode: PublishMode;
  readonly modelUri: string;
  readonly modelSha256: string;
  /** Written into every score row: which model produced it. */
  readonly modelVersion: string;
  readonly inputs: readonly InputObject[];
  readonly outputColumns: readonly OutputColumn[];
  /** ISO-8601 UTC. */
  readonly startedAt: string;
  readonly toolVersion: string;
  /** Default `error`: a repeated entity id fails `write` with CSV_DUPLICATE_ID. */
  readonly onDuplicate?: DuplicatePolicy;
}

/**
 * A batch of scored rows, column-major. `columns[i]` holds the values of
 * `RunStart.outputColumns[i]`, one per id. Integer columns may come as
 * BigInt64Array (int64 model outputs).
 */
export interface ScoredBatch {
  readonly ids: readonly string[];
  readonly columns: readonly ScoreColumn[];
  /** Rows rejected in the same stretch of input; recorded in the rejects table (the first MAX_REJECTS_KEPT of a run). */
  readonly rejects?: readonly RejectedRow[];
}

export type ScoreColumn = Float64Array | Float32Array | Int32Array | BigInt64Array | readonly string[];

/** Summary statistics of a run, stored in the runs table at the end. */
export interface RunTotals {
  /** The objects as read, with their sha256 (known only once read); replaces `RunStart.inputs`. */
  readonly inputs?: readonly InputObject[];
  readonly rowsRead: number;
  readonly rowsScored: number;
  readonly rowsRejected: number;
  readonly scoreMin: number | null;
  readonly scoreMean: number | null;
  readonly scoreMax: number | null;
}

/** Final state of a run as recorded in the runs table. */
export const RUN_STATUSES = ['running', 'published', 'failed', 'rolled_back', 'superseded'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** One row of the runs table, as `prescore runs` shows it. */
export interface RunRecord {
  readonly runId: string;
  readonly table: string;
  readonly status: RunStatus;
  readonly mode: PublishMode;
  readonly modelUri: string;
  readonly modelSha256: string;
  readonly modelVersion: string;
  readonly inputs: readonly InputObject[];
  readonly rowsRead: number | null;
  readonly rowsScored: number | null;
  readonly rowsRejected: number | null;
  readonly scoreMin: number | null;
  readonly scoreMean: number | null;
  readonly scoreMax: number | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly toolVersion: string;
  readonly error: string | null;
  /** Later additions (gate results, histograms); `{}` when none were stored. */
  readonly details: RunDetails;
  /** A failed run's staging table, kept for inspection (`abort` with `keepStaging`), while it exists. */
  readonly keptStaging?: string;
}

/** How to abort: a run a gate refused keeps its staging table for inspection until superseded. */
export interface AbortOptions {
  readonly keepStaging?: boolean;
}

/** Free-form JSON facts about a run, stored in the runs table's `details` column. */
export type RunDetails = Readonly<Record<string, unknown>>;

/** Who holds (or held) a table's lock, as the locks table records it. */
export interface LockHolder {
  readonly runId: string;
  readonly host: string;
  readonly pid: number;
  /** ISO-8601 UTC. */
  readonly acquiredAt: string;
  /** ISO-8601 UTC; refreshed on every write. */
  readonly heartbeatAt: string;
}

/** Rows written so far into a run's staging area. Invisible to readers. */
export interface StagingWriter {
  /** The dead run whose stale lock `begin` took over, for the caller to log; null when the lock was free. */
  readonly takenOver: LockHolder | null;
  /**
   * Appends rows to staging and records the batch's rejects, in one transaction.
   * Batches must come in input order for `onDuplicate` first/last to mean line order.
   * Throws CSV_DUPLICATE_ID (`value` is the id; nothing of the batch is written)
   * under the `error` policy, SINK_FAILED, SINK_LOCKED (the lock was taken over).
   */
  write(batch: ScoredBatch): Promise<void>;
  /**
   * Atomically makes staging the published table (replace) or merges it in
   * (upsert), records the run as published and keeps the last versions for
   * rollback. Readers see the whole old or the whole new table, never a mix.
   * Throws SINK_FAILED, SINK_LOCKED (the lock was taken over: nothing is published).
   */
  publish(totals: RunTotals, details?: RunDetails): Promise<void>;
  /**
   * Drops staging (unless `options.keepStaging`: see kept-staging.ts), records the run
   * as failed with `reason`, releases the lock. Throws SINK_FAILED.
   */
  abort(reason: string, totals?: RunTotals, details?: RunDetails, options?: AbortOptions): Promise<void>;
}

/** A database holding published score tables and their runs. */
export interface Sink {
  /**
   * Takes the per-table lock (SINK_LOCKED names the holder) and creates staging.
   * Throws SINK_INVALID_NAME, SINK_LOCKED, SINK_FAILED.
   */
  begin(run: RunStart): Promise<StagingWriter>;
  /**
   * Starts or joins run `run.runId` as one shard of it (shard-start.ts; Postgres
   * only): the shards share the table's lock and staging, and the last to
   * finish publishes. Throws USAGE_INVALID_OPTION (SQLite), SINK_INVALID_NAME,
   * SINK_LOCKED (another run holds the table), SINK_FAILED.
   */
  beginShard(run: RunStart, shard: ShardStart): Promise<ShardWriter>;
  /** Runs of `table`, newest first (by start time). Throws SINK_INVALID_NAME, SINK_FAILED. */
  runs(table: string): Promise<RunRecord[]>;
  /**
   * Restores the version published by `toRunId` (default: the kept superseded
   * version published last). Returns its run id. Throws SINK_NO_PREVIOUS_VERSION,
   * SINK_LOCKED, SINK_INVALID_NAME, SINK_FAILED.
   */
  rollback(table: string, toRunId?: string): Promise<string>;
  close(): Promise<void>;
}
