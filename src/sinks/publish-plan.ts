import type { PublishMode, RunDetails, RunTotals } from './sink.js';
import type { SqlDialect } from './sql-dialect.js';
import type { Statement } from './sql-session.js';
import { finishRun, setRunStatus } from './runs-table.js';
import { columnList } from './table-columns.js';
import { versionTableName } from './table-names.js';
import { releaseLock } from './table-lock.js';

/** Versions kept besides the published one, for an instant rollback. */
export const KEEP_OLD_VERSIONS = 2;

/** A plan: `prepare` runs before the swap (slow work, no reader impact); `swap` is one transaction. */
export interface Plan {
  readonly prepare: readonly Statement[];
  readonly swap: readonly Statement[];
}

/** What publishing a run needs to know about the table as it is. */
export interface PublishState {
  readonly table: string;
  readonly runId: string;
  readonly mode: PublishMode;
  readonly staging: string;
  readonly columns: readonly string[];
  /** The run recorded as published; null on a first publish. */
  readonly current: string | null;
  /** Whether `table` exists (false if it was dropped by hand). */
  readonly tableExists: boolean;
  /** Runs whose version tables exist, most recently published first. */
  readonly kept: readonly string[];
  readonly nextVersionSeq: number;
  readonly totals: RunTotals;
  readonly details: RunDetails | undefined;
  readonly finishedAt: string;
}

/**
 * The statements that publish a run. Upsert first merges the current rows the
 * run did not rescore into staging, so both modes end with the same swap and
 * the current table is never modified — it becomes the previous version as it
 * was. The swap renames current → `__v_<run>` and staging → `table` in one
 * transaction (SQLite's atomic commit; Postgres' transactional DDL), drops the
 * versions beyond retention, and records the outcome in the runs table.
 */
export function planPublish(dialect: SqlDialect, s: PublishState): Plan {
  const previous = s.tableExists ? s.current : null;
  const versions = previous === null ? s.kept : [previous, ...s.kept];
  const prepare: Statement[] = [];
  if (s.mode === 'upsert' && previous !== null) {
    const cols = columnList(dialect, s.columns);
    // `WHERE true` settles SQLite's parsing ambiguity between a join's ON and the upsert clause.
    prepare.push(stmt(`INSERT INTO ${dialect.table(s.staging)} (${cols}) SELECT ${cols} FROM ${dialect.table(s.table)} WHERE true ON CONFLICT (entity_id) DO NOTHING`));
  }

  const swap: Statement[] = dialect.swapGuards.map(stmt);
  if (previous !== null) swap.push(rename(dialect, s.table, versionTableName(s.table, previous)));
  if (s.current !== null) swap.push(setRunStatus(dialect, s.table, s.current, 'superseded'));
  swap.push(rename(dialect, s.staging, s.table));
  for (const old of versions.slice(KEEP_OLD_VERSIONS)) swap.push(stmt(`DROP TABLE IF EXISTS ${dialect.table(versionTableName(s.table, old))}`));
  swap.push(
    finishRun(dialect, s.table, s.runId, {
      status: 'published',
      finishedAt: s.finishedAt,
      totals: s.totals,
      details: s.details,
      versionSeq: s.nextVersionSeq,
    }),
  );
  swap.push(releaseLock(dialect, s.table, s.runId));
  return { prepare, swap };
}

/** What a rollback needs: the published run, the kept one to restore, and the next version order. */
export interface RollbackState {
  readonly table: string;
  readonly current: string;
  readonly target: string;
  readonly nextVersionSeq: number;
}

/**
 * The swap of a rollback: the current table becomes a kept version (so the
 * rollback itself can be undone with `--to`), the target's version becomes
 * the table. Same transaction guarantees as a publish.
 */
export function planRollback(dialect: SqlDialect, s: RollbackState): Statement[] {
  return [
    ...dialect.swapGuards.map(stmt),
    rename(dialect, s.table, versionTableName(s.table, s.current)),
    rename(dialect, versionTableName(s.table, s.target), s.table),
    setRunStatus(dialect, s.table, s.current, 'rolled_back'),
    setRunStatus(dialect, s.table, s.target, 'published', s.nextVersionSeq),
  ];
}

function rename(dialect: SqlDialect, from: string, to: string): Statement {
  return stmt(`ALTER TABLE ${dialect.table(from)} RENAME TO ${dialect.quote(to)}`);
}

function stmt(sql: string): Statement {
  return { sql, params: [] };
}
