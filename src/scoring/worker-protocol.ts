/**
 * The one message protocol between the main thread and a scoring worker. Both
 * sides import it; every message is plain data, typed arrays travel in the
 * transfer list.
 */
import type { Chunk } from '../chunking/index.js';
import type { ErrorData } from '../errors/index.js';
import type { InputPlan, OutputBinding } from '../model/index.js';
import type { ScoreColumn } from '../sinks/index.js';
import type { ParseSpec, RejectedRow } from './column-parser.js';

/** Everything a worker needs to score chunks; sent once, as workerData. */
export interface WorkerSetup {
  readonly modelBytes: Uint8Array;
  readonly modelFile: string;
  readonly parse: ParseSpec;
  readonly inputs: InputPlan;
  readonly outputs: readonly OutputBinding[];
  /** Rows per `session.run` call (cut to the model's fixed batch when it has one). */
  readonly batchRows: number;
}

/** What a worker sends back for one chunk. */
export interface ScoredChunk {
  readonly chunkIndex: number;
  readonly source: string;
  readonly rowsRead: number;
  readonly ids: readonly string[];
  /** First physical line of each scored row. */
  readonly lines: Uint32Array;
  /** One column per output binding, aligned with `ids`. */
  readonly columns: readonly ScoreColumn[];
  readonly rejects: readonly RejectedRow[];
}

export type ToWorker = { readonly type: 'chunk'; readonly task: number; readonly chunk: Chunk };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'scored'; readonly task: number; readonly result: ScoredChunk }
  | { readonly type: 'failed'; readonly task: number | undefined; readonly error: ErrorData; readonly stack?: string };

/** The buffers of a scored chunk, for the transfer list. */
export function transferablesOf(result: ScoredChunk): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [result.lines.buffer as ArrayBuffer];
  for (const column of result.columns) {
    if (ArrayBuffer.isView(column)) buffers.push(column.buffer as ArrayBuffer);
  }
  return buffers;
}
