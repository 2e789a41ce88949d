import { PrescoreError } from '../errors/index.js';
import type { RejectedRow } from '../errors/index.js';

/**
 * The rejected-rows gate. With the default rate of 0 the first reject stops
 * the run at once with that row's own error (code, file, line, column, value);
 * otherwise the rate is checked once all rows are read, and `maxRejects` as
 * soon as it is passed.
 */
export class RejectTally {
  rowsRead = 0;
  rejected = 0;
  /** The run's first reject, which CSV_TOO_MANY_REJECTS points at (the report keeps its own few: RunProfile). */
  private first: RejectedRow | undefined;

  constructor(
    private readonly maxRate: number,
    private readonly maxCount: number | undefined,
  ) {}

  /** Counts a chunk's rows and rejects. Throws the reject's own code when the limits allow none. */
  add(rowsRead: number, rejects: readonly RejectedRow[]): void {
    this.rowsRead += rowsRead;
    if (rejects.length === 0) return;
    this.rejected += rejects.length;
    this.first ??= rejects[0];
    if (this.maxRate === 0 && this.maxCount === undefined) throw rowError(rejects[0]!, 'Use --max-reject-rate or --max-rejects to skip bad rows instead of stopping');
    // Only the count can be checked before every row is read: the rate waits for check().
    const over = this.maxCount !== undefined && rejectLimitBroken(this.rowsRead, this.rejected, this.maxRate, this.maxCount);
    if (over !== false) throw this.tooMany(over);
  }

  /** Checks the rate once every row is read. Throws CSV_TOO_MANY_REJECTS. */
  check(): void {
    if (this.rejected === 0 || this.rowsRead === 0) return;
    const over = rejectLimitBroken(this.rowsRead, this.rejected, this.maxRate, this.maxCount);
    if (over !== false) throw this.tooMany(over);
  }

  private tooMany(what: string): PrescoreError {
    const first = this.first!;
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

/**
 * Which rejected-rows limit a run's counts break, in words for the message;
 * false within them. `maxRejects`, when given, is the limit instead of `maxRate`.
 * `rowsRead` must be above 0.
 */
export function rejectLimitBroken(rowsRead: number, rejected: number, maxRate: number, maxRejects: number | undefined): string | false {
  if (maxRejects !== undefined) return rejected > maxRejects && `more than --max-rejects ${maxRejects}`;
  return rejected / rowsRead > maxRate && `${((100 * rejected) / rowsRead).toFixed(2)}% of rows, above --max-reject-rate ${maxRate}`;
}
