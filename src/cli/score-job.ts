import { randomBytes } from 'node:crypto';

import { readChunks, type Chunk } from '../chunking/index.js';
import { PrescoreError } from '../errors/index.js';
import { loadModelFile, planInputs, planOutputs, type LoadedModel } from '../model/index.js';
import type { Logger, ProgressReporter } from '../report/index.js';
import { RunTimer, ScoreStatsAccumulator, type RunTimings, type ScoreStats } from '../report/index.js';
import { WorkerPool, preflighted, type RowShard, type ScoredChunk, type WorkerSetup } from '../scoring/index.js';
import { openSink, redactUrl, type InputObject, type RunStart, type RunTotals, type ShardWriter, type StagingWriter } from '../sinks/index.js';
import { fetchModel, listObjects, openObject, type SourceOptions, type StoredObject } from '../sources/index.js';
import { RejectTally } from '../gates/index.js';
import type { ResolvedScoreOptions } from './score-options.js';
import { RunProfile } from '../report/index.js';
import { judgeRun } from './publish-gate.js';
import type { RunFacts } from './run-metrics-file.js';
import { logStagingOpen, ScoredFeed } from './scored-feed.js';
import { shardGate, shardSummary, type ShardSummary } from './shard-job.js';
import type { ShardSpec } from './shard-option.js';
import { shardPart, shardRunId } from './shard-plan.js';

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

/** The edges a job talks to, passed in so that the job itself never reads globals. */
export interface JobContext {
  readonly logger: Logger;
  readonly progress: ProgressReporter;
  readonly signal: AbortSignal;
  readonly sources: SourceOptions;
  readonly toolVersion: string;
  readonly now: () => Date;
  /** Told the run's counts and gate verdicts before it publishes or is refused (the metrics file). */
  readonly observe?: (facts: RunFacts) => void;
}

/** A table opened for reading: its objects, header and the first object's chunks. */
export interface OpenedTable {
  /** The objects this process reads: all of them, or a shard's part (shard-plan.ts). */
  readonly objects: readonly StoredObject[];
  /** Every object the input lists. */
  readonly listed: readonly StoredObject[];
  /** Set when this shard scores only the rows whose id hashes to it. */
  readonly rowShard: RowShard | undefined;
  readonly header: readonly string[];
  readonly first: { readonly chunks: AsyncIterable<Chunk>; readonly result: () => InputObject };
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
  const model = await loadModel(options, context);
  const opened = await openTable(options, context);
  const setup = { ...workerSetup(options, model, opened.header), rowShard: opened.rowShard };
  // The first chunk is checked against the mapping on its way to the pool, before any row is scored.
  const table = { ...opened, first: { ...opened.first, chunks: preflighted(opened.first.chunks, setup) } };
  logger.log('info', 'plan', {
    inputs: setup.inputs.bindings.map((b) => `${b.input}<-${b.columns.join('|')}`),
    unused: setup.inputs.unusedColumns,
    outputs: setup.outputs.map((o) => `${o.column}<-${o.output}${o.index === undefined ? '' : `:${o.index}`}`),
  });

