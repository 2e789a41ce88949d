import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ColumnKernels } from '../../src/scoring/column-kernels.js';

const kernels = ColumnKernels.get();
const value = fc.oneof(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.constant(NaN));

describe('ColumnKernels', () => {
  it('sums the present values of a column of any length, as one loop in JavaScript would', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 70 }), fc.double({ min: -1e9, max: 1e9, noNaN: true }), (values, shift) => {
        const present = values.filter((v) => !Number.isNaN(v));
        const sums = kernels.sums(Float64Array.from(values), shift);
        expect(sums.count).toBe(present.length);
        expect(sums.min).toBe(present.reduce((m, v) => (v < m ? v : m), Infinity));
        expect(sums.max).toBe(present.reduce((m, v) => (v > m ? v : m), -Infinity));
        const sum = present.reduce((s, v) => s + (v - shift), 0);
        const squares = present.reduce((s, v) => s + (v - shift) ** 2, 0);
        // Two chains of adds round differently from one, by a few ulps of the largest partial sum.
        const scale = present.reduce((s, v) => s + Math.abs(v - shift), 0);
        expect(Math.abs(sums.sum - sum)).toBeLessThanOrEqual(1e-12 * scale);
        expect(Math.abs(sums.squares - squares)).toBeLessThanOrEqual(1e-12 * scale * scale);
      }),
      { numRuns: 300 },
    );
  });

  it('interleaves any rows of float64 columns into float32 rows, as Math.fround would, leaving the rest of the target alone', () => {
    const columns = fc.integer({ min: 1, max: 40 }).chain((width) =>
      fc.integer({ min: 1, max: 150 }).chain((height) =>
        fc.tuple(
          fc.array(fc.array(value, { minLength: height, maxLength: height }), { minLength: width, maxLength: width }),
          fc.integer({ min: 0, max: height - 1 }).chain((start) => fc.tuple(fc.constant(start), fc.integer({ min: 1, max: height - start }))),
        ),
      ),
    );
    fc.assert(
      fc.property(columns, ([values, [start, count]]) => {
        const width = values.length;
        const into = new Float32Array((count + 2) * width).fill(-1);
        kernels.interleave(values.map((v) => Float64Array.from(v)), start, count, into);
        const expected = [...Array.from({ length: count * width }, (_, i) => Math.fround(values[i % width]![start + Math.floor(i / width)]!)), ...new Array<number>(2 * width).fill(-1)];
        expect(Array.from(into)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('grows its memory for a large column and stays right for the small ones after', () => {
    const large = Float64Array.from({ length: 300_000 }, (_, i) => (i % 7 === 0 ? NaN : i));
    const present = large.filter((v) => !Number.isNaN(v));
    // 299,999 is a multiple of 7: the last present value is 299,998.
    expect(kernels.sums(large, 0)).toMatchObject({ count: present.length, min: 1, max: 299_998 });
    const into = new Float32Array(300_000 * 2);
    kernels.interleave([large, large], 0, 300_000, into);
    expect([into[2], into[3], into[599_996], into[599_998]]).toEqual([1, 1, 299_998, NaN]);
    expect(kernels.sums(Float64Array.from([3, NaN, 1]), 3)).toEqual({ count: 2, sum: -2, squares: 4, min: 1, max: 3 });
  });
});
