import type { InputObject, RunDetails, RunStart, RunStatus, RunTotals } from './sink.js';
import type { SqlDialect } from './sql-dialect.js';
import type { Statement } from './sql-session.js';
import { columnsSql, type TableColumn } from './table-columns.js';
import { RUNS_TABLE } from './table-names.js';
import { redactUrl } from './redact-url.js';

/**
 * The runs table: one row per run per published table. `inputs` and `details`
 * are JSON text; `version_seq` orders versions by when they last became the
 * published one (publish or rollback), which is what retention and the default
 * rollback target go by — timestamps can tie.
 */
const RUN_COLUMNS: readonly TableColumn[] = [
  { name: 'run_id', type: 'text' },
  { name: 'table_name', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'mode', type: 'text' },
  { name: 'model_uri', type: 'text' },
  { name: 'model_sha256', type: 'text' },
  { name: 'model_version', type: 'text' },
  { name: 'inputs', type: 'text' },
  { name: 'rows_read', type: 'integer' },
  { name: 'rows_scored', type: 'integer' },
  { name: 'rows_rejected', type: 'integer' },
  { name: 'score_min', type: 'real' },
  { name: 'score_mean', type: 'real' },
  { name: 'score_max', type: 'real' },
  { name: 'started_at', type: 'text' },
  { name: 'finished_at', type: 'text' },
  { name: 'tool_version', type: 'text' },
  { name: 'error', type: 'text' },
  { name: 'details', type: 'text' },
  { name: 'version_seq', type: 'integer' },
];

/** `CREATE TABLE IF NOT EXISTS` for the runs table. */
export function runsTableDdl(dialect: SqlDialect): string {
  return dialect.createTable(RUNS_TABLE, columnsSql(dialect, RUN_COLUMNS, ['table_name', 'run_id']), { ifNotExists: true });
}

/** Records a new run as `running`. URIs are stored redacted: the runs table is read by people. */
export function insertRun(dialect: SqlDialect, run: RunStart): Statement {
  return {
    sql: `INSERT INTO ${dialect.table(RUNS_TABLE)} (run_id, table_name, status, mode, model_uri, model_sha256, model_version, inputs, started_at, tool_version)
          VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)`,
    params: [
      run.runId,
      run.table,
      run.mode,
      redactUrl(run.modelUri),
      run.modelSha256,
      run.modelVersion,
      inputsJson(run.inputs),
      run.startedAt,
      run.toolVersion,
    ],
  };
}

/** How a run ends: its final status and what is known about it. */
export interface RunEnd {
  readonly status: RunStatus;
  readonly finishedAt: string;
  readonly totals?: RunTotals | undefined;
  readonly details?: RunDetails | undefined;
  readonly error?: string | undefined;
  readonly versionSeq?: number | undefined;
}

/** Records the end of a run; fields not given keep their value. */
export function finishRun(dialect: SqlDialect, table: string, runId: string, end: RunEnd): Statement {
  const t = end.totals;
  return {
    sql: `UPDATE ${dialect.table(RUNS_TABLE)} SET status = ?, finished_at = ?,
            rows_read = COALESCE(?, rows_read), rows_scored = COALESCE(?, rows_scored), rows_rejected = COALESCE(?, rows_rejected),
            score_min = COALESCE(?, score_min), score_mean = COALESCE(?, score_mean), score_max = COALESCE(?, score_max),
            inputs = COALESCE(?, inputs), details = COALESCE(?, details), error = COALESCE(?, error), version_seq = COALESCE(?, version_seq)
          WHERE table_name = ? AND run_id = ?`,
    params: [
      end.status,
      end.finishedAt,
      t?.rowsRead ?? null,
      t?.rowsScored ?? null,
      t?.rowsRejected ?? null,
      t?.scoreMin ?? null,
      t?.scoreMean ?? null,
      t?.scoreMax ?? null,
      t?.inputs === undefined ? null : inputsJson(t.inputs),
      end.details === undefined ? null : JSON.stringify(end.details),
      end.error ?? null,
      end.versionSeq ?? null,
      table,
      runId,
    ],
  };
}

/**
 * Changes a run's status (superseded, rolled back, published again by a
 * rollback) without touching when it finished; `versionSeq` when it becomes the
 * published version again.
 */
export function setRunStatus(dialect: SqlDialect, table: string, runId: string, status: RunStatus, versionSeq?: number): Statement {
  return {
    sql: `UPDATE ${dialect.table(RUNS_TABLE)} SET status = ?, version_seq = COALESCE(?, version_seq) WHERE table_name = ? AND run_id = ?`,
    params: [status, versionSeq ?? null, table, runId],
  };
}

/** Forgets a run (a failed run whose id is used again). */
export function deleteRun(dialect: SqlDialect, table: string, runId: string): Statement {
  return { sql: `DELETE FROM ${dialect.table(RUNS_TABLE)} WHERE table_name = ? AND run_id = ?`, params: [table, runId] };
}

/** Inputs as stored: credentials in signed URLs never reach the runs table. */
function inputsJson(inputs: readonly InputObject[]): string {
  return JSON.stringify(inputs.map((input) => ({ ...input, uri: redactUrl(input.uri) })));
}
