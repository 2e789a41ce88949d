import { randomBytes } from 'node:crypto';
import { PrescoreError } from '../errors/index.js';
import { planRollback } from './publish-plan.js';
import { existingStaging, withKeptStaging } from './kept-staging.js';
import { toRunRecord, type StoredRun } from './run-record.js';
import { deleteRejects, pruneRejects, rejectsTableDdl } from './rejects-table.js';
import { RunWriter } from './run-writer.js';
import { assertJoinable, assertRunNotEnded, claimShardRows } from './shard-claim.js';
import { withShardLock } from './shard-lock.js';
import { ShardRole } from './shard-role.js';
import type { ShardStart, ShardWriter } from './shard-start.js';
import { SHARD_COLUMN, shardsTableDdl } from './shards-table.js';
import { deleteRun, finishRun, insertRun, runsTableDdl } from './runs-table.js';
import { PUBLISH_MODES, type LockHolder, type RunRecord, type RunStart, type Sink, type StagingWriter } from './sink.js';
import { execute, type SqlSession } from './sql-session.js';
import { columnsSql, publishedColumns, withRunConstants, type TableColumn } from './table-columns.js';
import { locksTableDdl, lockedError, releaseLock, thisProcess, withNewLock, type ProcessIdentity } from './table-lock.js';
import { stagingTableName, validateName, validateRunId } from './table-names.js';
import { assertOwnTable, loadTableState, type TableState } from './table-state.js';

/** The lock row's run id while a rollback holds the table; parentheses never appear in run ids. */
const ROLLBACK_HOLDER = '(rollback)';

/**
 * A Sink over any SqlSession: all the order of operations lives here once,
 * the adapters only speak their driver. One operation at a time per sink.
 */
export class TableSink implements Sink {
  /** Tables this sink is writing: a second `begin` on one of them is refused here, since a session lock is re-entrant. */
  private readonly writing = new Map<string, LockHolder>();

  private constructor(
    private readonly session: SqlSession,
    private readonly me: ProcessIdentity,
  ) {}

  /** Creates the bookkeeping tables (runs, locks, rejects, shards) if needed. Throws SINK_FAILED. */
  static async open(session: SqlSession, me: ProcessIdentity = thisProcess()): Promise<TableSink> {
    await session.transaction(async () => {
      for (const sql of [...session.dialect.setupGuards, runsTableDdl(session.dialect), locksTableDdl(session.dialect), rejectsTableDdl(session.dialect), shardsTableDdl(session.dialect)]) await session.run(sql);
    });
    return new TableSink(session, me);
  }

  async begin(run: RunStart): Promise<StagingWriter> {
    const columns = this.checkRun(run);
    const staging = stagingTableName(run.table, run.runId);
    const stagingColumns = withRunConstants(this.session.dialect, run, columns);
    const takenOver = await withNewLock(this.session, run.table, run.runId, this.me, async (dead) => {
      await this.startRun(run, columns, staging, stagingColumns, dead);
      return dead;
    });
    const inSchema = stagingColumns.filter((c) => c.constant !== undefined).map((c) => c.name);
    return this.writerFor(run, columns.map((c) => c.name), staging, takenOver, undefined, inSchema);
  }

  async beginShard(run: RunStart, shard: ShardStart): Promise<ShardWriter> {
    const { session, me } = this;
    const columns = this.checkRun(run);
    if (session.dialect.name !== 'postgres') {
      throw new PrescoreError('USAGE_INVALID_OPTION', `${session.location} cannot take a sharded run: shards coordinate through Postgres`, { hint: 'Publish to Postgres, or run one unsharded process' });
    }
    const staging = stagingTableName(run.table, run.runId);
    const stagingColumns: TableColumn[] = [...columns, { name: SHARD_COLUMN, type: 'integer' }];
    const claim = { table: run.table, runId: run.runId, shard: shard.index, count: shard.count, attempt: randomBytes(8).toString('hex') };
    const takenOver = await withShardLock(session, run.table, run.runId, me, async (joined, dead) => {
      if (joined) await assertJoinable(session, run, claim, staging, stagingColumns);
      else {
        await assertRunNotEnded(session, run);
        await this.startRun(run, columns, staging, stagingColumns, dead);
      }
      await claimShardRows(session, claim, me, staging, joined);
      return dead;
    });
    const names = columns.map((c) => c.name);
    const role = new ShardRole({ session, run, staging, columns: names, claim, gate: shard.gate, me });
    return this.writerFor(run, names, staging, takenOver, role);
  }

  async runs(table: string): Promise<RunRecord[]> {
    validateName('table', table);
    const { runs } = await loadTableState(this.session, table);
    const kept = await existingStaging(this.session, table, runs.filter((r) => r.status === 'failed').map((r) => r.runId));
    return runs.map((r) => withKeptStaging(toRunRecord(r), kept));
  }

  async rollback(table: string, toRunId?: string): Promise<string> {
    const { session } = this;
    validateName('table', table);
    if (toRunId !== undefined) validateRunId(toRunId);
    this.assertNotWriting(table);
    const restored = await withNewLock(session, table, ROLLBACK_HOLDER, this.me, async () => {
      const state = await loadTableState(session, table);
      const current = state.tableExists ? state.current : null;
      const target = toRunId === undefined ? state.kept.find((r) => r.status === 'superseded') : state.kept.find((r) => r.runId === toRunId);
      if (current === null || target === undefined) throw noPreviousVersion(table, current, state.kept, toRunId);
      await execute(session, [
        ...planRollback(session.dialect, { table, current: current.runId, target: target.runId, nextVersionSeq: state.nextVersionSeq }),
        releaseLock(session.dialect, table, ROLLBACK_HOLDER),
      ]);
      return target.runId;
    });
    await session.releaseExclusive(table);
    return restored;
  }

