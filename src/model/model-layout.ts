import { decodeModelHeader, decodeValueInfo, type ModelProto, type ValueInfoProto } from './onnx-proto.js';
import { fieldText, readFields, WireError, type WireField } from './proto-wire.js';
import { unreadableModel } from './unreadable-model.js';

/** Field numbers of onnx.proto that the layout reads and the ZipMap rewrite splices. */
export const MODEL_GRAPH = 7;
export const MODEL_OPSET_IMPORT = 8;
export const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const GRAPH_INPUT = 11;
export const GRAPH_OUTPUT = 12;
export const GRAPH_VALUE_INFO = 13;
const NODE_OP_TYPE = 4;
const NODE_DOMAIN = 7;
const TENSOR_NAME = 8;

/** A node's identity, read without decoding its attributes (a tree ensemble's run to megabytes). */
export interface NodeRef {
  readonly field: WireField;
  readonly opType: string;
  readonly domain: string;
}

/**
 * A model as byte ranges: the top-level fields, the graph's fields, and the
 * few parts prescore reads, decoded. Weights, initializer data and node
 * attributes are never decoded, so reading a model costs little more than
 * walking its bytes whatever its size.
 */
export interface ModelLayout {
  readonly bytes: Uint8Array;
  readonly top: readonly WireField[];
  readonly graph: WireField;
  /** The graph's fields; offsets are into `bytes`. */
  readonly graphFields: readonly WireField[];
  /** Every top-level field but the graph: opsets, producer, metadata_props. */
  readonly header: ModelProto;
  readonly inputs: readonly ValueInfoProto[];
  readonly outputs: readonly ValueInfoProto[];
  readonly initializerNames: ReadonlySet<string>;
  readonly nodes: readonly NodeRef[];
}

/**
 * Reads a model's layout. Throws MODEL_TRUNCATED when the bytes stop inside a
 * field or before the graph, MODEL_NOT_ONNX when they are something else
 * (HTML, a CSV, a pickle, a gzip file; see `unreadableModel`).
 */
export function readModelLayout(bytes: Uint8Array, file: string): ModelLayout {
  try {
    const top = readFields(bytes);
    const graphs = top.filter((f) => f.field === MODEL_GRAPH && f.wireType === 2);
    if (graphs.length !== 1) throw new WireError(graphs.length === 0 ? 'truncated' : 'malformed', `${graphs.length} graphs`);
    const graph = graphs[0]!;
    const graphFields = readFields(bytes, graph.valueStart, graph.end);
    const header = decodeModelHeader(concat(top.filter((f) => f !== graph).map((f) => bytes.subarray(f.start, f.end))));
    const values = (field: number) => graphFields.filter((f) => f.field === field).map((f) => decodeValueInfo(bytes.subarray(f.valueStart, f.end)));
    const initializerNames = new Set(graphFields.filter((f) => f.field === GRAPH_INITIALIZER).map((f) => textOf(bytes, readFields(bytes, f.valueStart, f.end), TENSOR_NAME)));
    const nodes = graphFields
      .filter((f) => f.field === GRAPH_NODE)
      .map((field) => {
        const inner = readFields(bytes, field.valueStart, field.end);
        return { field, opType: textOf(bytes, inner, NODE_OP_TYPE), domain: textOf(bytes, inner, NODE_DOMAIN) };
      });
    if (nodes.length === 0) throw new WireError('malformed', 'a graph without nodes');
    return { bytes, top, graph, graphFields, header, inputs: values(GRAPH_INPUT), outputs: values(GRAPH_OUTPUT), initializerNames, nodes };
  } catch (cause) {
    throw unreadableModel(bytes, file, cause);
  }
}

/** Joins byte ranges into one buffer. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The last occurrence of string field `field` among a message's fields (protobuf: the last one wins), or ''. */
function textOf(bytes: Uint8Array, inner: readonly WireField[], field: number): string {
  for (let i = inner.length - 1; i >= 0; i--) if (inner[i]!.field === field) return fieldText(bytes, inner[i]!);
  return '';
}
