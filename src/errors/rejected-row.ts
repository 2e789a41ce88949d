import type { ErrorCode } from './codes.js';

/**
 * An input record left out of a run, and why: what the parser and the row
 * checks produce, what the reject gate counts, and what the rejects table and
 * `--rejects-file` store. Plain data, so it crosses worker threads as it is.
 */
export interface RejectedRow {
  readonly source: string;
  /** 1-based physical line where the record starts. */
  readonly line: number;
  /** The column's header name; '' for a field beyond the header. */
  readonly column: string;
  /** 0-based; shown and stored 1-based. */
  readonly columnIndex: number;
  /** The field at fault, unquoted (the whole record for CSV_COLUMN_COUNT), cut after 200 bytes. */
  readonly value: string;
  readonly code: ErrorCode;
  readonly reason: string;
}