  const pool = await WorkerPool.start(setup, options.workers);
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
  const stats = new ScoreStatsAccumulator();
  const profile = new RunProfile(context.now);
  let rowsScored = 0;
  try {
    feed = new ScoredFeed(options.rejectsFile, { objects: table.objects, sources: context.sources, delimiter: options.delimiter, chunkBytes: options.chunkBytes, setup });
    const start: RunStart = {
      runId,
      table: options.table,
      mode: options.mode,
      modelUri: options.model,
      modelSha256: model.sha256,
      modelVersion,
      inputs: table.objects.map((o) => ({ uri: o.uri, size: o.size, ...(o.version === undefined ? {} : { version: o.version }) })),
      outputColumns: setup.outputs.map((o) => ({ name: o.column, type: o.type })),
      startedAt: started.toISOString(),
      toolVersion: context.toolVersion,
      onDuplicate: options.onDuplicate,
    };
    const gateJob = { table: options.table, runId, mode: options.mode, thresholds: options.gates, force: options.force, workers: options.workers };
    const shard = options.shard && { ...options.shard, ...shardGate(sink, gateJob, { profile, timings: () => timer.result() }, options, context) };
    writer = shard ? (shardWriter = await sink.beginShard(start, shard)) : await sink.begin(start);
    const staging = writer;
    const scoredFeed = feed;
    logStagingOpen(logger, options.table, runId, staging);
    const onScored = async (result: ScoredChunk): Promise<void> => {
      await timer.time('writeMs', () => scoredFeed.write(staging, result));
      tally.add(result.rowsRead, result.rejects);
      stats.add(result.columns[0] ?? []);
      profile.add(result);
      rowsScored += result.ids.length;
      timer.add('parseMs', result.timings.parseMs);
      timer.add('inferMs', result.timings.inferMs);
    };
    await scoreAll(table, options, context, pool, onScored, inputs, timer);
    // A shard's rate is not the run's: the shard that completes the run checks the summed counts (shard-job.ts).
    if (!options.shard) tally.check();
    const score = stats.result();
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

/** Fetches, verifies and reads the model; the signature is all the main thread needs of it. */
export async function loadModel(options: Pick<ResolvedScoreOptions, 'model' | 'modelSha256' | 'cacheDir'>, context: Pick<JobContext, 'sources' | 'logger'>): Promise<LoadedModel> {
  const fetched = await fetchModel(options.model, {
    ...context.sources,
    cacheDir: options.cacheDir,
    ...(options.modelSha256 === undefined ? {} : { expectedSha256: options.modelSha256 }),
  });
  context.logger.log('info', 'model', { uri: fetched.object.uri, sha256: fetched.object.sha256, cached: fetched.cached });
  return loadModelFile(fetched.bytes, options.model);
}

/** Lists the input objects and reads the first one's header. */
export async function openTable(
  options: Pick<ResolvedScoreOptions, 'input' | 'delimiter' | 'chunkBytes'> & { readonly shard?: ShardSpec | undefined },
  context: Pick<JobContext, 'sources'>,
): Promise<OpenedTable> {
  const listed = await listObjects(options.input, context.sources);
  const { objects, rowShard } = shardPart(listed, options.shard);
  const first = objects[0]!;
  const read = openObject(first, context.sources);
  const { header, chunks } = await readChunks(read.bytes, { source: first.uri, delimiter: options.delimiter, targetChunkBytes: options.chunkBytes });
  return { objects, listed, rowShard, header, first: { chunks, result: () => read.result() } };
}

/** The plain data every worker gets: model bytes, parse spec, mapping, outputs. */
export function workerSetup(options: ResolvedScoreOptions, model: LoadedModel, header: readonly string[]): WorkerSetup {
  const inputs = planInputs(model.signature, header, {
    idColumn: options.idColumn,
    file: options.input,
    ...(options.features === undefined ? {} : { features: options.features }),
    fill: options.fill,
  });
  const outputs = planOutputs(model.signature, model.classLabels, {
    ...(options.score === undefined ? {} : { score: options.score }),
    extra: options.extra,
  });
  return {
    modelBytes: model.bytes,
    modelFile: options.model,
    parse: {
      delimiter: options.delimiter,
      header,
      idColumn: inputs.idColumnIndex,
      numeric: inputs.numericColumns,
      text: inputs.textColumns,
      naValues: options.naValues,
      maxFieldBytes: 1 << 20,
      maxIdBytes: 256,
    },
    inputs,
    outputs,
    batchRows: inputs.fixedBatch ?? options.batchRows,
  };
}

/**
 * Feeds every chunk of every object to the pool, keeping at most
 * `pool.capacity` chunks in flight: the reader waits for the pool, so memory
 * stays flat whatever the input size.
 */
async function scoreAll(
  table: OpenedTable,
  options: ResolvedScoreOptions,
  context: JobContext,
  pool: WorkerPool,
  onScored: (result: ScoredChunk) => Promise<void>,
  inputs: InputObject[],
  timer: RunTimer,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const totalBytes = table.objects.every((o) => o.size >= 0 && !isGzip(o.uri)) ? table.objects.reduce((n, o) => n + o.size, 0) : undefined;
  const startedAt = Date.now();
  let bytes = 0;
  let rows = 0;
  let failure: unknown;
  let delivered = Promise.resolve();
  const submit = async (chunk: Chunk): Promise<void> => {
    while (inFlight.size >= pool.capacity) await Promise.race(inFlight);
    if (failure !== undefined) throw failure;
    context.signal.throwIfAborted();
    bytes += chunk.bytes.byteLength;
    const previous = delivered;
    const task = pool
      .submit(chunk)
      // Results go on in input order (staging sees rows by line, for --on-duplicate); a chunk counts as
      // in flight until then, so the reorder buffer is bounded by the pool's capacity.
      .then(async (result) => {
        await previous;
        if (failure !== undefined) return;
        rows += result.rowsRead;
        await onScored(result);
        context.progress.update({ rows, bytes, totalBytes, elapsedMs: Date.now() - startedAt });
      })
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
    delivered = task;
  };
  try {
    for (let i = 0; i < table.objects.length; i++) {
      const object = table.objects[i]!;
      const current = i === 0 ? table.first : await openNext(object, table.header, options, context);
      const chunks = current.chunks[Symbol.asyncIterator]();
      for (;;) {
        const next = await timer.time('readMs', () => chunks.next());
        if (next.done === true) break;
        await submit(next.value);
      }
      inputs.push(current.result());
    }
  } catch (error) {
    failure ??= error;
  }
  // Even on failure: the caller aborts staging next, which must not interleave with a write still going.
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  // A shard may own no row (a small table split by id, empty parts): the run's total is checked when it completes.
  if (rows === 0 && !options.shard) {
    throw new PrescoreError('CSV_NO_ROWS', 'The table has a header but no rows', { file: table.objects[0]!.uri, hint: 'Check the export that produced it' });
  }
}

async function openNext(object: StoredObject, header: readonly string[], options: ResolvedScoreOptions, context: JobContext): Promise<OpenedTable['first']> {
  const read = openObject(object, context.sources);
  const next = await readChunks(read.bytes, { source: object.uri, delimiter: options.delimiter, targetChunkBytes: options.chunkBytes });
  if (next.header.join('\u0000') !== header.join('\u0000')) {
    const at = next.header.findIndex((name, i) => name !== header[i]);
    throw new PrescoreError('CSV_HEADER_MISMATCH', `This part's header differs from the first part's at column ${at + 1} ("${next.header[at] ?? ''}" instead of "${header[at] ?? ''}")`, {
      file: object.uri,
      line: 1,
      column: at + 1,
      hint: 'All parts of one table must have the same columns in the same order',
    });
  }
  return { chunks: next.chunks, result: () => read.result() };
}

function isGzip(uri: string): boolean {
  return uri.endsWith('.gz');
}

/** `20261121T123456Z-3fa9c1`: sortable by time, unique across parallel runs. */
function newRunId(at: Date): string {
  return `${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}
