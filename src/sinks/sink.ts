/**
 * The contract between the pipeline and a database. A sink is invisible to
 * readers until `publish`: `begin → write* → publish | abort`.
 */

/** The SQL type of one published output column. */
export const COLUMN_TYPES = ['real', 'integer', 'text'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** Publication modes: a full rescoring, or a merge of a segment into what is there. */
export const PUBLISH_MODES = ['replace', 'upsert'] as const;
export type PublishMode = (typeof PUBLISH_MODES)[number];

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
}

/**
 * A batch of scored rows, column-major. `columns[i]` holds the values of
 * `RunStart.outputColumns[i]`, one per id. Integer columns may come as
 * BigInt64Array (int64 model outputs).
 */
export interface ScoredBatch {
  readonly ids: readonly string[];
  readonly columns: readonly ScoreColumn[];
}

export type ScoreColumn = Float64Array | Float32Array | Int32Array | BigInt64Array | readonly string[];

/** Summary statistics of a run, stored in the runs table at the end. */
export interface RunTotals {
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
}

/** Rows written so far into a run's staging area. Invisible to readers. */
export interface StagingWriter {
  /** Appends rows to staging. Throws SINK_FAILED. */
  write(batch: ScoredBatch): Promise<void>;
  /**
   * Atomically makes staging the published table (replace) or merges it in
   * (upsert), records the run as published and keeps the last versions for
   * rollback. Readers see the whole old or the whole new table, never a mix.
   */
  publish(totals: RunTotals): Promise<void>;
  /** Drops staging, records the run as failed with `reason`, releases the lock. */
  abort(reason: string, totals?: RunTotals): Promise<void>;
}

/** A database holding published score tables and their runs. */
export interface Sink {
  /** Takes the per-table lock (SINK_LOCKED names the holder) and creates staging. */
  begin(run: RunStart): Promise<StagingWriter>;
  /** Runs of `table`, newest first. */
  runs(table: string): Promise<RunRecord[]>;
  /** Restores the version published by `toRunId` (default: the one before the current). Returns its run id. */
  rollback(table: string, toRunId?: string): Promise<string>;
  close(): Promise<void>;
}
