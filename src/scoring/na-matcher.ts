import { asBuffer } from '../chunking/index.js';
import { parseDecimal } from './number-parser.js';

const encoder = new TextEncoder();

/**
 * Recognises the NA spellings of numeric cells ("NA", "null", "-999"…) in raw
 * bytes, without decoding the cell. Compares whole, already-trimmed cells.
 */
export class NaMatcher {
  /** The non-empty spellings, encoded. */
  readonly values: readonly Uint8Array[];
  /**
   * Whether some NA value is itself a number: only then must a cell that parses
   * as a number still be compared (the hot path skips the comparison otherwise).
   */
  readonly numeric: boolean;

  constructor(naValues: readonly string[]) {
    // Cells are trimmed of spaces and tabs before they are compared, so a spelling with one at
    // either end never matches; dropping it keeps FastRows, which compares untrimmed fields, in step.
    this.values = naValues.filter((value) => value !== '' && !/^[ \t]|[ \t]$/.test(value)).map((value) => encoder.encode(value));
    const scratch = new Float64Array(1);
    this.numeric = this.values.some((value) => parseDecimal(asBuffer(value), 0, scratch, 0) === value.length);
  }

  /** Whether `bytes[start, end)` is one of the NA values. */
  matches(bytes: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    for (const value of this.values) {
      if (value.length !== length) continue;
      let i = 0;
      while (i < length && value[i] === bytes[start + i]) i++;
      if (i === length) return true;
    }
    return false;
  }
}
