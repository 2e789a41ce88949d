import type { SqlSession } from './sql-session.js';
import type { RunRecord } from './sink.js';
import { RUNS_TABLE, stagingTableName } from './table-names.js';

/**
 * Staging tables kept for inspection: a run a gate refused may keep its rows
 * under `<table>__staging_<run id>` (see `StagingWriter.abort`). One is kept
 * per published table at most — the latest refused run's — until it is
 * superseded: the next run that publishes the table, or that keeps its own
 * staging, drops it, in the same transaction that records its own outcome.
 * Reusing the refused run's id (`--run-id`) drops it too. A stale-lock
 * cleanup never touches it: that only drops the staging of runs still marked
 * `running`.
 *
 * Returns run id → staging table, for the failed runs of `table` whose staging
 * still exists. Throws SINK_FAILED.
 */
export async function keptStagingTables(session: SqlSession, table: string): Promise<Map<string, string>> {
  const failed = await session.all<{ run_id: string }>(`SELECT run_id FROM ${session.dialect.table(RUNS_TABLE)} WHERE table_name = ? AND status = 'failed'`, [table]);
  return existingStaging(session, table, failed.map((r) => String(r.run_id)));
}

/** Run id → staging table, for those of `failedRunIds` (failed runs of `table`) whose staging still exists. Throws SINK_FAILED. */
export async function existingStaging(session: SqlSession, table: string, failedRunIds: readonly string[]): Promise<Map<string, string>> {
  const names = failedRunIds.map((runId) => [runId, stagingTableName(table, runId)] as const);
  const existing = await session.existingTables(names.map(([, name]) => name));
  return new Map(names.filter(([, name]) => existing.has(name)));
}

/** Drops the kept staging tables of `table` but `exceptRunId`'s. Call inside the transaction that supersedes them. Throws SINK_FAILED. */
export async function dropKeptStaging(session: SqlSession, table: string, exceptRunId: string): Promise<void> {
  for (const [runId, name] of await keptStagingTables(session, table)) {
    if (runId !== exceptRunId) await session.run(`DROP TABLE IF EXISTS ${session.dialect.table(name)}`);
  }
}

/** The record with its kept staging table named, when it has one. */
export function withKeptStaging(record: RunRecord, kept: ReadonlyMap<string, string>): RunRecord {
  const staging = kept.get(record.runId);
  return staging === undefined ? record : { ...record, keptStaging: staging };
}
