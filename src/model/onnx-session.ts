/**
 * The one adapter around onnxruntime-node. Feeds and results are plain
 * `{ dtype, data, dims }` records so the rest of the code never sees ort types.
 */
import type * as Ort from 'onnxruntime-node';
import type { InferenceSession, Tensor } from 'onnxruntime-node';

import { PrescoreError } from '../errors/index.js';
import { loadFailure } from './load-failure.js';
import type { TensorSpec } from './signature.js';

export type TensorData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | string[];

/** A tensor crossing the adapter, in either direction. */
export interface PlainTensor {
  readonly dtype: string;
  readonly data: TensorData;
  readonly dims: readonly number[];
}

/** A loaded model that can score. One per worker thread. */
export interface ScoringSession {
  /**
   * The outputs as the runtime sees them after its own type inference: the
   * type of an output the model leaves undeclared shows here. Unknown dims
   * are `null`; an unknown shape is `undefined`.
   */
  readonly outputs: readonly TensorSpec[];
  /**
   * Runs the model, fetching only `fetches`. Throws MODEL_RUN_FAILED, and
   * INTERNAL for a feed the model does not declare (the runtime would ignore
   * it silently, hiding a mapping bug).
   */
  run(feeds: Readonly<Record<string, PlainTensor>>, fetches: readonly string[]): Promise<Record<string, PlainTensor>>;
  release(): Promise<void>;
}

let runtime: Promise<typeof Ort> | undefined;

/**
 * Loads onnxruntime-node once per thread. Not at import: the main thread of a
 * run never scores, and the native library costs it ~12 MB and ~20 ms of
 * start-up (BENCHMARKS.md, "Start-up"); a worker calls this as it starts.
 */
export function loadRuntime(): Promise<typeof Ort> {
  runtime ??= import('onnxruntime-node');
  return runtime;
}

/**
 * Creates a session with one intra-op and one inter-op thread: parallelism
 * comes from worker threads, and more runtime threads would oversubscribe the
 * cores. Throws MODEL_UNSUPPORTED_OPSET, MODEL_LOCALE_MISSING (a
 * StringNormalizer whose locale the machine lacks), and MODEL_LOAD_FAILED
 * with the runtime's own reason for anything else.
 */
export async function createScoringSession(bytes: Uint8Array, file: string): Promise<ScoringSession> {
  const ort = await loadRuntime();
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // Fatal only: every error the runtime logs also comes back as the exception reported to the user.
      logSeverityLevel: 4,
    });
  } catch (cause) {
    throw loadFailure(reasonOf(cause), file, cause);
  }
  const declared = new Set(session.inputNames);
  return {
    outputs: session.outputMetadata.map(specOf),
    async run(feeds, fetches) {
      const ortFeeds: Record<string, Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) {
        if (!declared.has(name)) throw new PrescoreError('INTERNAL', `A feed "${name}" was built for an input the model does not declare`);
        ortFeeds[name] = new ort.Tensor(t.dtype as Tensor.Type, t.data as Tensor.DataType, t.dims);
      }
      let results: InferenceSession.ReturnType;
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

function specOf(meta: InferenceSession.ValueMetadata): TensorSpec {
  if (!meta.isTensor) return { name: meta.name, dtype: 'non-tensor', shape: undefined };
  const shape = meta.shape.length === 0 ? undefined : meta.shape.map((d) => (typeof d === 'number' ? (d > 0 ? d : null) : d === '' ? null : d));
  return { name: meta.name, dtype: meta.type, shape };
}

/** The runtime's message without its trailing blank lines (they carry nothing). */
function reasonOf(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  return text.trim().replace(/\s*\n\s*/g, ' ');
}
