import { describe, expect, it } from 'vitest';

import type { InputPlan } from '../../src/model/index.js';
import { OutputColumns } from '../../src/scoring/output-columns.js';
import { checkRows } from '../../src/scoring/row-checks.js';
import { buildFeeds, type ColumnStore } from '../../src/scoring/tensor-feeds.js';

const header = ['id', 'a', 'b', 'plan', 'count'];
const store: ColumnStore = {
  numeric: new Map([
    [1, new Float64Array([1, 2, 3])],
    [2, new Float64Array([10, NaN, 30])],
    [4, new Float64Array([5, 6.5, NaN])],
  ]),
  text: new Map([[3, ['basic', '', 'pro']]]),
};

function plan(bindings: InputPlan['bindings']): InputPlan {
  return { bindings, featureSource: 'flag', numericColumns: [1, 2, 4], textColumns: [3], idColumnIndex: 0, unusedColumns: [], fixedBatch: undefined, fills: [] };
}

describe('buildFeeds', () => {
  it('lays a [N,F] float32 matrix out row-major in the feature order', () => {
    const feeds = buildFeeds(plan([{ input: 'x', dtype: 'float32', layout: 'matrix', columns: ['b', 'a'], columnIndexes: [2, 1] }]), store, 0, 3, 3);
    expect(feeds.x!.dims).toEqual([3, 2]);
    expect(Array.from(feeds.x!.data as Float32Array)).toEqual([10, 1, NaN, 2, 30, 3]);
  });

  it('pads a short batch to a fixed size by repeating the last row', () => {
    const feeds = buildFeeds(plan([{ input: 'a', dtype: 'int64', layout: 'vector', columns: ['a'], columnIndexes: [1] }]), store, 1, 2, 3);
    expect(feeds.a!.dims).toEqual([3]);
    expect(Array.from(feeds.a!.data as BigInt64Array)).toEqual([2n, 3n, 3n]);
  });

  it('lays out a matrix of several hundred rows from an offset, padded, as row by row would', () => {
    const rows = 300;
    const columns = [1, 2, 4].map((index) => [index, Float64Array.from({ length: rows }, (_, r) => index * 1000 + r)] as const);
    const wide: ColumnStore = { numeric: new Map(columns), text: new Map() };
    const [start, count, size] = [7, 250, 256];
    const feeds = buildFeeds(plan([{ input: 'x', dtype: 'float32', layout: 'matrix', columns: ['count', 'a', 'b'], columnIndexes: [4, 1, 2] }]), wide, start, count, size);
    const expected: number[] = [];
    for (let r = 0; r < size; r++) for (const index of [4, 1, 2]) expected.push(index * 1000 + start + Math.min(r, count - 1));
    expect(feeds.x!.dims).toEqual([size, 3]);
    expect(Array.from(feeds.x!.data as Float32Array)).toEqual(expected);
  });

  it('feeds strings as [N,1] and float64 as is', () => {
    const feeds = buildFeeds(
      plan([
        { input: 'plan', dtype: 'string', layout: 'column', columns: ['plan'], columnIndexes: [3] },
        { input: 'b', dtype: 'float64', layout: 'column', columns: ['b'], columnIndexes: [2] },
      ]),
      store,
      0,
      3,
      3,
    );
    expect(feeds.plan).toEqual({ dtype: 'string', data: ['basic', '', 'pro'], dims: [3, 1] });
    expect(feeds.b!.data).toBeInstanceOf(Float64Array);
  });
});

describe('checkRows', () => {
  const context = { source: 't.csv', header, lines: new Uint32Array([2, 3, 5]), rows: 3, naValues: [] };

  it('keeps every row for float inputs, NaN included', () => {
    const check = checkRows(plan([{ input: 'x', dtype: 'float32', layout: 'matrix', columns: ['a', 'b'], columnIndexes: [1, 2] }]), store, context);
    expect(check).toMatchObject({ rejects: [], kept: undefined });
  });

  it('rejects missing and fractional values of integer inputs and empty strings, with line and column', () => {
    const check = checkRows(
      plan([
        { input: 'count', dtype: 'int64', layout: 'column', columns: ['count'], columnIndexes: [4] },
        { input: 'plan', dtype: 'string', layout: 'column', columns: ['plan'], columnIndexes: [3] },
      ]),
      store,
      context,
    );
    expect(check.rejects).toEqual([
      expect.objectContaining({ line: 3, column: 'count', columnIndex: 4, code: 'CSV_NOT_AN_INTEGER', value: '6.5' }),
      expect.objectContaining({ line: 5, column: 'count', code: 'CSV_MISSING_VALUE' }),
    ]);
    expect(Array.from(check.kept!)).toEqual([0]);
  });
});

describe('OutputColumns', () => {
  const tensor = (data: Float32Array | BigInt64Array, dims: number[]) => ({ dtype: 'float32', data, dims });

  it('takes one column of an [N,K] output, trusting the returned dims', () => {
    const columns = new OutputColumns([{ column: 'score', type: 'real', output: 'p', index: 1 }], 3);
    columns.add({ p: tensor(new Float32Array([0.9, 0.1, 0.2, 0.8]), [2, 2]) }, 0, 2);
    columns.add({ p: tensor(new Float32Array([0.5, 0.5, 0.3, 0.7]), [2, 2]) }, 2, 1);
    expect(Array.from(columns.result()[0] as Float64Array)).toEqual([Math.fround(0.1), Math.fround(0.8), 0.5]);
  });

  it('keeps int64 labels as integers', () => {
    const columns = new OutputColumns([{ column: 'label', type: 'integer', output: 'l', index: undefined }], 2);
    columns.add({ l: { dtype: 'int64', data: new BigInt64Array([1n, 0n]), dims: [2] } }, 0, 2);
    expect(columns.result()[0]).toEqual(new BigInt64Array([1n, 0n]));
  });

  it('refuses a wide output without a column', () => {
    const columns = new OutputColumns([{ column: 'score', type: 'real', output: 'p', index: undefined }], 2);
    expect(() => columns.add({ p: tensor(new Float32Array(4), [2, 2]) }, 0, 2)).toThrow(expect.objectContaining({ code: 'MODEL_OUTPUT_COLUMN' }));
  });
});
