import { PrescoreError } from '../errors/index.js';
import { BOOL_SPELLINGS, boolOf } from './cell-text.js';
import type { InputBinding } from './input-plan.js';
import type { InputDtype } from './signature.js';

/** The value a missing cell of one column takes (`--fill COL=VALUE`), already in its input's type. */
export interface ColumnFill {
  readonly column: string;
  readonly columnIndex: number;
  /** A number for numeric and bool inputs (bool as 0/1), the text itself for string inputs. */
  readonly value: number | string;
}

/** Integer ranges exact in a float64 cell, by integer input type. */
export const INTEGER_RANGES: Readonly<Record<'int32' | 'int64', readonly [number, number]>> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/**
 * Checks `--fill` entries against the columns the inputs use and converts each
 * value to its input's type, so workers only substitute. Throws
 * USAGE_INVALID_OPTION for a column no input uses, or a value its input
 * cannot hold (text for a number, 1.5 for an integer, `yes` for a bool).
 */
export function resolveFills(bindings: readonly InputBinding[], fill: Readonly<Record<string, string>>): ColumnFill[] {
  return Object.entries(fill).map(([column, text]) => {
    const users = bindings.filter((b) => b.columns.includes(column));
    if (users.length === 0) {
      const used = [...new Set(bindings.flatMap((b) => b.columns))];
      throw new PrescoreError('USAGE_INVALID_OPTION', `--fill names the column "${column}", which feeds no model input`, {
        value: `${column}=${text}`,
        hint: `Columns that feed the model: ${used.join(', ')}`,
      });
    }
    const values = users.map((b) => valueFor(b.dtype, column, text));
    return { column, columnIndex: users[0]!.columnIndexes[users[0]!.columns.indexOf(column)]!, value: values[0]! };
  });
}

function valueFor(dtype: InputDtype, column: string, text: string): number | string {
  if (dtype === 'string') return text;
  const bad = (rule: string): PrescoreError =>
    new PrescoreError('USAGE_INVALID_OPTION', `--fill ${column}: the column feeds a ${dtype} input, which takes ${rule}`, { value: text });
  if (dtype === 'bool') {
    const value = boolOf(text);
    if (value === undefined) throw bad(`one of ${BOOL_SPELLINGS.join(', ')}`);
    return value;
  }
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value)) throw bad('a finite number');
  if (dtype === 'int32' || dtype === 'int64') {
    const [min, max] = INTEGER_RANGES[dtype];
    if (!Number.isInteger(value) || value < min || value > max) throw bad(`an integer from ${min} to ${max}`);
  }
  return value;
}
