/**
 * The one adapter around onnxruntime-node. Feeds and results are plain
 * `{ dtype, data, dims }` records so the rest of the code never sees ort types.
 */
import * as ort from 'onnxruntime-node';

import { PrescoreError } from '../errors/index.js';

export type TensorData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | string[];

/** A tensor crossing the adapter, in either direction. */
export interface PlainTensor {
  readonly dtype: string;
  readonly data: TensorData;
  readonly dims: readonly number[];
}

/** A loaded model that can score. One per worker thread. */
export interface ScoringSession {
  /** Runs the model, fetching only `fetches`. Throws MODEL_RUN_FAILED. */
  run(feeds: Readonly<Record<string, PlainTensor>>, fetches: readonly string[]): Promise<Record<string, PlainTensor>>;
  release(): Promise<void>;
}

/**
 * Creates a session with one intra-op and one inter-op thread: parallelism
 * comes from worker threads, and more runtime threads would oversubscribe the
 * cores. Throws MODEL_LOAD_FAILED with the runtime's own reason (an unsupported
 * opset, a missing locale for StringNormalizer, a corrupt graph).
 */
export async function createScoringSession(bytes: Uint8Array, file: string): Promise<ScoringSession> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    });
  } catch (cause) {
    throw new PrescoreError('MODEL_LOAD_FAILED', `onnxruntime could not load the model: ${reasonOf(cause)}`, {
      file,
      hint: 'Run `prescore inspect` on it; re-export with a supported opset, or install what the message names',
      cause,
    });
  }
  return {
    async run(feeds, fetches) {
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) {
        ortFeeds[name] = new ort.Tensor(t.dtype as ort.Tensor.Type, t.data as ort.Tensor.DataType, t.dims);
      }
      let results: ort.InferenceSession.ReturnType;
      try {
        results = await session.run(ortFeeds, fetches as string[]);
      } catch (cause) {
        throw new PrescoreError('MODEL_RUN_FAILED', `onnxruntime failed while scoring: ${reasonOf(cause)}`, {
          file,
          cause,
        });
      }
      const out: Record<string, PlainTensor> = {};
      for (const name of fetches) {
        const tensor = results[name];
        if (!tensor) continue;
        out[name] = { dtype: tensor.type, data: tensor.data as TensorData, dims: tensor.dims };
      }
      return out;
    },
    release: () => session.release(),
  };
}

function reasonOf(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  return text.split('\n')[0] ?? text;
}
