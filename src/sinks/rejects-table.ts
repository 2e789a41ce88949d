import type { RejectedRow } from '../errors/index.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlSession, Statement } from './sql-session.js';
import { columnsSql, type TableColumn } from './table-columns.js';
import { REJECTS_TABLE, RUNS_TABLE } from './table-names.js';

/** Rejected rows recorded per run; the runs table's `rows_rejected` has the full count. */
export const MAX_REJECTS_KEPT = 10_000;

/** The newest runs of a table whose rejects are kept; older runs' rejects are deleted when a run begins. */
export const REJECTS_KEPT_RUNS = 10;

/**
 * The rejects table: one row per rejected input row, beside the scores.
 * `seq` numbers a run's rejects in input order (0-based). Values are stored as
 * the parser cut them (200 bytes at most).
 */
const REJECT_COLUMNS: readonly TableColumn[] = [
  { name: 'table_name', type: 'text' },
  { name: 'run_id', type: 'text' },
  { name: 'seq', type: 'integer' },
  { name: 'source', type: 'text' },
  { name: 'line', type: 'integer' },
  { name: 'column_name', type: 'text' },
  { name: 'column_number', type: 'integer' },
  { name: 'value', type: 'text' },
  { name: 'code', type: 'text' },
  { name: 'reason', type: 'text' },
];

/** `CREATE TABLE IF NOT EXISTS` for the rejects table. */
export function rejectsTableDdl(dialect: SqlDialect): string {
  return dialect.createTable(REJECTS_TABLE, columnsSql(dialect, REJECT_COLUMNS, ['table_name', 'run_id', 'seq']), { ifNotExists: true });
}

/**
 * Records `rejects` of run `runId`, numbered from `kept` (how many the run has
 * recorded so far), up to MAX_REJECTS_KEPT in all. A shard of a sharded run
 * numbers its k-th reject `k * count + index`, up to MAX_REJECTS_KEPT of its
 * own. Returns how many it wrote. Throws SINK_FAILED.
 */
export async function insertRejects(
  session: SqlSession,
  table: string,
  runId: string,
  kept: number,
  rejects: readonly RejectedRow[],
  shard?: { readonly index: number; readonly count: number },
): Promise<number> {
  const rows = rejects.slice(0, Math.max(0, MAX_REJECTS_KEPT - kept));
  if (rows.length === 0) return 0;
  await session.bulkInsert(
    REJECTS_TABLE,
    REJECT_COLUMNS.map((c) => c.name),
    {
      rowCount: rows.length,
      columns: [
        { constant: table },
        { constant: runId },
        { values: rows.map((_, i) => (shard === undefined ? kept + i : (kept + i) * shard.count + shard.index)) },
        { values: rows.map((r) => text(r.source)) },
        { values: rows.map((r) => r.line) },
        { values: rows.map((r) => text(r.column)) },
        { values: rows.map((r) => r.columnIndex + 1) },
        { values: rows.map((r) => text(r.value)) },
        { values: rows.map((r) => r.code) },
        { values: rows.map((r) => text(r.reason)) },
      ],
    },
  );
  return rows.length;
}

/** Deletes the rejects of every run of `table` but the newest REJECTS_KEPT_RUNS, so the table stays bounded. */
export function pruneRejects(dialect: SqlDialect, table: string): Statement {
  return {
    sql: `DELETE FROM ${dialect.table(REJECTS_TABLE)} WHERE table_name = ? AND run_id NOT IN (
            SELECT run_id FROM ${dialect.table(RUNS_TABLE)} WHERE table_name = ? ORDER BY started_at DESC, run_id DESC LIMIT ${REJECTS_KEPT_RUNS})`,
    params: [table, table],
  };
}

/** Deletes the rejects of one run (a failed run whose id is used again). */
export function deleteRejects(dialect: SqlDialect, table: string, runId: string): Statement {
  return { sql: `DELETE FROM ${dialect.table(REJECTS_TABLE)} WHERE table_name = ? AND run_id = ?`, params: [table, runId] };
}

/** Postgres text cannot hold NUL, which a broken input may well contain: shown as U+2400 (␀) on every dialect alike. */
function text(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '\u2400') : value;
}
