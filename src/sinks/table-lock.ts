import { hostname } from 'node:os';
import { PrescoreError } from '../errors/index.js';
import type { LockHolder } from './sink.js';
import type { SqlDialect } from './sql-dialect.js';
import type { ExclusiveLock, SqlSession, Statement } from './sql-session.js';
import { columnsSql } from './table-columns.js';
import { LOCKS_TABLE, SHARDS_TABLE } from './table-names.js';

/** A lock whose heartbeat is older than this is stale, wherever its holder runs (ms). */
export const LOCK_STALE_AFTER_MS = 120_000;

/** Who this process is, and how to tell whether a pid on this host is alive; injectable for tests. */
export interface ProcessIdentity {
  readonly host: string;
  readonly pid: number;
  isAlive(pid: number): boolean;
  now(): Date;
}

/** This process: `process.kill(pid, 0)` throws ESRCH when no such process exists (EPERM means it does). */
export function thisProcess(): ProcessIdentity {
  return {
    host: hostname(),
    pid: process.pid,
    isAlive: (pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code !== 'ESRCH';
      }
    },
    now: () => new Date(),
  };
}

/** `CREATE TABLE IF NOT EXISTS` for the locks table: one row per table being written. */
export function locksTableDdl(dialect: SqlDialect): string {
  const columns = columnsSql(
    dialect,
    [
      { name: 'table_name', type: 'text' },
      { name: 'run_id', type: 'text' },
      { name: 'pid', type: 'integer' },
      { name: 'host', type: 'text' },
      { name: 'acquired_at', type: 'text' },
      { name: 'heartbeat_at', type: 'text' },
    ],
    ['table_name'],
  );
  return dialect.createTable(LOCKS_TABLE, columns, { ifNotExists: true });
}

/**
 * Whether a recorded holder is dead. With a session lock (Postgres advisory
 * lock) the database knows: if we got it, the holder's session is gone.
 * Without one (SQLite) a holder is dead when its pid is gone from this host,
 * or when its heartbeat stopped (another host, a hung process).
 */
export function isStale(holder: LockHolder, exclusive: ExclusiveLock, me: ProcessIdentity): boolean {
  if (exclusive === 'acquired') return true;
  if (holder.host === me.host && !me.isAlive(holder.pid)) return true;
  return heartbeatStale(holder, me);
}

/** Whether `holder`'s heartbeat is older than LOCK_STALE_AFTER_MS. */
function heartbeatStale(holder: LockHolder, me: ProcessIdentity): boolean {
  return me.now().getTime() - Date.parse(holder.heartbeatAt) > LOCK_STALE_AFTER_MS;
}

/**
 * Takes the lock of `table` for `runId` and runs `work` in the same
 * transaction, so the lock row and whatever `work` records appear together.
 * `work` receives the dead holder taken over, if any. On failure the session
 * lock is released again. Throws SINK_LOCKED naming the live holder.
 */
export async function withNewLock<T>(
  session: SqlSession,
  table: string,
  runId: string,
  me: ProcessIdentity,
  work: (takenOver: LockHolder | null) => Promise<T>,
): Promise<T> {
  const exclusive = await session.tryExclusive(table);
  try {
    if (exclusive === 'busy') throw lockedError(table, await readHolder(session, table));
    return await session.transaction(async () => {
      const holder = await readHolder(session, table);
      if (holder && (!isStale(holder, exclusive, me) || (await heldByShards(session, table, holder, me)))) throw lockedError(table, holder);
      await recordHolder(session, table, runId, me, holder !== null);
      return await work(holder);
    });
  } catch (error) {
    if (exclusive === 'acquired') await session.releaseExclusive(table);
    throw error;
  }
}

/** Writes the lock row of `runId`, replacing a dead holder's. Call inside the transaction that takes the lock. Throws SINK_FAILED. */
export async function recordHolder(session: SqlSession, table: string, runId: string, me: ProcessIdentity, replacing: boolean): Promise<void> {
  const now = me.now().toISOString();
  const locks = session.dialect.table(LOCKS_TABLE);
  if (replacing) await session.run(`DELETE FROM ${locks} WHERE table_name = ?`, [table]);
  await session.run(`INSERT INTO ${locks} (table_name, run_id, pid, host, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)`, [table, runId, me.pid, me.host, now, now]);
}

/**
 * Whether `holder` is a sharded run (it has rows in the shards table) within
 * its heartbeat window. Between two tasks of an engine that runs fewer shards
 * at once than it has, no process of the run may be connected: its lock then
 * lives on its heartbeat alone, as on a database without session locks.
 * Throws SINK_FAILED.
 */
export async function heldByShards(session: SqlSession, table: string, holder: LockHolder, me: ProcessIdentity): Promise<boolean> {
  if (heartbeatStale(holder, me)) return false;
  const rows = await session.all(`SELECT 1 AS one FROM ${session.dialect.table(SHARDS_TABLE)} WHERE table_name = ? AND run_id = ? LIMIT 1`, [table, holder.runId]);
  return rows.length > 0;
}

/** Refreshes the heartbeat; changes no row when the lock was taken over. */
export function heartbeat(dialect: SqlDialect, table: string, runId: string, now: Date): Statement {
  return {
    sql: `UPDATE ${dialect.table(LOCKS_TABLE)} SET heartbeat_at = ? WHERE table_name = ? AND run_id = ?`,
    params: [now.toISOString(), table, runId],
  };
}

/** Deletes the lock row of `runId`; the caller releases the session lock after commit. */
export function releaseLock(dialect: SqlDialect, table: string, runId: string): Statement {
  return { sql: `DELETE FROM ${dialect.table(LOCKS_TABLE)} WHERE table_name = ? AND run_id = ?`, params: [table, runId] };
}

/** Throws SINK_LOCKED unless `runId` still holds the lock of `table` (a stale-lock takeover may have ended it). */
export async function assertLockHeld(session: SqlSession, table: string, runId: string): Promise<void> {
  const holder = await readHolder(session, table);
  if (holder?.runId === runId) return;
  throw new PrescoreError('SINK_LOCKED', `Run ${runId} lost the lock of table "${table}"${holder ? ` to run ${describe(holder)}` : ''}; nothing was published`, {
    hint: 'Its heartbeat stopped for over 2 minutes and another run took the table over; run it again',
  });
}

/** The SINK_LOCKED error for a live holder (null: another session holds the lock but has not recorded itself yet). */
export function lockedError(table: string, holder: LockHolder | null): PrescoreError {
  return new PrescoreError('SINK_LOCKED', `Table "${table}" is locked by ${holder ? `run ${describe(holder)}` : 'another session that has not recorded its run yet'}`, {
    hint: 'Wait for that run to finish. A lock is taken over automatically once its process is gone or its heartbeat is 2 minutes old',
  });
}

function describe(holder: LockHolder): string {
  return `${holder.runId} (host ${holder.host}, pid ${holder.pid}) since ${holder.acquiredAt}, last heartbeat ${holder.heartbeatAt}`;
}

/** The lock row of `table`, or null when it is free. Throws SINK_FAILED. */
export async function readHolder(session: SqlSession, table: string): Promise<LockHolder | null> {
  const rows = await session.all<Record<string, unknown>>(
    `SELECT run_id, host, pid, acquired_at, heartbeat_at FROM ${session.dialect.table(LOCKS_TABLE)} WHERE table_name = ?`,
    [table],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    runId: String(row.run_id),
    host: String(row.host),
    pid: Number(row.pid),
    acquiredAt: String(row.acquired_at),
    heartbeatAt: String(row.heartbeat_at),
  };
}
