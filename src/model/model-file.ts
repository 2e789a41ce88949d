import { createHash } from 'node:crypto';

import { decodeModel, encodeModel, tensorSpecOf } from './onnx-proto.js';
import type { ModelSignature } from './signature.js';
import { rewriteZipMaps, type ClassLabels } from './zipmap-rewrite.js';

/** A model ready to hand to workers: the bytes to load and what they declare. */
export interface LoadedModel {
  /** Where it came from, for messages and the runs table. */
  readonly file: string;
  /** sha256 (hex) of the bytes as stored, before any rewrite. */
  readonly sha256: string;
  /** The bytes workers load: the stored ones, or a rewrite exposing ZipMap inputs. */
  readonly bytes: Uint8Array;
  readonly signature: ModelSignature;
  readonly classLabels: ClassLabels;
  /** Whether ZipMap outputs were rewritten into tensors. */
  readonly rewritten: boolean;
}

/**
 * Reads a model's declared signature and metadata from its protobuf, and
 * rewrites ZipMap outputs so every output is a tensor onnxruntime-node can
 * return. Pure: no runtime session is created here. Throws MODEL_NOT_ONNX.
 */
export function loadModelFile(bytes: Uint8Array, file: string): LoadedModel {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const model = decodeModel(bytes, file);
  const classLabels = rewriteZipMaps(model);
  const rewritten = Object.keys(classLabels).length > 0;
  const graph = model.graph!;
  // Before IR 4, initializers were also listed as graph inputs; they are not fed.
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  const metadata: Record<string, string> = {};
  for (const prop of model.metadataProps ?? []) {
    if (prop.key) metadata[prop.key] = prop.value ?? '';
  }
  const opsets: Record<string, number> = {};
  for (const opset of model.opsetImport ?? []) opsets[opset.domain ?? ''] = Number(opset.version ?? 0);
  const signature: ModelSignature = {
    inputs: (graph.input ?? []).filter((i) => !initializers.has(i.name ?? '')).map(tensorSpecOf),
    outputs: (graph.output ?? []).map(tensorSpecOf),
    metadata,
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    opsets,
  };
  return { file, sha256, bytes: rewritten ? encodeModel(model) : bytes, signature, classLabels, rewritten };
}
