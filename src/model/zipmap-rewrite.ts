import type { AttributeProto, ModelProto } from './onnx-proto.js';
import { floatTensorInfo } from './onnx-proto.js';

/** Class labels of a classifier's probability output, keyed by that output's name. */
export type ClassLabels = Readonly<Record<string, readonly string[]>>;

/**
 * Replaces every ZipMap node (ai.onnx.ml; it turns an [N, K] probability tensor
 * into a sequence of maps, which onnxruntime-node cannot return) by an Identity
 * node under the same output name, and retypes that graph output as a float
 * tensor [N, K]. The probabilities published are then exactly the ZipMap's
 * input tensor, and `--score output_probability:1` keeps working under the
 * name the exporter gave. Mutates `model`; returns the class labels each
 * rewritten output carries (`classlabels_int64s` or `classlabels_strings`).
 */
export function rewriteZipMaps(model: ModelProto): ClassLabels {
  const graph = model.graph;
  const labels: Record<string, string[]> = {};
  if (!graph?.node) return labels;
  for (const node of graph.node) {
    if (node.opType !== 'ZipMap' || node.domain !== 'ai.onnx.ml') continue;
    const output = node.output?.[0];
    if (!output) continue;
    const classes = classLabelsOf(node.attribute ?? []);
    labels[output] = classes;
    node.opType = 'Identity';
    node.domain = '';
    node.attribute = [];
    const index = graph.output?.findIndex((o) => o.name === output) ?? -1;
    if (index >= 0 && graph.output) graph.output[index] = floatTensorInfo(output, [null, classes.length]);
  }
  return labels;
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
