import { PrescoreError } from '../errors/index.js';
import { toStoredRun, type RunRow, type StoredRun } from './run-record.js';
import type { SqlSession } from './sql-session.js';
import { RUNS_TABLE, versionTableName } from './table-names.js';

/** A published table as the runs table and the catalog describe it together. */
export interface TableState {
  /** Every run of the table, newest first. */
  readonly runs: readonly StoredRun[];
  /** The run recorded as published; null if nothing is. */
  readonly current: StoredRun | null;
  /** Whether the table itself exists (it may not, if dropped by hand; or exist without a run, if someone else made it). */
  readonly tableExists: boolean;
  /** Superseded or rolled-back runs whose version table still exists, most recently published first. */
  readonly kept: readonly StoredRun[];
  readonly nextVersionSeq: number;
}

/** Reads the state of `table`. Throws SINK_FAILED. */
export async function loadTableState(session: SqlSession, table: string): Promise<TableState> {
  const rows = await session.all<RunRow>(
    `SELECT * FROM ${session.dialect.table(RUNS_TABLE)} WHERE table_name = ? ORDER BY started_at DESC, run_id DESC`,
    [table],
  );
  const runs = rows.map(toStoredRun);
  const candidates = runs.filter((r) => r.status === 'superseded' || r.status === 'rolled_back');
  const existing = await session.existingTables([table, ...candidates.map((r) => versionTableName(table, r.runId))]);
  const kept = candidates
    .filter((r) => existing.has(versionTableName(table, r.runId)))
    .sort((a, b) => (b.versionSeq ?? 0) - (a.versionSeq ?? 0));
  const tableExists = existing.has(table);
  return {
    runs,
    current: runs.find((r) => r.status === 'published') ?? null,
    tableExists,
    kept,
    nextVersionSeq: Math.max(0, ...runs.map((r) => r.versionSeq ?? 0)) + 1,
  };
}

/**
 * Refuses a table prescore did not publish: renaming it away as a "version"
 * would hand someone else's table to retention, which drops it.
 * Throws SINK_FAILED.
 */
export function assertOwnTable(state: TableState, table: string, location: string): void {
  if (state.tableExists && state.current === null) {
    throw new PrescoreError('SINK_FAILED', `Table "${table}" in ${location} exists but was not published by prescore`, {
      hint: 'Drop or rename it, or choose another --table',
    });
  }
}