  async close(): Promise<void> {
    await this.session.close();
  }

  /** Validates a run's names and mode; returns its published columns. Throws SINK_INVALID_NAME, SINK_FAILED, SINK_LOCKED. */
  private checkRun(run: RunStart): TableColumn[] {
    validateName('table', run.table);
    validateRunId(run.runId);
    if (!PUBLISH_MODES.includes(run.mode)) throw new PrescoreError('SINK_FAILED', `Unknown publish mode "${String(run.mode)}"`, { hint: `Use one of ${PUBLISH_MODES.join(', ')}` });
    const columns = publishedColumns(run.outputColumns);
    this.assertNotWriting(run.table);
    return columns;
  }

  /** Records a new run and creates its staging table (with `stagingColumns`), inside the transaction that took the table's lock. */
  private async startRun(run: RunStart, columns: readonly TableColumn[], staging: string, stagingColumns: readonly TableColumn[], dead: LockHolder | null): Promise<void> {
    const { session } = this;
    const state = await loadTableState(session, run.table);
    assertOwnTable(state, run.table, session.location);
    if (run.mode === 'upsert' && state.current !== null && state.tableExists) await this.assertSameColumns(run.table, columns);
    await this.cleanUpDeadRuns(state, dead);
    await this.claimRunId(state, run.runId);
    await execute(session, [insertRun(session.dialect, run), pruneRejects(session.dialect, run.table)]);
    await session.run(`DROP TABLE IF EXISTS ${session.dialect.table(staging)}`);
    await session.run(session.dialect.createTable(staging, columnsSql(session.dialect, stagingColumns, ['entity_id']), {}));
  }

  /** The writer of a run (of one shard of it, with `shard`), recorded as writing `run.table` until it ends. */
  private writerFor(run: RunStart, columns: readonly string[], staging: string, takenOver: LockHolder | null, shard: ShardRole | undefined, inSchema: readonly string[] = []): RunWriter {
    const { session, me } = this;
    const now = me.now().toISOString();
    this.writing.set(run.table, { runId: run.runId, host: me.host, pid: me.pid, acquiredAt: now, heartbeatAt: now });
    return new RunWriter({ session, run, columns, inSchema, staging, takenOver, me, shard, onEnd: () => this.writing.delete(run.table) });
  }

  private assertNotWriting(table: string): void {
    const holder = this.writing.get(table);
    if (holder) throw lockedError(table, holder);
  }

  /** An upsert keeps the rows it did not rescore, so the table must already have exactly this run's columns. */
  private async assertSameColumns(table: string, columns: readonly TableColumn[]): Promise<void> {
    const have = await this.session.tableColumns(table);
    const want = columns.map((c) => c.name);
    if (have.length !== want.length || want.some((name) => !have.includes(name))) {
      throw new PrescoreError('SINK_FAILED', `Cannot upsert into table "${table}": it has columns (${have.join(', ')}), this run writes (${want.join(', ')})`, {
        hint: 'Run with --mode replace to publish a table with the new columns',
      });
    }
  }

  /** We hold the lock, so any run still marked running is dead: drop its staging and record why it ended. */
  private async cleanUpDeadRuns(state: TableState, dead: LockHolder | null): Promise<void> {
    const { session, me } = this;
    const why = dead
      ? `abandoned: its lock was taken over (pid ${dead.pid} on host ${dead.host}, last heartbeat ${dead.heartbeatAt})`
      : 'abandoned: it ended without publishing or aborting';
    for (const run of state.runs.filter((r) => r.status === 'running')) {
      await session.run(`DROP TABLE IF EXISTS ${session.dialect.table(stagingTableName(run.table, run.runId))}`);
      await execute(session, [finishRun(session.dialect, run.table, run.runId, { status: 'failed', finishedAt: me.now().toISOString(), error: why })]);
    }
  }

  /** A failed run's id may be used again (a retried job); a published one's names a kept version and may not. */
  private async claimRunId(state: TableState, runId: string): Promise<void> {
    const previous = state.runs.find((r) => r.runId === runId);
    if (previous === undefined) return;
    if (previous.status !== 'failed' && previous.status !== 'running') {
      throw new PrescoreError('SINK_FAILED', `Run id ${runId} was already used for table "${previous.table}" (status ${previous.status})`, {
        hint: 'Choose another --run-id, or leave it out to get a fresh one',
      });
    }
    await execute(this.session, [deleteRun(this.session.dialect, previous.table, runId), deleteRejects(this.session.dialect, previous.table, runId)]);
  }
}

function noPreviousVersion(table: string, current: StoredRun | null, kept: readonly StoredRun[], toRunId: string | undefined): PrescoreError {
  const versions = kept.length === 0 ? 'none' : kept.map((r) => `${r.runId} (${r.status}, published ${r.finishedAt ?? '?'})`).join('; ');
  const what =
    current === null
      ? `nothing is published in table "${table}"`
      : toRunId === undefined
        ? `table "${table}" keeps no superseded version before run ${current.runId}`
        : `run ${toRunId} ${toRunId === current.runId ? 'is the published version already' : `has no kept version of table "${table}"`}`;
  return new PrescoreError('SINK_NO_PREVIOUS_VERSION', `Cannot roll back: ${what}. Versions kept: ${versions}`, {
    hint: 'prescore keeps the 2 versions published before the current one; pick one of them with --to RUN_ID',
  });
}
