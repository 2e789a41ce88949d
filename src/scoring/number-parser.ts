import { asBuffer } from '../chunking/index.js';

/** Exact powers of ten: every 10^k with k ≤ 22 is a float64 exactly. */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const MAX_FAST_EXPONENT = 22;
/** Below 2^53 every integer is exact, so is each step of the mantissa's accumulation. */
const MAX_EXACT_MANTISSA = 2 ** 53;
/** Exponents past this saturate (to 0 or Infinity) whatever the digits; keeps the accumulator small. */
const EXPONENT_CAP = 100_000;
const DIGIT_0 = 0x30;
const POINT = 0x2e - DIGIT_0;
const LOWER_E = 0x65 - DIGIT_0;
const UPPER_E = 0x45 - DIGIT_0;

/**
 * Parses the longest decimal number at `bytes[start, limit)` — `[+-]`, then
 * digits with an optional `.` and fraction (or `.` and digits), then optionally
 * `e|E [+-] digits`: ECMAScript's StrDecimalLiteral without `Infinity` — and
 * writes exactly the value `Number()` gives for that text (-0 included, and
 * ±Infinity on overflow) to `out[index]`. Returns the offset just past the
 * number, or -1 (nothing written) when no number starts at `start`. An `e`
 * without digits after it is not part of the number; no whitespace is skipped.
 *
 * The value goes to an array, not back as the result: a returned double is
 * boxed on the heap whenever the call is not inlined, once per cell.
 *
 * Exactness: while the digits as an integer stay below 2^53 they accumulate
 * exactly (and once they pass it, the float sum stays at or above 2^53, so the
 * test below is sound), and every 10^k with k ≤ 22 is exact, so one IEEE
 * multiply or divide is correctly rounded (Clinger, "How to read floating
 * point numbers accurately", 1990). Anything else (16–17 digit round-trip
 * output, exponents past ±22) falls back to `Number()` on the text, at about
 * 5× the cost; pass a Buffer (see `asBuffer`) to make that fallback cheapest.
 */
export function parseDecimal(bytes: Uint8Array, start: number, limit: number, out: Float64Array, index: number): number {
  let p = start;
  let c = p < limit ? (bytes[p] as number) : 0;
  const negative = c === 0x2d;
  if (negative || c === 0x2b) c = ++p < limit ? (bytes[p] as number) : 0;
  let mantissa = 0;
  const integerStart = p;
  let d = c - DIGIT_0;
  while (d >= 0 && d <= 9) {
    mantissa = mantissa * 10 + d;
    d = (++p < limit ? (bytes[p] as number) : 0) - DIGIT_0;
  }
  let digits = p - integerStart;
  let exponent = 0;
  if (d === POINT) {
    const fractionStart = ++p;
    d = (p < limit ? (bytes[p] as number) : 0) - DIGIT_0;
    while (d >= 0 && d <= 9) {
      mantissa = mantissa * 10 + d;
      d = (++p < limit ? (bytes[p] as number) : 0) - DIGIT_0;
    }
    exponent = fractionStart - p;
    digits += p - fractionStart;
  }
  if (digits === 0) return -1;
  if (d === LOWER_E || d === UPPER_E) {
    let q = p + 1;
    let e = q < limit ? (bytes[q] as number) : 0;
    const negativeExponent = e === 0x2d;
    if (negativeExponent || e === 0x2b) e = ++q < limit ? (bytes[q] as number) : 0;
    let k = e - DIGIT_0;
    if (k >= 0 && k <= 9) {
      let value = 0;
      while (k >= 0 && k <= 9) {
        if (value < EXPONENT_CAP) value = value * 10 + k;
        k = (++q < limit ? (bytes[q] as number) : 0) - DIGIT_0;
      }
      exponent += negativeExponent ? -value : value;
      p = q;
    }
  }
  if (mantissa === 0) {
    out[index] = negative ? -0 : 0;
  } else if (mantissa < MAX_EXACT_MANTISSA && exponent >= -MAX_FAST_EXPONENT && exponent <= MAX_FAST_EXPONENT) {
    const magnitude = exponent < 0 ? mantissa / (POW10[-exponent] as number) : mantissa * (POW10[exponent] as number);
    out[index] = negative ? -magnitude : magnitude;
  } else {
    out[index] = Number(asBuffer(bytes).toString('latin1', start, p));
  }
  return p;
}
