import { readChunks, type Chunk, type ChunkBuffers } from '../chunking/index.js';
import { PrescoreError } from '../errors/index.js';
import { loadModelFile, planInputs, planOutputs, type LoadedModel } from '../model/index.js';
import type { RowShard, WorkerSetup } from '../scoring/index.js';
import type { InputObject } from '../sinks/index.js';
import { fetchModel, listObjects, openObject, type StoredObject } from '../sources/index.js';
import type { JobContext } from './job-context.js';
import type { ResolvedScoreOptions } from './score-options.js';
import type { ShardSpec } from './shard-option.js';
import { shardPart } from './shard-plan.js';

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
  /** Where every part's chunks are cut into, when the scoring pool recycles them. */
  readonly buffers: ChunkBuffers | undefined;
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

/** Lists the input objects and reads the first one's header. Chunks are cut into `buffers` when given (the scoring pool's). */
export async function openTable(
  options: Pick<ResolvedScoreOptions, 'input' | 'delimiter' | 'chunkBytes'> & { readonly shard?: ShardSpec | undefined },
  context: Pick<JobContext, 'sources'>,
  buffers?: ChunkBuffers,
): Promise<OpenedTable> {
  const listed = await listObjects(options.input, context.sources);
  const { objects, rowShard } = shardPart(listed, options.shard);
  const first = objects[0]!;
  const { header, chunks, result } = await openPart(first, options, context, buffers);
  return { objects, listed, rowShard, header, first: { chunks, result }, buffers };
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

/** Opens a further part of the table, whose header must equal the first part's. Throws CSV_HEADER_MISMATCH. */
export async function openNext(table: OpenedTable, object: StoredObject, options: ResolvedScoreOptions, context: JobContext): Promise<OpenedTable['first']> {
  const { header } = table;
  const next = await openPart(object, options, context, table.buffers);
  if (next.header.join('\u0000') !== header.join('\u0000')) {
    const at = next.header.findIndex((name, i) => name !== header[i]);
    throw new PrescoreError('CSV_HEADER_MISMATCH', `This part's header differs from the first part's at column ${at + 1} ("${next.header[at] ?? ''}" instead of "${header[at] ?? ''}")`, {
      file: object.uri,
      line: 1,
      column: at + 1,
      hint: 'All parts of one table must have the same columns in the same order',
    });
  }
  return { chunks: next.chunks, result: next.result };
}

/** One part's header and chunks, cut into `buffers` when given. */
async function openPart(
  object: StoredObject,
  options: Pick<ResolvedScoreOptions, 'delimiter' | 'chunkBytes'>,
  context: Pick<JobContext, 'sources'>,
  buffers: ChunkBuffers | undefined,
): Promise<{ readonly header: readonly string[]; readonly chunks: AsyncIterable<Chunk>; readonly result: () => InputObject }> {
  // The chunk reader copies what it keeps of a read, so the source may read into the same buffers again.
  const read = openObject(object, context.sources, true);
  const { header, chunks } = await readChunks(read.bytes, {
    source: object.uri,
    delimiter: options.delimiter,
    targetChunkBytes: options.chunkBytes,
    ...(buffers === undefined ? {} : { allocate: (length: number) => buffers.take(length) }),
  });
  return { header, chunks, result: () => read.result() };
}
