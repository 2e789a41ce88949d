/**
 * Writes the benchmark's inputs (seeded, so every run measures the same bytes):
 *   bench/out/table-<rows>.csv  id + 32 numeric features (0–100, 3 decimals, none empty: the
 *                               logistic model would score a row with a missing value as NaN)
 *   bench/out/table-<rows>-roundtrip.csv  the same values unrounded, as their shortest round-trip
 *                               text (16–17 digits), which is what pandas' to_csv writes by default
 *   bench/out/table-<rows>-quoted.csv     the first table with every id quoted, as R's write.csv does
 *   bench/out/table-<rows>-missing.csv    the first table with 3% of the feature cells empty
 *                               (score it with --max-nan-rate 1: its rows score NaN)
 *   bench/out/logreg-32.onnx    logistic regression over the 32 features
 *   bench/out/trees-100x6.onnx  TreeEnsembleRegressor, 100 trees of depth 6, + Sigmoid
 *   bench/out/logreg-32.json    the logistic weights, for the Python peer
 * Usage: npx tsx bench/make-inputs.ts TABLE [TABLE…]   (TABLE: ROWS, or ROWS-roundtrip, -quoted or -missing;
 * existing files are kept)
 */
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';

import { logisticModel, treeEnsembleModel } from '../scripts/fixtures/models.js';
import { Prng } from '../scripts/fixtures/prng.js';

const OUT = new URL('./out/', import.meta.url);
export const BENCH_FEATURES = Array.from({ length: 32 }, (_, i) => `f${String(i + 1).padStart(2, '0')}`);

async function writeTable(table: string): Promise<void> {
  const path = new URL(`table-${table}.csv`, OUT);
  if (existsSync(path)) return;
  const rows = Number.parseInt(table, 10);
  const text = table.endsWith('-roundtrip') ? (value: number) => String(value) : (value: number) => value.toFixed(3);
  const id = table.endsWith('-quoted') ? (r: number) => `"E${String(r).padStart(9, '0')}"` : (r: number) => `E${String(r).padStart(9, '0')}`;
  // A second generator, so that the values are the first table's wherever a cell is not blank.
  const blanks = new Prng(3);
  const blank = table.endsWith('-missing') ? () => blanks.next() < 0.03 : () => false;
  const partial = new URL(`table-${table}.csv.partial`, OUT);
  const out = createWriteStream(partial, { highWaterMark: 1 << 20 });
  const prng = new Prng(20261121);
  out.write(`id,${BENCH_FEATURES.join(',')}\n`);
  let piece = '';
  for (let r = 0; r < rows; r++) {
    let line = id(r);
    for (let f = 0; f < BENCH_FEATURES.length; f++) {
      const value = text(prng.next() * 100);
      line += blank() ? ',' : `,${value}`;
    }
    piece += `${line}\n`;
    if (piece.length > 1 << 20) {
      if (!out.write(piece)) await once(out, 'drain');
      piece = '';
    }
  }
  out.end(piece);
  await once(out, 'finish');
  const { renameSync } = await import('node:fs');
  renameSync(partial, path);
}

mkdirSync(OUT, { recursive: true });
const logreg = logisticModel({ features: BENCH_FEATURES, seed: 32, withFeatureMetadata: true });
writeFileSync(new URL('logreg-32.onnx', OUT), logreg.bytes);
writeFileSync(new URL('logreg-32.json', OUT), JSON.stringify({ features: logreg.features, weights: logreg.weights, bias: logreg.bias }));
writeFileSync(new URL('trees-100x6.onnx', OUT), treeEnsembleModel({ features: BENCH_FEATURES, trees: 100, depth: 6, seed: 100 }).bytes);
for (const arg of process.argv.slice(2)) await writeTable(arg);
