/** The sinks stage: publishing scores atomically into SQLite or Postgres. */
export { COLUMN_TYPES, DUPLICATE_POLICIES, PUBLISH_MODES, RUN_STATUSES } from './sink.js';
export type {
  AbortOptions,
  ColumnType,
  DuplicatePolicy,
  InputObject,
  LockHolder,
  OutputColumn,
  PublishMode,
  RunDetails,
  RunRecord,
  RunStart,
  RunStatus,
  RunTotals,
  ScoreColumn,
  ScoredBatch,
  Sink,
  StagingWriter,
} from './sink.js';
export { openSink } from './open-sink.js';
export type { SinkOptions } from './open-sink.js';
export { redactUrl } from './redact-url.js';
export { NAME_RULE, RUN_ID_RULE, stagingTableName, validateName, validateRunId } from './table-names.js';
export { KEEP_OLD_VERSIONS } from './publish-plan.js';
export { LOCK_STALE_AFTER_MS } from './table-lock.js';
export { MAX_REJECTS_KEPT, REJECTS_KEPT_RUNS } from './rejects-table.js';
export type { ShardedRunFacts, ShardOutcome, ShardStart, ShardWriter } from './shard-start.js';
