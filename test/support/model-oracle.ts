import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';

/** One table row as csv-parse gives it. */
export type Row = Readonly<Record<string, string>>;

/** Builds a model's feeds for a batch of rows, the way a reference script would. */
export type OracleFeeds = (rows: readonly Row[]) => Record<string, ort.Tensor>;

/**
 * The untouched model with the input tensor of each ZipMap added as a graph
 * output — the oracle for a ZipMap rewrite: fetching only tensor outputs works
 * with the ZipMap in place. Returns the bytes and, per ZipMap output, the name
 * of the tensor to fetch instead.
 */
export function exposeZipMapInputs(bytes: Uint8Array): { bytes: Uint8Array; inputOf: Record<string, string> } {
  const model = onnxProto.onnx.ModelProto.decode(bytes);
  const inputOf: Record<string, string> = {};
  for (const node of model.graph!.node!) {
    if (node.opType !== 'ZipMap') continue;
    inputOf[node.output![0]!] = node.input![0]!;
    model.graph!.output!.push({ name: node.input![0]!, type: { tensorType: { elemType: 1 } } });
  }
  return { bytes: onnxProto.onnx.ModelProto.encode(model).finish(), inputOf };
}

/**
 * Runs a model with onnxruntime-node directly over `rows`, `batch` rows per
 * run (a fixed-batch model's size: the last batch is padded by repeating its
 * last row and the padding dropped), and returns each fetched output as one
 * array of values per row.
 */
export async function runOracle(model: Uint8Array, rows: readonly Row[], feeds: OracleFeeds, fetches: readonly string[], batch = rows.length): Promise<Record<string, number[][]>> {
  const session = await ort.InferenceSession.create(model);
  const out: Record<string, number[][]> = Object.fromEntries(fetches.map((f) => [f, []]));
  try {
    for (let start = 0; start < rows.length; start += batch) {
      const slice = rows.slice(start, start + batch);
      const padded = [...slice, ...Array.from({ length: batch - slice.length }, () => slice[slice.length - 1]!)];
      const results = await session.run(feeds(padded), [...fetches]);
      for (const name of fetches) {
        const tensor = results[name]!;
        const width = tensor.data.length / padded.length;
        for (let r = 0; r < slice.length; r++) out[name]!.push(Array.from({ length: width }, (_, k) => Number(tensor.data[r * width + k])));
      }
    }
  } finally {
    await session.release();
  }
  return out;
}

/** A float32 [N, F] (or [N] with `rank1`) tensor of the named columns, empty cells as NaN. */
export function floats(type: 'float32' | 'float64', rows: readonly Row[], columns: readonly string[], dims?: readonly number[]): ort.Tensor {
  const values = rows.flatMap((row) => columns.map((c) => (row[c]!.trim() === '' ? NaN : Number(row[c]))));
  const data = type === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
  return new ort.Tensor(type, data, dims ?? [rows.length, columns.length]);
}

/** A string [N, 1] (or `dims`) tensor of one column, cells as they are. */
export function strings(rows: readonly Row[], column: string, dims?: readonly number[]): ort.Tensor {
  return new ort.Tensor('string', rows.map((row) => row[column]!), dims ?? [rows.length, 1]);
}

/** An int64 tensor of one column. */
export function int64s(rows: readonly Row[], column: string, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(rows, (row) => BigInt(row[column]!)), dims);
}
