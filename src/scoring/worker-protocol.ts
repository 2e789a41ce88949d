/**
 * The one message protocol between the main thread and a scoring worker. Both
 * sides import it; every message is plain data, typed arrays travel in the
 * transfer list.
 */
import type { Chunk } from '../chunking/index.js';
import type { ErrorData, RejectedRow } from '../errors/index.js';
import type { InputPlan, OutputBinding } from '../model/index.js';
import type { ScoreColumn } from '../sinks/index.js';
import type { ParseSpec } from './column-parser.js';
import type { FeatureStats } from './feature-stats.js';
import type { RowShard } from './row-shard.js';

/** Everything a worker needs to score chunks; sent once, after the thread has started. */
export interface WorkerSetup {
  readonly modelBytes: Uint8Array;
  readonly modelFile: string;
  readonly parse: ParseSpec;
  readonly inputs: InputPlan;
  readonly outputs: readonly OutputBinding[];
  /** Rows per `session.run` call (cut to the model's fixed batch when it has one). */
  readonly batchRows: number;
  /** A shard that splits the table by entity id: only its rows are scored and counted (see row-shard.ts). */
  readonly rowShard?: RowShard;
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
  /** Thread time spent on this chunk (ms): parsing and checking rows, and the model runs. */
  readonly timings: { readonly parseMs: number; readonly inferMs: number };
  /** Profile of the chunk's parsed model inputs (rows the model could not take included), merged on the main thread for input drift. */
  readonly featureStats: readonly FeatureStats[];
}

export type ToWorker =
  | { readonly type: 'setup'; readonly setup: WorkerSetup }
  /** `preflight`: the table's first chunk, checked against the mapping before it is scored (preflight.ts). */
  | { readonly type: 'chunk'; readonly task: number; readonly chunk: Chunk; readonly preflight: boolean };

export type FromWorker =
  /** The thread has loaded its code and the runtime, and waits for its setup. */
  | { readonly type: 'loaded' }
  /** The setup's model is loaded: chunks may come. */
  | { readonly type: 'ready' }
  /** `spent` is the chunk's buffer, handed back to be cut into again (chunk-buffers.ts). */
  | { readonly type: 'scored'; readonly task: number; readonly result: ScoredChunk; readonly spent: ArrayBuffer }
  | { readonly type: 'failed'; readonly task: number | undefined; readonly error: ErrorData; readonly stack?: string };

/** The buffers of a scored chunk, for the transfer list. */
export function transferablesOf(result: ScoredChunk): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [result.lines.buffer as ArrayBuffer];
  for (const column of result.columns) {
    if (ArrayBuffer.isView(column)) buffers.push(column.buffer as ArrayBuffer);
  }
  return buffers;
}
