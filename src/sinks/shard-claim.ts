import { PrescoreError } from '../errors/index.js';
import { toStoredRun, type RunRow, type StoredRun } from './run-record.js';
import type { RunStart } from './sink.js';
import { claimShard, deleteShardRejects, deleteShards, loadShards, SHARD_COLUMN, type ShardClaim } from './shards-table.js';
import { execute, type SqlSession } from './sql-session.js';
import type { TableColumn } from './table-columns.js';
import type { ProcessIdentity } from './table-lock.js';
import { RUNS_TABLE } from './table-names.js';

/**
 * Refuses to start afresh a run that has ended: published (its shards all
 * finished; a re-run of unchanged inputs derives the same id), or failed as a
 * whole (a gate refused it, or another run took its stale lock over), which
 * one shard cannot redo alone. Throws SINK_FAILED.
 */
export async function assertRunNotEnded(session: SqlSession, run: RunStart): Promise<void> {
  const stored = await storedRun(session, run);
  if (stored === undefined || stored.status === 'running') return;
  const why = stored.status === 'failed' ? `it failed: ${stored.error ?? 'no reason recorded'}` : `status ${stored.status}, finished ${stored.finishedAt ?? '?'}`;
  throw new PrescoreError('SINK_FAILED', `Run ${run.runId} of table "${run.table}" has ended already (${why}); this shard cannot start it again`, {
    hint: 'A sharded run id comes from the model, the input objects and the options: pass another --run-id to run all the shards again',
  });
}

/**
 * Checks that a shard joining a running run agrees with it: same shard count,
 * mode, model, and the staging table this shard would have created. Shards
 * computing the same run id agree by construction; an explicit `--run-id`
 * shared by different jobs does not. Throws SINK_FAILED.
 */
export async function assertJoinable(session: SqlSession, run: RunStart, claim: ShardClaim, staging: string, stagingColumns: readonly TableColumn[]): Promise<void> {
  const stored = await storedRun(session, run);
  const counts = new Set((await loadShards(session, run.table, run.runId)).map((s) => s.count));
  const have = await session.tableColumns(staging);
  const problem =
    stored?.status !== 'running'
      ? `it is ${stored?.status ?? 'not recorded'}`
      : counts.size > 0 && !counts.has(claim.count)
        ? `it has ${[...counts].join(', ')} shards, this process says ${claim.count}`
        : stored.mode !== run.mode || stored.modelSha256 !== run.modelSha256 || stored.modelVersion !== run.modelVersion
          ? `it runs model ${stored.modelVersion} (${stored.modelSha256.slice(0, 12)}) in ${stored.mode} mode, this shard ${run.modelVersion} (${run.modelSha256.slice(0, 12)}) in ${run.mode} mode`
          : have.join('\u0000') !== stagingColumns.map((c) => c.name).join('\u0000')
            ? `its staging table has columns (${have.join(', ')}), this shard writes (${stagingColumns.map((c) => c.name).join(', ')})`
            : undefined;
  if (problem === undefined) return;
  throw new PrescoreError('SINK_FAILED', `Shard ${claim.shard}/${claim.count} cannot join run ${run.runId} of table "${run.table}": ${problem}`, {
    hint: 'Every shard of a run must run the same command but for its index; leave --run-id out to let each job derive its own',
  });
}

/**
 * Claims the shard for this attempt, inside the transaction that joined or
 * started the run: a fresh run forgets the shards of an earlier run under the
 * same id; a joined one deletes what an earlier attempt of this shard left in
 * staging and in the rejects table, so a retry replaces its rows. Throws SINK_FAILED.
 */
export async function claimShardRows(session: SqlSession, claim: ShardClaim, me: ProcessIdentity, staging: string, joined: boolean): Promise<void> {
  const dialect = session.dialect;
  if (!joined) await execute(session, [deleteShards(dialect, claim.table, claim.runId)]);
  // Claim first: an earlier attempt still writing waits on this row, then fails its check, so none of its rows land after the delete below.
  await execute(session, [claimShard(dialect, claim, me), deleteShardRejects(dialect, claim)]);
  if (joined) await session.run(`DELETE FROM ${dialect.table(staging)} WHERE ${dialect.quote(SHARD_COLUMN)} = ?`, [claim.shard]);
}

async function storedRun(session: SqlSession, run: RunStart): Promise<StoredRun | undefined> {
  const rows = await session.all<RunRow>(`SELECT * FROM ${session.dialect.table(RUNS_TABLE)} WHERE table_name = ? AND run_id = ?`, [run.table, run.runId]);
  return rows[0] === undefined ? undefined : toStoredRun(rows[0]);
}
