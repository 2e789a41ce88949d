import { randomBytes } from 'node:crypto';

import { RejectTally } from '../gates/index.js';
import { RunProfile, RunTimer, type RunTimings, type ScoreStats } from '../report/index.js';
import { WorkerPool, type ScoredChunk } from '../scoring/index.js';
import { openSink, redactUrl, type InputObject, type RunStart, type RunTotals, type ShardWriter, type StagingWriter } from '../sinks/index.js';
import type { JobContext } from './job-context.js';
import { loadModel, openTable, workerSetup } from './job-inputs.js';
import { judgeRun } from './publish-gate.js';
import { scoreAll } from './score-all.js';
import type { ResolvedScoreOptions } from './score-options.js';
import { logStagingOpen, ScoredFeed } from './scored-feed.js';
import { shardGate, shardSummary, type ShardSummary } from './shard-job.js';
import { shardRunId } from './shard-plan.js';
import { WorkerPlan } from './worker-plan.js';

/** What a finished run reports: the one-line JSON summary under cron. */
export interface RunSummary {
  /** `shard-done`: this shard's rows are in, and other shards have yet to finish. */
  readonly status: 'published' | 'shard-done';
  readonly runId: string;
  readonly table: string;
  readonly output: string;
  readonly mode: string;
  readonly model: string;
  readonly modelSha256: string;
  readonly modelVersion: string;
  readonly inputs: readonly InputObject[];
  readonly rowsRead: number;
  readonly rowsScored: number;
  readonly rowsRejected: number;
  readonly score: ScoreStats;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly timings: RunTimings;
  /** Each gate's status (README, "Gates"); `forced` when --force published over a failed one. */
  readonly gates: Readonly<Record<string, string>>;
  readonly forced: boolean;
  /** This process's shard, for a sharded run. */
  readonly shard?: ShardSummary;
}

/**
 * Scores the table and publishes it: model and mapping are checked and every
 * worker has loaded the model before the sink is touched; rows go to staging;
 * publish happens only when every row is in. Any failure aborts staging and
 * leaves the published table as it was. Throws the first failure's PrescoreError.
 */
