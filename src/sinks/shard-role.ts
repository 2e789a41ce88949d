import { PrescoreError } from '../errors/index.js';
import { RUNS_TABLE } from './table-names.js';
import type { RunDetails, RunStart, RunTotals } from './sink.js';
import type { ShardOutcome, ShardStart } from './shard-start.js';
import { shardsKey } from './shard-lock.js';
import { beatShard, loadShards, SHARD_COLUMN, shardDone, shardFailed, sumShards, type ShardClaim } from './shards-table.js';
import { execute, type SqlSession } from './sql-session.js';
import { failStaging, publishStaging } from './staging-outcome.js';
import { assertLockHeld, type ProcessIdentity } from './table-lock.js';

/** What a shard's role needs: its run, the run's staging, and its claim on the shard. */
export interface ShardRoleContext {
  readonly session: SqlSession;
  readonly run: RunStart;
  readonly staging: string;
  /** Staging's column names as published (without SHARD_COLUMN). */
  readonly columns: readonly string[];
  readonly claim: ShardClaim;
  readonly gate: ShardStart['gate'];
  readonly me: ProcessIdentity;
}

/**
 * What makes a RunWriter the writer of one shard (see shard-start.ts): its
 * rows carry the shard's index in SHARD_COLUMN, every write checks that this
 * attempt still owns the shard, and publish/abort end the shard, not the run,
 * unless this is the shard that completes it.
 */
export class ShardRole {
  readonly column = SHARD_COLUMN;
  outcome: ShardOutcome | undefined;

  constructor(private readonly ctx: ShardRoleContext) {}

  get index(): number {
    return this.ctx.claim.shard;
  }

  get count(): number {
    return this.ctx.claim.count;
  }

  /** Run inside every write's transaction. Throws SINK_LOCKED when another attempt claimed this shard since. */
  async claimed(): Promise<void> {
    const { session, claim, me } = this.ctx;
    if ((await execute(session, [beatShard(session.dialect, claim, me.now())])) !== 1) throw await this.replaced();
  }

  /**
   * Records this shard done; the shard that finds every shard done publishes
   * the run in the same transaction, after `gate`. Shards finish one at a time
   * (a transaction lock), so exactly one of them sees the run complete; if it
   * dies before committing, nothing is published and its retry publishes.
   * A gate's error fails the run (staging kept) and is rethrown.
   * Throws SINK_LOCKED, SINK_FAILED, and what the gate throws.
   */
  async finish(totals: RunTotals, details: RunDetails | undefined): Promise<void> {
    const { session, run, claim, me } = this.ctx;
    let refused: { error: unknown; totals: RunTotals } | undefined;
    try {
      this.outcome = await session.transaction(async (): Promise<ShardOutcome> => {
        await session.serialize(shardsKey(run.table));
        if ((await execute(session, [shardDone(session.dialect, claim, totals, me.now())])) !== 1) throw await this.replaced();
        await assertLockHeld(session, run.table, run.runId);
        const shards = await loadShards(session, run.table, run.runId);
        const shardsDone = shards.filter((s) => s.status === 'done').length;
        if (shardsDone < claim.count) return { published: false, shardsDone, shardCount: claim.count, totals };
        const whole = await this.wholeRun(sumShards(shards));
        let gated: RunDetails | undefined;
        try {
          gated = await this.ctx.gate?.(whole);
        } catch (error) {
          refused = { error, totals: whole.totals };
          throw error;
        }
        await session.run(`ALTER TABLE ${session.dialect.table(this.ctx.staging)} DROP COLUMN ${session.dialect.quote(SHARD_COLUMN)}`);
        const recorded = { ...details, ...gated, shards: claim.count };
        await publishStaging(session, { run, staging: this.ctx.staging, columns: this.ctx.columns, totals: whole.totals, details: recorded, finishedAt: me.now().toISOString() });
        return { published: true, shardsDone, shardCount: claim.count, totals: whole.totals };
      });
    } catch (error) {
      if (refused !== undefined) {
        const reason = refused.error instanceof Error ? refused.error.message : String(refused.error);
        await session.transaction(() => failStaging(session, { run, staging: this.ctx.staging, totals: refused!.totals, finishedAt: me.now().toISOString() }, reason, true));
      }
      throw error;
    }
  }

  /** Records this attempt failed; the run stays open for a retry of this shard, and says why in its `error`. Throws SINK_FAILED. */
  async fail(reason: string): Promise<void> {
    const { session, run, claim, me } = this.ctx;
    await session.transaction(async () => {
      await execute(session, [shardFailed(session.dialect, claim, reason, me.now())]);
      await session.run(`UPDATE ${session.dialect.table(RUNS_TABLE)} SET error = ? WHERE table_name = ? AND run_id = ? AND status = 'running'`, [
        `shard ${claim.shard}/${claim.count} failed (a retry of it resumes the run): ${reason}`,
        run.table,
        run.runId,
      ]);
    });
  }

  /** Releases the shared session lock this shard held on the table. */
  async release(): Promise<void> {
    await this.ctx.session.releaseShared(this.ctx.run.table);
  }

  /** The summed totals with the score statistics of everything in staging (finite scores; NaN is stored NULL). */
  private async wholeRun(summed: RunTotals): Promise<{ totals: RunTotals; nonFiniteScores: number }> {
    const { session, staging } = this.ctx;
    // `score - score = 0` holds for finite scores only: NULL and ±Infinity fail it on every dialect.
    const [row] = await session.all<Record<string, unknown>>(
      `SELECT count(*) AS n, count(CASE WHEN score - score = 0 THEN 1 END) AS finite, min(CASE WHEN score - score = 0 THEN score END) AS lo,
              avg(CASE WHEN score - score = 0 THEN score END) AS mean, max(CASE WHEN score - score = 0 THEN score END) AS hi
       FROM ${session.dialect.table(staging)}`,
    );
    const value = (key: string): number | null => (row?.[key] == null ? null : Number(row[key]));
    return {
      totals: { ...summed, scoreMin: value('lo'), scoreMean: value('mean'), scoreMax: value('hi') },
      nonFiniteScores: (value('n') ?? 0) - (value('finite') ?? 0),
    };
  }

  /** SINK_LOCKED naming the attempt that took this shard over. */
  private async replaced(): Promise<PrescoreError> {
    const { session, run, claim } = this.ctx;
    const now = (await loadShards(session, run.table, run.runId)).find((s) => s.shard === claim.shard);
    return new PrescoreError(
      'SINK_LOCKED',
      `Shard ${claim.shard}/${claim.count} of run ${run.runId} was claimed again${now ? ` by pid ${now.pid} on host ${now.host}` : ''}; this attempt stops and its rows are replaced`,
      { hint: 'Two processes ran the same shard index (an engine retry while the first still ran); the later one carries on' },
    );
  }
}
