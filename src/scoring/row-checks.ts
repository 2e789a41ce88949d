import { BOOL_SPELLINGS, boolOf, INTEGER_RANGES, isMissingCell, type InputDtype, type InputPlan } from '../model/index.js';
import type { RejectedRow } from '../errors/index.js';
import type { ColumnStore } from './tensor-feeds.js';

/** Rows a model cannot take, the rows it can, and the columns to feed it. */
export interface RowCheck {
  readonly rejects: RejectedRow[];
  /** Positions of the rows kept, or `undefined` when every row is kept (the usual case, no copy). */
  readonly kept: Int32Array | undefined;
  /**
   * The columns as the feeds take them: fill values in place of missing
   * cells, and bool columns (parsed as text) as 0/1 numbers. Columns that
   * needed neither are the parsed ones, not copies.
   */
  readonly store: ColumnStore;
}

export interface RowCheckContext {
  readonly source: string;
  readonly header: readonly string[];
  readonly lines: Uint32Array;
  readonly rows: number;
  /** The NA spellings of the run (`ParseSpec.naValues`), which also mean missing in a bool cell. */
  readonly naValues: readonly string[];
}

type Reject = (row: number, columnIndex: number, value: string, code: RejectedRow['code'], reason: string) => void;

/**
 * Fits each row's cells to the inputs they feed. A missing cell (NaN, an
 * empty string, an NA spelling in a bool cell) takes its column's `--fill`
 * value when there is one; otherwise float inputs keep NaN, the model's own
 * missing value, and integer, bool and string inputs reject the row
 * (CSV_MISSING_VALUE). A fraction or out-of-range number for an integer input
 * is CSV_NOT_AN_INTEGER; a bool cell not spelled as in BOOL_SPELLINGS is
 * CSV_NOT_A_BOOLEAN. One reject per row, the first column in input order. Pure.
 */
export function checkRows(plan: InputPlan, store: ColumnStore, context: RowCheckContext): RowCheck {
  const rejects: RejectedRow[] = [];
  const bad = new Uint8Array(context.rows);
  let badCount = 0;
  const reject: Reject = (row, columnIndex, value, code, reason) => {
    if (bad[row] === 1) return;
    bad[row] = 1;
    badCount++;
    rejects.push({ source: context.source, line: context.lines[row]!, column: context.header[columnIndex]!, columnIndex, value, code, reason });
  };
  const numeric = new Map(store.numeric);
  const text = new Map(store.text);
  const fills = new Map(plan.fills.map((f) => [f.columnIndex, f.value] as const));
  const seen = new Set<number>();
  for (const binding of plan.bindings) {
    binding.columnIndexes.forEach((index) => {
      if (seen.has(index)) return;
      seen.add(index);
      const fill = fills.get(index);
      const need = `the model input "${binding.input}" (${binding.dtype}) takes no missing value; give one with --fill ${context.header[index]}=VALUE`;
      if (binding.dtype === 'string') text.set(index, checkText(text.get(index)!, index, fill as string | undefined, need, reject));
      else if (binding.dtype === 'bool') numeric.set(index, checkBool(text.get(index)!, index, fill as number | undefined, need, context, reject));
      else numeric.set(index, checkNumber(numeric.get(index)!, index, binding.dtype, fill as number | undefined, need, reject));
    });
  }
  const checked = { numeric, text };
  // Columns are checked one after another: order the rejects as the rows are, so the first one reported is the first line.
  rejects.sort((a, b) => a.line - b.line);
  if (badCount === 0) return { rejects, kept: undefined, store: checked };
  const kept = new Int32Array(context.rows - badCount);
  for (let r = 0, k = 0; r < context.rows; r++) if (bad[r] === 0) kept[k++] = r;
  return { rejects, kept, store: checked };
}

function checkText(column: readonly string[], index: number, fill: string | undefined, need: string, reject: Reject): readonly string[] {
  if (fill !== undefined) return column.includes('') ? column.map((cell) => (cell === '' ? fill : cell)) : column;
  column.forEach((cell, r) => {
    if (cell === '') reject(r, index, '', 'CSV_MISSING_VALUE', need);
  });
  return column;
}

function checkBool(column: readonly string[], index: number, fill: number | undefined, need: string, context: RowCheckContext, reject: Reject): Float64Array {
  const out = new Float64Array(column.length);
  column.forEach((cell, r) => {
    const value = boolOf(cell);
    if (value !== undefined) out[r] = value;
    else if (!isMissingCell(cell, context.naValues)) reject(r, index, cell, 'CSV_NOT_A_BOOLEAN', `a bool input takes ${BOOL_SPELLINGS.join(', ')} (any case)`);
    else if (fill !== undefined) out[r] = fill;
    else reject(r, index, cell, 'CSV_MISSING_VALUE', need);
  });
  return out;
}

function checkNumber(column: Float64Array, index: number, dtype: InputDtype, fill: number | undefined, need: string, reject: Reject): Float64Array {
  let out = column;
  if (fill !== undefined && column.some(Number.isNaN)) out = column.map((v) => (Number.isNaN(v) ? fill : v));
  if (dtype !== 'int32' && dtype !== 'int64') return out;
  const [min, max] = INTEGER_RANGES[dtype];
  out.forEach((v, r) => {
    if (Number.isNaN(v)) reject(r, index, '', 'CSV_MISSING_VALUE', need);
    else if (!Number.isInteger(v) || v < min || v > max) reject(r, index, String(v), 'CSV_NOT_AN_INTEGER', `the model input takes ${dtype}: integers from ${min} to ${max}`);
  });
  return out;
}
