import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../src/scoring/number-parser.js';

const encoder = new TextEncoder();

/** What parseDecimal reads of `text`: [value, end] or undefined when no number starts there. */
function read(text: string): [number, number] | undefined {
  const bytes = encoder.encode(text);
  const out = new Float64Array(1);
  const end = parseDecimal(bytes, 0, out, 0);
  return end === -1 ? undefined : [out[0] as number, end];
}

describe('parseDecimal', () => {
  it('reads decimal notation exactly as Number() does', () => {
    for (const text of ['0', '-0', '+0', '1', '-1', '+1.5', '.5', '5.', '1.e5', '00012', '1e5', '1E+5', '2.5e-3', '123.456', '9007199254740991', '9007199254740993', '0.30000000000000004', '1e22', '1e23', '1.5e-22', '1e-23', '123456789012345678901234567890', '0.000000000000000000000000001', '1e400', '-1e400', '1e-400', '0e99999999999', '4.9e-324', '1.7976931348623157e308']) {
      const result = read(text);
      expect(result, text).toBeDefined();
      expect(Object.is(result?.[0], Number(text)), `${text} → ${result?.[0]} vs ${Number(text)}`).toBe(true);
      expect(result?.[1], text).toBe(text.length);
    }
  });

  it('stops at the first byte that is not part of the number', () => {
    expect(read('12,3')).toEqual([12, 2]);
    expect(read('1e')).toEqual([1, 1]);
    expect(read('1e+')).toEqual([1, 1]);
    expect(read('0x10')).toEqual([0, 1]);
    expect(read('1_000')).toEqual([1, 1]);
    expect(read('1.5.2')).toEqual([1.5, 3]);
  });

  it('finds no number where Number() needs more than decimal digits', () => {
    for (const text of ['', '-', '+', '.', '-.', 'e5', '.e5', 'Infinity', '-Infinity', 'NaN', ' 1', 'abc']) expect(read(text), text).toBeUndefined();
  });

  it('ends at the end of the view it is given', () => {
    const bytes = encoder.encode('12345e2');
    const out = new Float64Array(1);
    expect(parseDecimal(bytes.subarray(0, 3), 1, out, 0)).toBe(3);
    expect(out[0]).toBe(23);
    expect(parseDecimal(bytes.subarray(0, 6), 0, out, 0)).toBe(5);
    expect(out[0]).toBe(12345);
    expect(parseDecimal(bytes, 0, out, 0)).toBe(7);
    expect(out[0]).toBe(1234500);
  });

  it('agrees with Number() on random doubles in every notation', () => {
    const notations = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.tuple(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 20 })).map(([v, d]) => v.toFixed(d)),
      fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 21 })).map(([v, p]) => v.toPrecision(p)),
      fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 20 })).map(([v, d]) => v.toExponential(d)),
      fc.stringMatching(/^[+-]?(\d{1,25}\.?\d{0,25}|\.\d{1,25})([eE][+-]?\d{1,3})?$/),
    );
    fc.assert(
      fc.property(notations, (text) => {
        const result = read(text);
        expect(result?.[1]).toBe(text.length);
        expect(Object.is(result?.[0], Number(text)), `${text} → ${result?.[0]} vs ${Number(text)}`).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });
});
