/**
 * Bin shares below this count as this much: an empty bin would make PSI
 * infinite. 1e-4 is the usual floor; it adds at most ~0.001 per empty bin.
 */
export const PSI_FLOOR = 1e-4;

/**
 * The population stability index of `actual` against `expected`, two share
 * vectors over the same bins (each summing to 1):
 * Σ (aᵢ − eᵢ) · ln(aᵢ / eᵢ). 0 is identical; by the usual rule of thumb below
 * 0.1 is stable, 0.1–0.25 a moderate shift, above 0.25 a major one. Pure.
 * Throws a plain Error when the vectors differ in length (a bug upstream).
 */
export function psi(expected: readonly number[], actual: readonly number[]): number {
  if (expected.length !== actual.length) throw new Error(`PSI over ${expected.length} and ${actual.length} bins`);
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i]!, PSI_FLOOR);
    const a = Math.max(actual[i]!, PSI_FLOOR);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}
