import { PrescoreError } from '../errors/index.js';
import { PUBLISH_MODES, RUN_STATUSES, type InputObject, type PublishMode, type RunDetails, type RunRecord, type RunStatus } from './sink.js';

/** A runs-table row as a driver returns it: Postgres gives bigint columns as strings. */
export type RunRow = Readonly<Record<string, unknown>>;

/** A run as the sink keeps it internally: the record plus its version order. */
export interface StoredRun extends RunRecord {
  /** Order in which versions last became the published one; null if never published. */
  readonly versionSeq: number | null;
}

/** Maps a runs-table row to a run. Throws SINK_FAILED when the row is not one prescore wrote. */
export function toStoredRun(row: RunRow): StoredRun {
  return {
    runId: text(row, 'run_id'),
    table: text(row, 'table_name'),
    status: member(row, 'status', RUN_STATUSES) as RunStatus,
    mode: member(row, 'mode', PUBLISH_MODES) as PublishMode,
    modelUri: text(row, 'model_uri'),
    modelSha256: text(row, 'model_sha256'),
    modelVersion: text(row, 'model_version'),
    inputs: json<InputObject[]>(row, 'inputs') ?? [],
    rowsRead: num(row.rows_read),
    rowsScored: num(row.rows_scored),
    rowsRejected: num(row.rows_rejected),
    scoreMin: num(row.score_min),
    scoreMean: num(row.score_mean),
    scoreMax: num(row.score_max),
    startedAt: text(row, 'started_at'),
    finishedAt: row.finished_at == null ? null : String(row.finished_at),
    toolVersion: text(row, 'tool_version'),
    error: row.error == null ? null : String(row.error),
    details: json<RunDetails>(row, 'details') ?? {},
    versionSeq: num(row.version_seq),
  };
}

/** The public form of a stored run (without the internal version order). */
export function toRunRecord(run: StoredRun): RunRecord {
  const { versionSeq: _versionSeq, ...record } = run;
  return record;
}

function num(value: unknown): number | null {
  return value == null ? null : Number(value);
}

function text(row: RunRow, column: string): string {
  const value = row[column];
  if (value == null) throw corrupt(column, value);
  return String(value);
}

function member(row: RunRow, column: string, allowed: readonly string[]): string {
  const value = text(row, column);
  if (!allowed.includes(value)) throw corrupt(column, value);
  return value;
}

function json<T>(row: RunRow, column: string): T | null {
  const value = row[column];
  if (value == null) return null;
  try {
    return JSON.parse(String(value)) as T;
  } catch (cause) {
    throw corrupt(column, value, cause);
  }
}

function corrupt(column: string, value: unknown, cause?: unknown): PrescoreError {
  return new PrescoreError('SINK_FAILED', `The runs table holds an unreadable ${column}`, {
    value: String(value),
    hint: 'The runs table was edited by hand or by another tool; fix or delete that row',
    cause,
  });
}
