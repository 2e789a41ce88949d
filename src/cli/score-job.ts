import { randomBytes } from 'node:crypto';

import { readChunks, type Chunk } from '../chunking/index.js';
import { PrescoreError } from '../errors/index.js';
import { loadModelFile, planInputs, planOutputs, type LoadedModel } from '../model/index.js';
import type { Logger, ProgressReporter } from '../report/index.js';
import { ScoreStatsAccumulator, type ScoreStats } from '../report/index.js';
import { WorkerPool, type ScoredChunk, type WorkerSetup } from '../scoring/index.js';
import { openSink, redactUrl, type InputObject, type RunTotals, type StagingWriter } from '../sinks/index.js';
import { fetchModel, listObjects, openObject, type SourceOptions, type StoredObject } from '../sources/index.js';
import { RejectTally } from '../gates/index.js';
import type { ResolvedScoreOptions } from './score-options.js';

/** What a finished run reports: the one-line JSON summary under cron. */
export interface RunSummary {
  readonly status: 'published';
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
}

/** The edges a job talks to, passed in so that the job itself never reads globals. */
export interface JobContext {
  readonly logger: Logger;
  readonly progress: ProgressReporter;
  readonly signal: AbortSignal;
  readonly sources: SourceOptions;
  readonly toolVersion: string;
  readonly now: () => Date;
}

/** A table opened for reading: its objects, header and the first object's chunks. */
export interface OpenedTable {
  readonly objects: readonly StoredObject[];
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
  const { logger } = context;
  const model = await loadModel(options, context);
  const table = await openTable(options, context);
  const setup = workerSetup(options, model, table.header);
  logger.log('info', 'plan', {
    inputs: setup.inputs.bindings.map((b) => `${b.input}<-${b.columns.join('|')}`),
    unused: setup.inputs.unusedColumns,
    outputs: setup.outputs.map((o) => `${o.column}<-${o.output}${o.index === undefined ? '' : `:${o.index}`}`),
  });

  const pool = await WorkerPool.start(setup, options.workers);
  let writer: StagingWriter | undefined;
  const sink = await openSink(options.output, options.schema === undefined ? {} : { schema: options.schema }).catch(async (error: unknown) => {
    await pool.destroy();
    throw error;
  });
  const runId = options.runId ?? newRunId(started);
  const modelVersion = options.modelVersion ?? model.signature.metadata.model_version ?? `sha256:${model.sha256.slice(0, 12)}`;
  const inputs: InputObject[] = [];
  const tally = new RejectTally(options.maxRejectRate, options.maxRejects);
  const stats = new ScoreStatsAccumulator();
  let rowsScored = 0;
  try {
    writer = await sink.begin({
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
    });
    const staging = writer;
    let writing = Promise.resolve();
    const onScored = (result: ScoredChunk): void => {
      tally.add(result.rowsRead, result.rejects);
      stats.add(result.columns[0] ?? []);
      rowsScored += result.ids.length;
      writing = writing.then(() => staging.write({ ids: result.ids, columns: result.columns }));
    };
    await scoreAll(table, options, context, pool, onScored, inputs);
    await writing;
    tally.check();
    const score = stats.result();
    const totals: RunTotals = { inputs, rowsRead: tally.rowsRead, rowsScored, rowsRejected: tally.rejected, scoreMin: score.min, scoreMean: score.mean, scoreMax: score.max };
    await writer.publish(totals);
    const seconds = (context.now().getTime() - started.getTime()) / 1000;
    return {
      status: 'published',
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
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await writer?.abort(reason).catch((abortError: unknown) => logger.log('error', 'abort-failed', { reason: String(abortError) }));
    throw error;
  } finally {
    context.progress.done();
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
export async function openTable(options: Pick<ResolvedScoreOptions, 'input' | 'delimiter' | 'chunkBytes'>, context: Pick<JobContext, 'sources'>): Promise<OpenedTable> {
  const objects = await listObjects(options.input, context.sources);
  const first = objects[0]!;
  const read = openObject(first, context.sources);
  const { header, chunks } = await readChunks(read.bytes, { source: first.uri, delimiter: options.delimiter, targetChunkBytes: options.chunkBytes });
  return { objects, header, first: { chunks, result: () => read.result() } };
}

/** The plain data every worker gets: model bytes, parse spec, mapping, outputs. */
export function workerSetup(options: ResolvedScoreOptions, model: LoadedModel, header: readonly string[]): WorkerSetup {
  const inputs = planInputs(model.signature, header, {
    idColumn: options.idColumn,
    file: options.input,
    ...(options.features === undefined ? {} : { features: options.features }),
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
  onScored: (result: ScoredChunk) => void,
  inputs: InputObject[],
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const totalBytes = table.objects.every((o) => o.size >= 0 && !isGzip(o.uri)) ? table.objects.reduce((n, o) => n + o.size, 0) : undefined;
  const startedAt = Date.now();
  let bytes = 0;
  let rows = 0;
  let failure: unknown;
  const submit = async (chunk: Chunk): Promise<void> => {
    while (inFlight.size >= pool.capacity) await Promise.race(inFlight);
    if (failure !== undefined) throw failure;
    context.signal.throwIfAborted();
    bytes += chunk.bytes.byteLength;
    const task = pool
      .submit(chunk)
      .then((result) => {
        rows += result.rowsRead;
        onScored(result);
        context.progress.update({ rows, bytes, totalBytes, elapsedMs: Date.now() - startedAt });
      })
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  };
  for (let i = 0; i < table.objects.length; i++) {
    const object = table.objects[i]!;
    const current = i === 0 ? table.first : await openNext(object, table.header, options, context);
    for await (const chunk of current.chunks) await submit(chunk);
    inputs.push(current.result());
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  if (rows === 0) {
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
