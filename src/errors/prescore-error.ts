import { exitCodeOf, type ErrorCode } from './codes.js';

/** Where in a data file an error sits. Lines and columns are 1-based. */
export interface ErrorPosition {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number | string;
  readonly value?: string;
}

/**
 * The plain-data form of an error: what crosses a worker boundary (a structured
 * clone drops the class, so the receiving side rebuilds the error from this).
 */
export interface ErrorData extends ErrorPosition {
  readonly code: ErrorCode;
  readonly message: string;
  readonly hint?: string;
}

export interface PrescoreErrorOptions extends ErrorPosition {
  readonly hint?: string;
  readonly cause?: unknown;
}

/**
 * The one error class of prescore. `code` is stable API; the message ends with
 * the position (`at file:line:column`) when there is one, then a hint of what
 * to do.
 */
export class PrescoreError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | string | undefined;
  readonly value: string | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: PrescoreErrorOptions = {}) {
    super(formatMessage(message, options), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PrescoreError';
    this.code = code;
    this.exitCode = exitCodeOf(code);
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
    this.value = options.value;
    this.hint = options.hint;
  }

  /** The plain data a worker posts; `fromData` on the other side restores it. */
  toData(): ErrorData {
    return {
      code: this.code,
      message: this.message,
      ...(this.file === undefined ? {} : { file: this.file }),
      ...(this.line === undefined ? {} : { line: this.line }),
      ...(this.column === undefined ? {} : { column: this.column }),
      ...(this.value === undefined ? {} : { value: this.value }),
    };
  }

  /** Rebuilds an error posted by `toData` without formatting the message twice. */
  static fromData(data: ErrorData): PrescoreError {
    const error = new PrescoreError(data.code, '', data);
    error.message = data.message;
    return error;
  }
}

/** A `code` test that survives thread crossings, unlike `instanceof`. */
export function isPrescoreError(error: unknown): error is PrescoreError {
  return error instanceof PrescoreError;
}

function formatMessage(message: string, position: PrescoreErrorOptions): string {
  let text = message;
  if (position.value !== undefined) text += ` (value ${JSON.stringify(truncate(position.value))})`;
  if (position.file !== undefined) {
    let at = position.file;
    if (position.line !== undefined) at += `:${position.line}`;
    if (position.column !== undefined) at += `:${position.column}`;
    text += ` at ${at}`;
  }
  if (position.hint !== undefined) text += `. ${position.hint}`;
  return text;
}

function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}
