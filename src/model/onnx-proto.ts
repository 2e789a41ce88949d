/**
 * The one adapter around the `onnx-proto` package (protobufjs static code for
 * onnx.proto). Everything else sees plain data from here.
 */
import onnxProto from 'onnx-proto';

import { PrescoreError } from '../errors/index.js';
import type { Dim, TensorSpec } from './signature.js';

const { onnx } = onnxProto;

export type ModelProto = onnxProto.onnx.ModelProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;

/** TensorProto.DataType numbers → onnxruntime type names (onnx.proto, `enum DataType`). */
const ELEMENT_TYPES: Readonly<Record<number, string>> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
};

/**
 * Decodes model bytes. Throws MODEL_NOT_ONNX when the bytes are not an ONNX
 * ModelProto with a graph (a truncated download, an HTML error page, a pickle).
 */
export function decodeModel(bytes: Uint8Array, file: string): ModelProto {
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (cause) {
    throw notOnnx(file, cause);
  }
  if (!model.graph || (model.graph.node?.length ?? 0) === 0) throw notOnnx(file);
  return model;
}

/** Encodes a (rewritten) model back to bytes. */
export function encodeModel(model: ModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** A graph value's declared element type and shape, as onnxruntime would name them. */
export function tensorSpecOf(info: ValueInfoProto): TensorSpec {
  const name = info.name ?? '';
  const tensor = info.type?.tensorType;
  if (!tensor) return { name, dtype: 'non-tensor', shape: undefined };
  const dtype = ELEMENT_TYPES[tensor.elemType ?? 0] ?? `type-${tensor.elemType ?? 0}`;
  const dims = tensor.shape?.dim;
  const shape = dims ? dims.map(dimOf) : undefined;
  return { name, dtype, shape };
}

/** A float tensor value-info of the given shape, for outputs the rewrite exposes. */
export function floatTensorInfo(name: string, shape: readonly Dim[]): ValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: 1,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : d === null ? {} : { dimParam: d })) },
      },
    },
  };
}

function dimOf(dim: onnxProto.onnx.TensorShapeProto.IDimension): Dim {
  if (dim.dimValue !== undefined && dim.dimValue !== null) {
    const value = Number(dim.dimValue);
    if (value > 0) return value;
  }
  return dim.dimParam ? dim.dimParam : null;
}

function notOnnx(file: string, cause?: unknown): PrescoreError {
  return new PrescoreError('MODEL_NOT_ONNX', 'The model file is not a readable ONNX model (truncated or another format)', {
    file,
    hint: 'Check that the file is a complete .onnx export (for example with `prescore inspect`)',
    cause,
  });
}
