import type { LockHolder } from './sink.js';
import type { SqlSession } from './sql-session.js';
import { heldByShards, lockedError, readHolder, recordHolder, type ProcessIdentity } from './table-lock.js';

/** The key whose transaction lock orders the shards of a table: joining, finishing, publishing. */
export function shardsKey(table: string): string {
  // `/` never appears in a table name, so this key never meets a table's own lock.
  return `${table}/shards`;
}

/**
 * Joins run `runId` on `table` as one of its shards, or takes the table for it.
 * Every shard process holds the table's session lock in shared mode for its
 * life: a plain run (which takes it exclusively) cannot start while one is
 * connected, and cannot have one connected while it runs. Then, in one
 * transaction ordered against the run's other shards:
 * - the lock row names `runId`: join (`work(true, null)`);
 * - it names another sharded run within its heartbeat window: SINK_LOCKED;
 * - it is free, or its holder is dead (a plain run holding no session lock,
 *   a sharded run gone quiet): take it for `runId` (`work(false, dead)`).
 * On failure the shared lock is released. Throws SINK_LOCKED, SINK_FAILED.
 */
export async function withShardLock<T>(
  session: SqlSession,
  table: string,
  runId: string,
  me: ProcessIdentity,
  work: (joined: boolean, takenOver: LockHolder | null) => Promise<T>,
): Promise<T> {
  const shared = await session.tryShared(table);
  try {
    if (shared === 'busy') throw lockedError(table, await readHolder(session, table));
    return await session.transaction(async () => {
      await session.serialize(shardsKey(table));
      const holder = await readHolder(session, table);
      if (holder?.runId === runId) return work(true, null);
      if (holder && (await heldByShards(session, table, holder, me))) throw lockedError(table, holder);
      await recordHolder(session, table, runId, me, holder !== null);
      return work(false, holder);
    });
  } catch (error) {
    if (shared === 'acquired') await session.releaseShared(table);
    throw error;
  }
}
