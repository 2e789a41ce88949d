import { describe, expect, it } from 'vitest';

import type { ColumnFill, InputBinding, InputPlan } from '../../src/model/index.js';
import { checkRows } from '../../src/scoring/row-checks.js';
import type { ColumnStore } from '../../src/scoring/tensor-feeds.js';

const header = ['id', 'flag', 'count', 'city', 'ratio'];
const context = { source: 't.csv', header, lines: new Uint32Array([2, 3, 4, 5, 6]), rows: 5, naValues: ['', 'NA'] };

function plan(bindings: InputBinding[], fills: ColumnFill[] = []): InputPlan {
  return { bindings, featureSource: 'input-names', numericColumns: [2, 4], textColumns: [1, 3], idColumnIndex: 0, unusedColumns: [], fixedBatch: undefined, fills };
}
const bind = (input: string, dtype: InputBinding['dtype'], index: number): InputBinding => ({ input, dtype, layout: 'column', columns: [header[index]!], columnIndexes: [index] });

describe('checkRows', () => {
  it('reads bool cells by spelling and rejects the others, naming line, column and value', () => {
    const store: ColumnStore = { numeric: new Map(), text: new Map([[1, ['true', ' FALSE ', '1', '0.0', 'yes']]]) };
    const check = checkRows(plan([bind('flag', 'bool', 1)]), store, context);
    expect(Array.from(check.store.numeric.get(1)!)).toEqual([1, 0, 1, 0, 0]);
    expect(check.rejects).toEqual([expect.objectContaining({ line: 6, column: 'flag', columnIndex: 1, value: 'yes', code: 'CSV_NOT_A_BOOLEAN' })]);
    expect(Array.from(check.kept!)).toEqual([0, 1, 2, 3]);
  });

  it('rejects missing int, bool and string cells, and tells the user about --fill', () => {
    const store: ColumnStore = {
      numeric: new Map([[2, new Float64Array([1, NaN, 3, 4, 5])]]),
      text: new Map([
        [1, ['1', '0', 'NA', '1', '0']],
        [3, ['Paris', 'Lyon', 'Nice', '', 'Lille']],
      ]),
    };
    const check = checkRows(plan([bind('count', 'int64', 2), bind('flag', 'bool', 1), bind('city', 'string', 3)]), store, context);
    expect(check.rejects.map((r) => [r.line, r.column, r.code])).toEqual([
      [3, 'count', 'CSV_MISSING_VALUE'],
      [4, 'flag', 'CSV_MISSING_VALUE'],
      [5, 'city', 'CSV_MISSING_VALUE'],
    ]);
    expect(check.rejects[0]!.reason).toBe('the model input "count" (int64) takes no missing value; give one with --fill count=VALUE');
  });

  it('puts --fill values in missing cells of every type, without touching the parsed columns', () => {
    const count = new Float64Array([1, NaN, 3, 4, 5]);
    const ratio = new Float64Array([0.5, NaN, NaN, 1, 2]);
    const city = ['Paris', '', 'Nice', '', 'Lille'];
    const store: ColumnStore = { numeric: new Map([[2, count], [4, ratio]]), text: new Map([[1, ['1', '', 'NA', '0', '1']], [3, city]]) };
    const fills: ColumnFill[] = [
      { column: 'count', columnIndex: 2, value: 0 },
      { column: 'flag', columnIndex: 1, value: 1 },
      { column: 'city', columnIndex: 3, value: 'unknown' },
      { column: 'ratio', columnIndex: 4, value: -1 },
    ];
    const check = checkRows(plan([bind('count', 'int32', 2), bind('flag', 'bool', 1), bind('city', 'string', 3), bind('ratio', 'float64', 4)], fills), store, context);
    expect(check.rejects).toEqual([]);
    expect(check.kept).toBeUndefined();
    expect(Array.from(check.store.numeric.get(2)!)).toEqual([1, 0, 3, 4, 5]);
    expect(Array.from(check.store.numeric.get(1)!)).toEqual([1, 1, 1, 0, 1]);
    expect(check.store.text.get(3)).toEqual(['Paris', 'unknown', 'Nice', 'unknown', 'Lille']);
    expect(Array.from(check.store.numeric.get(4)!)).toEqual([0.5, -1, -1, 1, 2]);
    expect(Array.from(count)).toEqual([1, NaN, 3, 4, 5]);
    expect(city).toEqual(['Paris', '', 'Nice', '', 'Lille']);
  });

  it('rejects integers an int32 input cannot hold, and orders rejects by line', () => {
    const store: ColumnStore = { numeric: new Map([[2, new Float64Array([1, 2 ** 31, 3, -(2 ** 31), 2.5])]]), text: new Map([[3, ['a', 'b', '', 'd', 'e']]]) };
    const check = checkRows(plan([bind('count', 'int32', 2), bind('city', 'string', 3)]), store, context);
    expect(check.rejects.map((r) => [r.line, r.code, r.value])).toEqual([
      [3, 'CSV_NOT_AN_INTEGER', String(2 ** 31)],
      [4, 'CSV_MISSING_VALUE', ''],
      [6, 'CSV_NOT_AN_INTEGER', '2.5'],
    ]);
  });
});