export async function runScoreJob(options: ResolvedScoreOptions, context: JobContext): Promise<RunSummary> {
  const started = context.now();
  const timer = new RunTimer();
  const { logger } = context;
  // The threads start now and load the runtime while the model and the table's header are read.
  const pool = WorkerPool.spawn(options.workers, options.chunkBytes);
  const { model, opened, setup } = await (async () => {
    const model = await loadModel(options, context);
    const opened = await openTable(options, context, pool.buffers);
    return { model, opened, setup: { ...workerSetup(options, model, opened.header), rowShard: opened.rowShard } };
  })().catch(async (error: unknown) => {
    await pool.destroy();
    throw error;
  });
  logger.log('info', 'plan', {
    inputs: setup.inputs.bindings.map((b) => `${b.input}<-${b.columns.join('|')}`),
    unused: setup.inputs.unusedColumns,
    outputs: setup.outputs.map((o) => `${o.column}<-${o.output}${o.index === undefined ? '' : `:${o.index}`}`),
  });

  await pool.load(setup);
  let writer: StagingWriter | undefined;
  let shardWriter: ShardWriter | undefined;
  let feed: ScoredFeed | undefined;
  const sink = await openSink(options.output, options.schema === undefined ? {} : { schema: options.schema }).catch(async (error: unknown) => {
    await pool.destroy();
    throw error;
  });
  const runId = options.runId ?? (options.shard ? shardRunId({ ...options, shard: options.shard }, model.sha256, opened.listed) : newRunId(started));
  const modelVersion = options.modelVersion ?? model.signature.metadata.model_version ?? `sha256:${model.sha256.slice(0, 12)}`;
  const inputs: InputObject[] = [];
  const tally = new RejectTally(options.maxRejectRate, options.maxRejects);
  const profile = new RunProfile(context.now);
  let rowsScored = 0;
  try {
    feed = new ScoredFeed(options.rejectsFile, { objects: opened.objects, sources: context.sources, delimiter: options.delimiter, chunkBytes: options.chunkBytes, setup });
    const start: RunStart = {
      runId,
      table: options.table,
      mode: options.mode,
      modelUri: options.model,
      modelSha256: model.sha256,
      modelVersion,
      inputs: opened.objects.map((o) => ({ uri: o.uri, size: o.size, ...(o.version === undefined ? {} : { version: o.version }) })),
      outputColumns: setup.outputs.map((o) => ({ name: o.column, type: o.type })),
      startedAt: started.toISOString(),
      toolVersion: context.toolVersion,
      onDuplicate: options.onDuplicate,
    };
    // `workers`: the ones the run fed, known once the plan has chosen (read when the gates record the run).
    const gateJob = {
      table: options.table,
      runId,
      mode: options.mode,
      thresholds: options.gates,
      force: options.force,
      get workers() {
        return pool.feeding;
      },
    };
    const plan = pool.size === 1 ? undefined : new WorkerPlan(pool, (choice) => logger.log('info', 'workers', { ...choice }));
    const shard = options.shard && { ...options.shard, ...shardGate(sink, gateJob, { profile, timings: () => timer.result() }, options, context) };
    writer = shard ? (shardWriter = await sink.beginShard(start, shard)) : await sink.begin(start);
    const staging = writer;
    const scoredFeed = feed;
    logStagingOpen(logger, options.table, runId, staging);
    const onScored = async (result: ScoredChunk): Promise<void> => {
      await timer.time('writeMs', () => scoredFeed.write(staging, result));
      tally.add(result.rowsRead, result.rejects);
      profile.add(result);
      rowsScored += result.ids.length;
      timer.add('parseMs', result.timings.parseMs);
      timer.add('inferMs', result.timings.inferMs);
      plan?.delivery();
    };
    await scoreAll(opened, options, context, pool, onScored, inputs, timer);
    // A shard's rate is not the run's: the shard that completes the run checks the summed counts (shard-job.ts).
    if (!options.shard) tally.check();
    const score = profile.scoreStats();
    const totals: RunTotals = { inputs, rowsRead: tally.rowsRead, rowsScored, rowsRejected: tally.rejected, scoreMin: score.min, scoreMean: score.mean, scoreMax: score.max };
    const verdict = shard ? undefined : await judgeRun(sink, gateJob, { totals, score, profile, timings: timer.result() }, context);
    if (verdict?.refusal !== undefined) {
      writer = undefined; // aborted here, keeping staging for inspection: not again below
      await staging.abort(verdict.refusal.message, totals, verdict.details, { keepStaging: true });
      throw verdict.refusal;
    }
    // The last point where a signal stops the run; once the publish has begun it finishes, atomically.
    context.signal.throwIfAborted();
    logger.log('info', 'publish', { table: options.table, runId, rowsScored });
    await timer.time('publishMs', () => staging.publish(totals, verdict?.details));
    const ran = verdict ?? shard?.verdict();
    const seconds = (context.now().getTime() - started.getTime()) / 1000;
    return {
      status: 'published',
      ...(options.shard && shardSummary(options.shard, opened.rowShard ? 'id' : 'object', shardWriter?.outcome)),
      runId,
      table: options.table,
      output: redactUrl(options.output),
      mode: options.mode,
      model: options.model,
      modelSha256: model.sha256,
      modelVersion,
      inputs,
      rowsRead: tally.rowsRead,
      rowsScored,
      rowsRejected: tally.rejected,
      score,
      seconds,
      rowsPerSecond: seconds > 0 ? Math.round(tally.rowsRead / seconds) : 0,
      timings: timer.result(),
      gates: ran?.statuses ?? {},
      forced: ran?.forced ?? false,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const totals = { rowsRead: tally.rowsRead, rowsScored, rowsRejected: tally.rejected, scoreMin: null, scoreMean: null, scoreMax: null };
    await writer?.abort(reason, totals).catch((abortError: unknown) => logger.log('error', 'abort-failed', { reason: String(abortError) }));
    throw error;
  } finally {
    context.progress.done();
    feed?.close();
    await pool.destroy();
    await sink.close();
  }
}

/** `20261121T123456Z-3fa9c1`: sortable by time, unique across parallel runs. */
function newRunId(at: Date): string {
  return `${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}
