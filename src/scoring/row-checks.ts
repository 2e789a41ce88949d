import type { InputPlan } from '../model/index.js';
import type { RejectedRow } from './column-parser.js';
import type { ColumnStore } from './tensor-feeds.js';

/** Rows a model cannot take, and the rows it can. */
export interface RowCheck {
  readonly rejects: RejectedRow[];
  /** Positions of the rows kept, or `undefined` when every row is kept (the usual case, no copy). */
  readonly kept: Int32Array | undefined;
}

export interface RowCheckContext {
  readonly source: string;
  readonly header: readonly string[];
  readonly lines: Uint32Array;
  readonly rows: number;
}

/**
 * Finds values a typed input cannot hold: a missing value (NaN, or an empty
 * string) in an integer, bool or string input, and a fraction in an integer
 * one. Float inputs take NaN as the model's own missing value. Pure.
 */
export function checkRows(plan: InputPlan, store: ColumnStore, context: RowCheckContext): RowCheck {
  const rejects: RejectedRow[] = [];
  const bad = new Uint8Array(context.rows);
  let badCount = 0;
  const reject = (row: number, columnIndex: number, value: string, code: RejectedRow['code'], reason: string): void => {
    if (bad[row] === 1) return;
    bad[row] = 1;
    badCount++;
    rejects.push({ source: context.source, line: context.lines[row]!, column: context.header[columnIndex]!, columnIndex, value, code, reason });
  };
  for (const binding of plan.bindings) {
    if (binding.dtype === 'float32' || binding.dtype === 'float64') continue;
    for (const index of binding.columnIndexes) {
      if (binding.dtype === 'string') {
        const column = store.text.get(index)!;
        for (let r = 0; r < context.rows; r++) {
          if (column[r] === '') reject(r, index, '', 'CSV_MISSING_VALUE', `the model input "${binding.input}" is a string and takes no missing value`);
        }
        continue;
      }
      const column = store.numeric.get(index)!;
      for (let r = 0; r < context.rows; r++) {
        const v = column[r]!;
        if (Number.isNaN(v)) reject(r, index, '', 'CSV_MISSING_VALUE', `the model input "${binding.input}" is ${binding.dtype} and takes no missing value`);
        else if (!Number.isInteger(v) || (binding.dtype === 'bool' && v !== 0 && v !== 1)) {
          reject(r, index, String(v), 'CSV_NOT_AN_INTEGER', `the model input "${binding.input}" is ${binding.dtype}`);
        }
      }
    }
  }
  if (badCount === 0) return { rejects, kept: undefined };
  const kept = new Int32Array(context.rows - badCount);
  for (let r = 0, k = 0; r < context.rows; r++) if (bad[r] === 0) kept[k++] = r;
  return { rejects, kept };
}
