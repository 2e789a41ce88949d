/** The decimal exponents the table covers: below 10^-342 every 19-digit number is 0, above 10^308 Infinity. */
export const SMALLEST_POWER = -342;
export const LARGEST_POWER = 308;

/**
 * The 128 most significant bits of 5^q for q in [SMALLEST_POWER,
 * LARGEST_POWER], as (high, low) 64-bit halves: the table of the
 * Eisel–Lemire algorithm, which fast-rows.wat uses to read numbers of 16 to
 * 19 digits exactly. Built as fast_float builds it (its
 * script/table_generation.py): for q >= 0 truncated; for q < 0 the
 * reciprocal, rounded up. Computed at build time (scripts/build-wasm.ts):
 * at run time it would cost each thread ~10 ms.
 */
export function powersOfFive(): BigUint64Array {
  const table = new BigUint64Array((LARGEST_POWER - SMALLEST_POWER + 1) * 2);
  const two128 = 1n << 128n;
  for (let q = SMALLEST_POWER; q <= LARGEST_POWER; q++) {
    let c: bigint;
    if (q < 0) {
      const power = 5n ** BigInt(-q);
      const z = BigInt(power.toString(2).length);
      c = q >= -27 ? (1n << (z + 127n)) / power + 1n : (1n << (2n * z + 128n)) / power + 1n;
      while (c >= two128) c >>= 1n;
    } else {
      c = 5n ** BigInt(q);
      while (c < 1n << 127n) c <<= 1n;
      while (c >= two128) c >>= 1n;
    }
    const at = (q - SMALLEST_POWER) * 2;
    table[at] = c >> 64n;
    table[at + 1] = c & 0xffff_ffff_ffff_ffffn;
  }
  return table;
}
