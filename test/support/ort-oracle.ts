import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

import { parse } from 'csv-parse/sync';
import * as ort from 'onnxruntime-node';

/** How the oracle feeds a model: one [N,F] matrix in this column order, or one [N,1] input per named column. */
export type OracleInputs = { readonly matrix: string; readonly features: readonly string[] } | { readonly columns: Readonly<Record<string, 'float32' | 'string'>> };

/**
 * Scores a CSV with onnxruntime-node directly — csv-parse for the table, one
 * session run over all rows — the reference a published table is compared to.
 * Returns id → value of `output` column `index`.
 */
export async function oracleScores(modelPath: string, csvPath: string, idColumn: string, inputs: OracleInputs, output: string, index = 0): Promise<Map<string, number>> {
  const raw = readFileSync(csvPath);
  const text = (csvPath.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const rows = parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
  const number = (cell: string | undefined) => (cell === undefined || cell.trim() === '' ? NaN : Number(cell));
  const feeds: Record<string, ort.Tensor> = {};
  if ('matrix' in inputs) {
    const data = new Float32Array(rows.length * inputs.features.length);
    rows.forEach((row, r) => inputs.features.forEach((f, c) => (data[r * inputs.features.length + c] = number(row[f]))));
    feeds[inputs.matrix] = new ort.Tensor('float32', data, [rows.length, inputs.features.length]);
  } else {
    for (const [name, dtype] of Object.entries(inputs.columns)) {
      feeds[name] =
        dtype === 'string'
          ? new ort.Tensor('string', rows.map((row) => row[name] ?? ''), [rows.length, 1])
          : new ort.Tensor('float32', Float32Array.from(rows, (row) => number(row[name])), [rows.length, 1]);
    }
  }
  const session = await ort.InferenceSession.create(modelPath);
  const result = (await session.run(feeds, [output]))[output]!;
  await session.release();
  const width = result.data.length / rows.length;
  return new Map(rows.map((row, r) => [row[idColumn]!, Number(result.data[r * width + index])]));
}
