import { concat, GRAPH_NODE, GRAPH_OUTPUT, GRAPH_VALUE_INFO, MODEL_GRAPH, MODEL_OPSET_IMPORT, type ModelLayout } from './model-layout.js';
import { decodeNode, decodeValueInfo, encodeNode, encodeOpset, encodeValueInfo, floatTensorInfo, type AttributeProto, type ValueInfoProto } from './onnx-proto.js';
import { lengthDelimited, type WireField } from './proto-wire.js';

/** Class labels of a classifier's probability output, keyed by that output's name. */
export type ClassLabels = Readonly<Record<string, readonly string[]>>;

/** A model whose ZipMap outputs now are tensors. */
export interface ZipMapRewrite {
  readonly bytes: Uint8Array;
  readonly classLabels: ClassLabels;
  /** The graph outputs after the rewrite, in order. */
  readonly outputs: readonly ValueInfoProto[];
}

/**
 * Default-domain opset imported when a model imports only ai.onnx.ml (older
 * onnxmltools exports) and so could not run the Identity the rewrite adds:
 * Identity is unchanged since opset 1, and 7 is the oldest onnxruntime supports.
 */
const FALLBACK_DEFAULT_OPSET = 7;

/**
 * Replaces every ZipMap node (ai.onnx.ml; it turns an [N, K] probability tensor
 * into a sequence of maps, which onnxruntime-node cannot return) by an Identity
 * node under the same output name, and retypes that graph output as a float
 * tensor [N, K]. The probabilities published are then exactly the ZipMap's
 * input tensor, and `--score output_probability:1` keeps working under the
 * name the exporter gave. Works on the byte layout: only the ZipMap nodes and
 * the outputs they feed are decoded and re-encoded, every other byte is
 * copied, so the rewrite costs a copy of the file (milliseconds) whatever its
 * size. Returns undefined when the model has no ZipMap.
 */
export function rewriteZipMaps(layout: ModelLayout): ZipMapRewrite | undefined {
  const { bytes } = layout;
  const zipMaps = layout.nodes.filter((n) => n.opType === 'ZipMap' && n.domain === 'ai.onnx.ml');
  if (zipMaps.length === 0) return undefined;
  const replaced = new Map<WireField, Uint8Array>();
  const labels: Record<string, string[]> = {};
  for (const ref of zipMaps) {
    const node = decodeNode(bytes.subarray(ref.field.valueStart, ref.field.end));
    const output = node.output?.[0];
    if (!output) continue;
    labels[output] = classLabelsOf(node.attribute ?? []);
    replaced.set(ref.field, lengthDelimited(GRAPH_NODE, encodeNode({ ...node, opType: 'Identity', domain: '', attribute: [] })));
  }
  const outputFields = layout.graphFields.filter((f) => f.field === GRAPH_OUTPUT);
  const outputs = layout.outputs.map((info, i) => {
    const classes = labels[info.name ?? ''];
    if (!classes) return info;
    const retyped = floatTensorInfo(info.name!, [null, classes.length]);
    replaced.set(outputFields[i]!, lengthDelimited(GRAPH_OUTPUT, encodeValueInfo(retyped)));
    return retyped;
  });
  // A value_info still typing a rewritten output as a sequence of maps would contradict the Identity.
  const stale = layout.graphFields.filter((f) => f.field === GRAPH_VALUE_INFO && labels[valueInfoName(layout, f)] !== undefined);
  for (const field of stale) replaced.set(field, new Uint8Array(0));

  const graph = concat(layout.graphFields.map((f) => replaced.get(f) ?? bytes.subarray(f.start, f.end)));
  const parts = layout.top.map((f) => (f === layout.graph ? lengthDelimited(MODEL_GRAPH, graph) : bytes.subarray(f.start, f.end)));
  if (!(layout.header.opsetImport ?? []).some((o) => (o.domain ?? '') === '')) {
    parts.push(lengthDelimited(MODEL_OPSET_IMPORT, encodeOpset({ domain: '', version: FALLBACK_DEFAULT_OPSET })));
  }
  return { bytes: concat(parts), classLabels: labels, outputs };
}

/** A value_info entry's name (entries are a few bytes: decoding one whole is cheap). */
function valueInfoName(layout: ModelLayout, field: WireField): string {
  return decodeValueInfo(layout.bytes.subarray(field.valueStart, field.end)).name ?? '';
}

function classLabelsOf(attributes: readonly AttributeProto[]): string[] {
  for (const attribute of attributes) {
    if (attribute.name === 'classlabels_int64s') return (attribute.ints ?? []).map((v) => String(v));
    if (attribute.name === 'classlabels_strings') {
      return (attribute.strings ?? []).map((s) => new TextDecoder().decode(s));
    }
  }
  return [];
}
