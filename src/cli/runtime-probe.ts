import { isPrescoreError, type PrescoreError } from '../errors/index.js';
import { createScoringSession, type TensorSpec } from '../model/index.js';

/** What onnxruntime makes of a model: the outputs it infers, or the error that stops it loading. */
export type RuntimeProbe = { readonly outputs: readonly TensorSpec[] } | { readonly error: PrescoreError };

/**
 * Loads the model in onnxruntime once, to prove it loads (opsets, locale,
 * kernels) and to learn the types it infers for outputs the model leaves
 * undeclared. A load failure is returned, not thrown, so `inspect` can still
 * show everything else before exiting with it; other errors are thrown.
 */
export async function probeRuntime(bytes: Uint8Array, file: string): Promise<RuntimeProbe> {
  try {
    const session = await createScoringSession(bytes, file);
    const outputs = session.outputs;
    await session.release();
    return { outputs };
  } catch (error) {
    if (isPrescoreError(error) && error.code.startsWith('MODEL_')) return { error };
    throw error;
  }
}

/** How `inspect` describes an output the model declares no type for. */
export function undeclaredNote(probe: RuntimeProbe, output: string): string {
  const seen = 'outputs' in probe ? probe.outputs.find((o) => o.name === output) : undefined;
  const inferred = seen ? `onnxruntime infers ${seen.dtype}${seen.shape ? `[${seen.shape.map((d) => d ?? '?').join(',')}]` : ', shape unknown'}` : 'onnxruntime could not load the model';
  return `no type declared; ${inferred}; published as REAL with the dims each run returns`;
}
