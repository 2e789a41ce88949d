import { createHash } from 'node:crypto';

import { readModelLayout } from './model-layout.js';
import { tensorSpecOf } from './onnx-proto.js';
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
 * return. Pure: no runtime session is created here. Throws MODEL_NOT_ONNX,
 * MODEL_TRUNCATED.
 *
 * The rewrite is done again on every load rather than cached: it splices
 * bytes without decoding the graph (a 12.6 MB tree ensemble reads and
 * rewrites in milliseconds, less than hashing it, which a run does anyway),
 * so a cache would only add a second copy of every model on disk to
 * invalidate and trust.
 */
export function loadModelFile(bytes: Uint8Array, file: string): LoadedModel {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const layout = readModelLayout(bytes, file);
  const rewrite = rewriteZipMaps(layout);
  const model = layout.header;
  const metadata: Record<string, string> = {};
  for (const prop of model.metadataProps ?? []) {
    if (prop.key) metadata[prop.key] = prop.value ?? '';
  }
  const opsets: Record<string, number> = {};
  for (const opset of model.opsetImport ?? []) opsets[opset.domain ?? ''] = Number(opset.version ?? 0);
  const signature: ModelSignature = {
    // Before IR 4, initializers were also listed as graph inputs; they are not fed.
    inputs: layout.inputs.filter((i) => !layout.initializerNames.has(i.name ?? '')).map(tensorSpecOf),
    outputs: (rewrite?.outputs ?? layout.outputs).map(tensorSpecOf),
    metadata,
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    opsets,
  };
  return { file, sha256, bytes: rewrite?.bytes ?? bytes, signature, classLabels: rewrite?.classLabels ?? {}, rewritten: rewrite !== undefined };
}
