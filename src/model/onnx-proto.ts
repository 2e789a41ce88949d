/**
 * The one adapter around the `onnx-proto` package (protobufjs static code for
 * onnx.proto). Everything else sees plain data from here.
 */
import { createRequire } from 'node:module';

import type onnxProto from 'onnx-proto';

import type { Dim, TensorSpec } from './signature.js';

let loaded: typeof onnxProto.onnx | undefined;

/**
 * protobufjs and the onnx.proto code, loaded on first use: every worker
 * thread imports the model stage for its cell rules but never decodes a
 * model, and loading them there cost each worker ~40 ms of start-up.
 */
function onnx(): typeof onnxProto.onnx {
  loaded ??= (createRequire(import.meta.url)('onnx-proto') as typeof onnxProto).onnx;
  return loaded;
}

export type ModelProto = onnxProto.onnx.ModelProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type OperatorSetIdProto = onnxProto.onnx.IOperatorSetIdProto;

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
 * Decodes a ModelProto from bytes holding only its small fields (the caller
 * leaves the graph out: see `readModelLayout`). Throws what protobufjs throws.
 */
export function decodeModelHeader(bytes: Uint8Array): ModelProto {
  return onnx().ModelProto.decode(bytes);
}

/** Decodes one graph input or output. */
export function decodeValueInfo(bytes: Uint8Array): ValueInfoProto {
  return onnx().ValueInfoProto.decode(bytes);
}

/** Decodes one node (only ZipMap nodes are ever decoded whole: they are small). */
export function decodeNode(bytes: Uint8Array): NodeProto {
  return onnx().NodeProto.decode(bytes);
}

/** Encodes one node. */
export function encodeNode(node: NodeProto): Uint8Array {
  return onnx().NodeProto.encode(node).finish();
}

/** Encodes one graph input or output. */
export function encodeValueInfo(info: ValueInfoProto): Uint8Array {
  return onnx().ValueInfoProto.encode(info).finish();
}

/** Encodes one opset import. */
export function encodeOpset(opset: OperatorSetIdProto): Uint8Array {
  return onnx().OperatorSetIdProto.encode(opset).finish();
}

/** A graph value's declared element type and shape, as onnxruntime would name them. */
export function tensorSpecOf(info: ValueInfoProto): TensorSpec {
  const name = info.name ?? '';
  // No type at all: the exporter left it to the runtime's inference (skl2onnx does for some pipelines).
  if (!info.type) return { name, dtype: 'undeclared', shape: undefined };
  const tensor = info.type.tensorType;
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
