import { PrescoreError } from '../errors/index.js';
import { planPublish } from './publish-plan.js';
import { finishRun } from './runs-table.js';
import type { LockHolder, RunDetails, RunStart, RunTotals, ScoredBatch, StagingWriter } from './sink.js';
import { execute, type RowBlock, type SqlSession } from './sql-session.js';
import type { TableColumn } from './table-columns.js';
import { assertLockHeld, heartbeat, releaseLock, type ProcessIdentity } from './table-lock.js';
import { loadTableState } from './table-state.js';

/** How often the lock's heartbeat is refreshed between writes (ms); well under LOCK_STALE_AFTER_MS. */
const HEARTBEAT_EVERY_MS = 30_000;

/** What a RunWriter is handed by `begin`. */
export interface RunWriterContext {
  readonly session: SqlSession;
  readonly run: RunStart;
  readonly columns: readonly TableColumn[];
  readonly staging: string;
  readonly takenOver: LockHolder | null;
  readonly me: ProcessIdentity;
  /** Called once the run is published or aborted and its lock released. */
  readonly onEnd: () => void;
}

/**
 * The writer of one run, dialect-neutral. Each batch is one transaction that
 * also refreshes the lock's heartbeat, so a run that lost its lock finds out
 * at its next write. A timer refreshes the heartbeat too, for slow sources.
 */
export class RunWriter implements StagingWriter {
  readonly takenOver: LockHolder | null;
  private state: 'open' | 'published' | 'aborted' = 'open';
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly ctx: RunWriterContext) {
    this.takenOver = ctx.takenOver;
    // A failed beat is not fatal: the next write or publish checks the lock for real.
    this.timer = setInterval(() => void this.beat().catch(() => undefined), HEARTBEAT_EVERY_MS).unref();
  }

  /** Appends a batch to staging. Throws SINK_FAILED (bad batch shape, duplicate id, database error), SINK_LOCKED. */
  async write(batch: ScoredBatch): Promise<void> {
    this.assertOpen('write');
    const block = this.toBlock(batch);
    const { session, run, staging, columns } = this.ctx;
    await session.transaction(async () => {
      if ((await this.beat()) !== 1) await assertLockHeld(session, run.table, run.runId);
      await session.bulkInsert(staging, columns.map((c) => c.name), block);
    });
  }

  /**
   * Publishes the run (see planPublish). On failure nothing is published and
   * the run stays open for `abort`. Throws SINK_FAILED, SINK_LOCKED.
   */
  async publish(totals: RunTotals, details?: RunDetails): Promise<void> {
    this.assertOpen('publish');
    const { session, run, staging, columns, me } = this.ctx;
    // Checked before the merge too: a run whose lock was taken over has lost its staging table as well.
    await assertLockHeld(session, run.table, run.runId);
    const state = await loadTableState(session, run.table);
    const plan = planPublish(session.dialect, {
      table: run.table,
      runId: run.runId,
      mode: run.mode,
      staging,
      columns: columns.map((c) => c.name),
      current: state.current?.runId ?? null,
      tableExists: state.tableExists,
      kept: state.kept.map((r) => r.runId),
      nextVersionSeq: state.nextVersionSeq,
      totals,
      details,
      finishedAt: me.now().toISOString(),
    });
    await execute(session, plan.prepare);
    await session.transaction(async () => {
      await assertLockHeld(session, run.table, run.runId);
      await execute(session, plan.swap);
    });
    await this.end('published');
  }

  /** Drops staging, records the run as failed with `reason`, releases the lock. Throws SINK_FAILED. */
  async abort(reason: string, totals?: RunTotals, details?: RunDetails): Promise<void> {
    this.assertOpen('abort');
    const { session, run, staging, me } = this.ctx;
    const dialect = session.dialect;
    await session.transaction(async () => {
      await session.run(`DROP TABLE IF EXISTS ${dialect.table(staging)}`);
      await execute(session, [
        finishRun(dialect, run.table, run.runId, { status: 'failed', finishedAt: me.now().toISOString(), totals, details, error: reason }),
        releaseLock(dialect, run.table, run.runId),
      ]);
    });
    await this.end('aborted');
  }

  private async beat(): Promise<number> {
    const { session, run, me } = this.ctx;
    const s = heartbeat(session.dialect, run.table, run.runId, me.now());
    return session.run(s.sql, s.params);
  }

  private async end(state: 'published' | 'aborted'): Promise<void> {
    this.state = state;
    clearInterval(this.timer);
    this.ctx.onEnd();
    await this.ctx.session.releaseExclusive(this.ctx.run.table);
  }

  private assertOpen(action: string): void {
    if (this.state !== 'open') throw new PrescoreError('SINK_FAILED', `Cannot ${action} run ${this.ctx.run.runId}: it was already ${this.state}`);
  }

  /** Column-major batch → the staging table's columns, constants not repeated per row. */
  private toBlock(batch: ScoredBatch): RowBlock {
    const { run } = this.ctx;
    const rows = batch.ids.length;
    if (batch.columns.length !== run.outputColumns.length || batch.columns.some((c) => c.length !== rows)) {
      throw new PrescoreError('SINK_FAILED', `A batch of run ${run.runId} does not match its columns`, {
        value: `${rows} ids; columns of ${batch.columns.map((c) => c.length).join(', ')} values; ${run.outputColumns.length} expected`,
        hint: 'This is a bug in prescore: please report it',
      });
    }
    const [score, ...extras] = batch.columns;
    return {
      rowCount: rows,
      columns: [
        { values: batch.ids },
        { values: score ?? [] },
        { constant: run.modelVersion },
        { constant: run.runId },
        { constant: run.startedAt },
        ...extras.map((values) => ({ values })),
      ],
    };
  }
}
