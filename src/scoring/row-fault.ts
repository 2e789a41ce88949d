import type { ErrorCode } from '../errors/index.js';

/**
 * A row's first problem of one kind (quote, or value), noted while its fields
 * are parsed; `start`/`end` span the field's bytes. Reused across rows.
 */
export class RowFault {
  code: ErrorCode | undefined = undefined;
  column = 0;
  start = 0;
  end = 0;
  /** Whether the span holds doubled quotes to un-double in the reject's value. */
  quoted = false;
  reason = '';

  /** Notes a problem, unless the row has one of this kind already (the first one wins). */
  set(code: ErrorCode, column: number, start: number, end: number, quoted: boolean, reason: string): void {
    if (this.code !== undefined) return;
    this.code = code;
    this.column = column;
    this.start = start;
    this.end = end;
    this.quoted = quoted;
    this.reason = reason;
  }
}
