import { PrescoreError } from '../errors/index.js';
import type { RejectedRow } from '../errors/index.js';

/** Rejected rows kept in memory for messages and the report; the count has no limit. */
const KEPT_REJECTS = 100;

/**
 * The rejected-rows gate. With the default rate of 0 the first reject stops
 * the run at once with that row's own error (code, file, line, column, value);
 * otherwise the rate is checked once all rows are read, and `maxRejects` as
 * soon as it is passed.
 */
export class RejectTally {
  rowsRead = 0;
  rejected = 0;
  readonly kept: RejectedRow[] = [];

  constructor(
    private readonly maxRate: number,
    private readonly maxCount: number | undefined,
  ) {}

  /** Counts a chunk's rows and rejects. Throws the reject's own code when the limits allow none. */
  add(rowsRead: number, rejects: readonly RejectedRow[]): void {
    this.rowsRead += rowsRead;
    if (rejects.length === 0) return;
    this.rejected += rejects.length;
    for (const reject of rejects) if (this.kept.length < KEPT_REJECTS) this.kept.push(reject);
    if (this.maxRate === 0 && this.maxCount === undefined) throw rowError(rejects[0]!, 'Use --max-reject-rate or --max-rejects to skip bad rows instead of stopping');
    if (this.maxCount !== undefined && this.rejected > this.maxCount) throw this.tooMany(`more than --max-rejects ${this.maxCount}`);
  }

  /** Checks the rate once every row is read. Throws CSV_TOO_MANY_REJECTS. */
  check(): void {
    if (this.rejected === 0 || this.rowsRead === 0) return;
    if (this.rejected / this.rowsRead > this.maxRate && this.maxCount === undefined) {
      throw this.tooMany(`${((100 * this.rejected) / this.rowsRead).toFixed(2)}% of rows, above --max-reject-rate ${this.maxRate}`);
    }
  }

  private tooMany(what: string): PrescoreError {
    const first = this.kept[0]!;
    return new PrescoreError('CSV_TOO_MANY_REJECTS', `${this.rejected} rows rejected (${what}); the first: ${first.reason}`, {
      file: first.source,
      line: first.line,
      column: first.columnIndex + 1,
      value: first.value,
      hint: 'Fix the input, or raise the limit if these rows may be skipped',
    });
  }
}

function rowError(reject: RejectedRow, hint: string): PrescoreError {
  return new PrescoreError(reject.code, `Row rejected: ${reject.reason} (column "${reject.column}")`, {
    file: reject.source,
    line: reject.line,
    column: reject.columnIndex + 1,
    value: reject.value,
    hint,
  });
}
