import { dropKeptStaging } from './kept-staging.js';
import { planPublish } from './publish-plan.js';
import { finishRun } from './runs-table.js';
import type { RunDetails, RunStart, RunTotals } from './sink.js';
import { execute, type SqlSession } from './sql-session.js';
import { assertLockHeld, releaseLock } from './table-lock.js';
import { loadTableState } from './table-state.js';

/** A run's staging table and what to record when it ends. */
export interface StagingEnd {
  readonly run: RunStart;
  readonly staging: string;
  /** Staging's column names, as published. */
  readonly columns: readonly string[];
  readonly totals?: RunTotals | undefined;
  readonly details?: RunDetails | undefined;
  /** ISO-8601 UTC. */
  readonly finishedAt: string;
}

/**
 * Publishes `staging` as run `end.run` (see planPublish) inside the caller's
 * transaction: the upsert merge, the swap, the run recorded published, the
 * lock row released, older kept staging tables dropped — all or nothing. The
 * merge only reads the published table, so readers wait at most for the
 * renames at the end. Throws SINK_LOCKED (the lock was taken over), SINK_FAILED.
 */
export async function publishStaging(session: SqlSession, end: StagingEnd & { readonly totals: RunTotals }): Promise<void> {
  const { run } = end;
  // A run whose lock was taken over has lost its staging table as well.
  await assertLockHeld(session, run.table, run.runId);
  const state = await loadTableState(session, run.table);
  const plan = planPublish(session.dialect, {
    table: run.table,
    runId: run.runId,
    mode: run.mode,
    staging: end.staging,
    columns: end.columns,
    current: state.current?.runId ?? null,
    tableExists: state.tableExists,
    kept: state.kept.map((r) => r.runId),
    nextVersionSeq: state.nextVersionSeq,
    totals: end.totals,
    details: end.details,
    finishedAt: end.finishedAt,
  });
  await execute(session, [...plan.prepare, ...plan.swap]);
  await dropKeptStaging(session, run.table, run.runId);
}

/**
 * Records run `end.run` failed with `reason` and releases its lock row, inside
 * the caller's transaction. Staging is dropped, or kept for inspection
 * (`keepStaging`, see kept-staging.ts). Throws SINK_FAILED.
 */
export async function failStaging(session: SqlSession, end: Omit<StagingEnd, 'columns'>, reason: string, keepStaging: boolean): Promise<void> {
  const { run } = end;
  const dialect = session.dialect;
  if (keepStaging) await dropKeptStaging(session, run.table, run.runId);
  else await session.run(`DROP TABLE IF EXISTS ${dialect.table(end.staging)}`);
  await execute(session, [
    finishRun(dialect, run.table, run.runId, { status: 'failed', finishedAt: end.finishedAt, totals: end.totals, details: end.details, error: reason }),
    releaseLock(dialect, run.table, run.runId),
  ]);
}
