import { PrescoreError } from '../errors/index.js';
import { duplicateIdError, rowsToWrite } from './duplicate-ids.js';
import { insertRejects } from './rejects-table.js';
import type { ShardRole } from './shard-role.js';
import type { ShardOutcome, ShardWriter } from './shard-start.js';
import type { AbortOptions, LockHolder, RunDetails, RunStart, RunTotals, ScoredBatch } from './sink.js';
import { execute, type BlockColumn, type RowBlock, type SqlSession } from './sql-session.js';
import { runConstants } from './table-columns.js';
import { failStaging, publishStaging } from './staging-outcome.js';
import { assertLockHeld, heartbeat, type ProcessIdentity } from './table-lock.js';

/** How often the lock's heartbeat is refreshed between writes (ms); well under LOCK_STALE_AFTER_MS. */
const HEARTBEAT_EVERY_MS = 30_000;

/** What a RunWriter is handed by `begin`. */
export interface RunWriterContext {
  readonly session: SqlSession;
  readonly run: RunStart;
  /** Staging's column names as published (without the shard column). */
  readonly columns: readonly string[];
  /** Those of `columns` staging keeps in its schema as constants (table-columns.ts, `withRunConstants`): not written per row. */
  readonly inSchema: readonly string[];
  readonly staging: string;
  readonly takenOver: LockHolder | null;
  readonly me: ProcessIdentity;
  /** Set when this process writes one shard of a sharded run: its publish and abort end the shard (shard-role.ts). */
  readonly shard?: ShardRole | undefined;
  /** Called once the run is published or aborted and its lock released. */
  readonly onEnd: () => void;
}

/**
 * The writer of one run, dialect-neutral. Each batch is one transaction that
 * also refreshes the lock's heartbeat, so a run that lost its lock finds out
 * at its next write. A timer refreshes the heartbeat too, for slow sources.
 */
export class RunWriter implements ShardWriter {
  readonly takenOver: LockHolder | null;
  private state: 'open' | 'published' | 'aborted' = 'open';
  /** Rejects recorded so far, committed. */
  private rejectsKept = 0;
  /** The columns each batch is inserted into: a shard's rows also carry its index. */
  private readonly stagingColumns: readonly string[];
  private readonly constants: Readonly<Record<string, string>>;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly ctx: RunWriterContext) {
    this.takenOver = ctx.takenOver;
    const written = ctx.columns.filter((name) => !ctx.inSchema.includes(name));
    this.stagingColumns = ctx.shard ? [...written, ctx.shard.column] : written;
    this.constants = runConstants(ctx.run);
    // A failed beat is not fatal: the next write or publish checks the lock for real.
    this.timer = setInterval(() => void this.beat().catch(() => undefined), HEARTBEAT_EVERY_MS).unref();
  }

  get outcome(): ShardOutcome | undefined {
    return this.ctx.shard?.outcome;
  }

  /**
   * Appends a batch to staging and records its rejects (see rowsToWrite for
   * repeated ids). Throws CSV_DUPLICATE_ID, SINK_FAILED (bad batch shape,
   * database error), SINK_LOCKED.
   */
  async write(batch: ScoredBatch): Promise<void> {
    this.assertOpen('write');
    const block = this.toBlock(batch);
    const { session, run, staging, shard } = this.ctx;
    try {
      this.rejectsKept += await session.transaction(async () => {
        if ((await this.beat()) !== 1) await assertLockHeld(session, run.table, run.runId);
        await shard?.claimed();
        const rejects = await insertRejects(session, run.table, run.runId, this.rejectsKept, batch.rejects ?? [], shard);
        const rows = await rowsToWrite(session, staging, run.onDuplicate ?? 'error', batch.ids, block);
        if (rows.rowCount > 0) await session.bulkInsert(staging, this.stagingColumns, rows);
        return rejects;
      });
    } catch (error) {
      throw await duplicateIdError(session, staging, batch.ids, error);
    }
  }

  /**
   * Publishes the run in one transaction (see publishStaging); a shard records
   * itself done instead, and publishes the run if it is the last (see
   * ShardRole.finish). On failure nothing is published and the run stays open
   * for `abort`. Throws SINK_FAILED, SINK_LOCKED.
   */
  async publish(totals: RunTotals, details?: RunDetails): Promise<void> {
    this.assertOpen('publish');
    const { session, run, staging, columns, me, shard } = this.ctx;
    if (shard) await shard.finish(totals, details);
    else await session.transaction(() => publishStaging(session, { run, staging, columns, totals, details, finishedAt: me.now().toISOString() }));
    await this.end('published');
  }

  /** Drops staging (or keeps it: see kept-staging.ts), records the run as failed with `reason`, releases the lock. Throws SINK_FAILED. */
  async abort(reason: string, totals?: RunTotals, details?: RunDetails, options?: AbortOptions): Promise<void> {
    this.assertOpen('abort');
    const { session, run, staging, me, shard } = this.ctx;
    // A shard's failure is not the run's: the run stays open for a retry of this shard.
    if (shard) await shard.fail(reason);
    else await session.transaction(() => failStaging(session, { run, staging, totals, details, finishedAt: me.now().toISOString() }, reason, options?.keepStaging === true));
    await this.end('aborted');
  }

  private async beat(): Promise<number> {
    const { session, run, me } = this.ctx;
    return execute(session, [heartbeat(session.dialect, run.table, run.runId, me.now())]);
  }

  private async end(state: 'published' | 'aborted'): Promise<void> {
    this.state = state;
    clearInterval(this.timer);
    this.ctx.onEnd();
    if (this.ctx.shard) await this.ctx.shard.release();
    else await this.ctx.session.releaseExclusive(this.ctx.run.table);
  }

  private assertOpen(action: string): void {
    if (this.state !== 'open') throw new PrescoreError('SINK_FAILED', `Cannot ${action} run ${this.ctx.run.runId}: it was already ${this.state}`);
  }

  /** Column-major batch → the columns staging is written with, constants not repeated per row. */
  private toBlock(batch: ScoredBatch): RowBlock {
    const { run, shard } = this.ctx;
    const rows = batch.ids.length;
    if (batch.columns.length !== run.outputColumns.length || batch.columns.some((c) => c.length !== rows)) {
      throw new PrescoreError('SINK_FAILED', `A batch of run ${run.runId} does not match its columns`, {
        value: `${rows} ids; columns of ${batch.columns.map((c) => c.length).join(', ')} values; ${run.outputColumns.length} expected`,
        hint: 'This is a bug in prescore: please report it',
      });
    }
    const [score, ...extras] = batch.columns;
    const byName = new Map<string, BlockColumn>([
      ['entity_id', { values: batch.ids }],
      ['score', { values: score ?? [] }],
      ...Object.entries(this.constants).map(([name, constant]): [string, BlockColumn] => [name, { constant }]),
      ...extras.map((values, i): [string, BlockColumn] => [run.outputColumns[i + 1]!.name, { values }]),
    ]);
    if (shard) byName.set(shard.column, { constant: shard.index });
    return { rowCount: rows, columns: this.stagingColumns.map((name) => byName.get(name)!) };
  }
}
