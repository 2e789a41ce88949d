import { asBuffer } from '../chunking/index.js';

/** Exact powers of ten: every 10^k with k ≤ 22 is a float64 exactly. */
export const POW10 = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
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
 * Parses the longest decimal number at `bytes[start…]` — `[+-]`, then digits
 * with an optional `.` and fraction (or `.` and digits), then optionally
 * `e|E [+-] digits`: ECMAScript's StrDecimalLiteral without `Infinity` — and
 * writes exactly the value `Number()` gives for that text (-0 included, and
 * ±Infinity on overflow) to `out[index]`. Returns the offset just past the
 * number, or -1 (nothing written) when no number starts at `start`. An `e`
 * without digits after it is not part of the number; no whitespace is skipped.
 *
 * The number ends at the end of `bytes` at the latest: pass a view ending
 * where the field ends (`subarray`) to stop before. Reading up to the array's
 * end rather than to a separate limit lets each digit cost one load, whose
 * `undefined` past the end stops the loop like any non-digit: 14% less
 * parsing time than bounds checks against a limit.
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
 * In plain records such numbers never get here: fast-rows.wat reads them
 * exactly with 64-bit integers, which JavaScript numbers are not.
 */
export function parseDecimal(bytes: Uint8Array, start: number, out: Float64Array, index: number): number {
  let p = start;
  let c = bytes[p] as number;
  const negative = c === 0x2d;
  if (negative || c === 0x2b) c = bytes[++p] as number;
  let mantissa = 0;
  const integerStart = p;
  let d = c - DIGIT_0;
  while (d >= 0 && d <= 9) {
    mantissa = mantissa * 10 + d;
    d = (bytes[++p] as number) - DIGIT_0;
  }
  let digits = p - integerStart;
  let exponent = 0;
  if (d === POINT) {
    const fractionStart = ++p;
    d = (bytes[p] as number) - DIGIT_0;
    while (d >= 0 && d <= 9) {
      mantissa = mantissa * 10 + d;
      d = (bytes[++p] as number) - DIGIT_0;
    }
    exponent = fractionStart - p;
    digits += p - fractionStart;
  }
  if (digits === 0) return -1;
  if (d === LOWER_E || d === UPPER_E) return withExponent(bytes, start, p, negative, mantissa, exponent, out, index);
  store(bytes, start, p, negative, mantissa, exponent, out, index);
  return p;
}

/**
 * The rest of `parseDecimal` after an `e`, kept out of it so that the common
 * case stays small enough for V8 to inline into the parser's loop (10% less
 * parsing time).
 */
function withExponent(bytes: Uint8Array, start: number, at: number, negative: boolean, mantissa: number, exponent: number, out: Float64Array, index: number): number {
  let p = at;
  let q = p + 1;
  let e = bytes[q] as number;
  const negativeExponent = e === 0x2d;
  if (negativeExponent || e === 0x2b) e = bytes[++q] as number;
  let k = e - DIGIT_0;
  let shift = 0;
  if (k >= 0 && k <= 9) {
    let value = 0;
    while (k >= 0 && k <= 9) {
      if (value < EXPONENT_CAP) value = value * 10 + k;
      k = (bytes[++q] as number) - DIGIT_0;
    }
    shift = negativeExponent ? -value : value;
    p = q;
  }
  store(bytes, start, p, negative, mantissa, exponent + shift, out, index);
  return p;
}

/** Writes the value of the number text `bytes[start, end)` whose digits are `mantissa` × 10^`exponent`. */
function store(bytes: Uint8Array, start: number, end: number, negative: boolean, mantissa: number, exponent: number, out: Float64Array, index: number): void {
  if (mantissa === 0) {
    out[index] = negative ? -0 : 0;
  } else if (mantissa < MAX_EXACT_MANTISSA && exponent >= -MAX_FAST_EXPONENT && exponent <= MAX_FAST_EXPONENT) {
    const magnitude = exponent < 0 ? mantissa / (POW10[-exponent] as number) : mantissa * (POW10[exponent] as number);
    out[index] = negative ? -magnitude : magnitude;
  } else {
    out[index] = Number(asBuffer(bytes).toString('latin1', start, end));
  }
}
