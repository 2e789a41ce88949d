import { closeSync, openSync, writeSync } from 'node:fs';

import { PrescoreError, type RejectedRow } from '../errors/index.js';

/** The columns of a rejects file, as in the rejects table (less its table, run and sequence keys). */
export const REJECTS_FILE_COLUMNS = ['source', 'line', 'column_name', 'column_number', 'value', 'code', 'reason'] as const;

/**
 * `--rejects-file`: every rejected row of the run as CSV (RFC 4180, UTF-8, LF
 * line ends), in input order, written as the rows arrive so that a run that
 * then fails its reject limit leaves them all. Unlike the rejects table it is
 * not capped. Synchronous writes: a chunk's rejects are few and ordering is free.
 */
export class RejectsFile {
  private constructor(
    private readonly fd: number,
    private readonly path: string,
  ) {}

  /** Creates or truncates `path` and writes the header. Throws USAGE_INVALID_OPTION when it cannot. */
  static create(path: string): RejectsFile {
    let fd: number;
    try {
      fd = openSync(path, 'w');
    } catch (cause) {
      throw writeFailed(path, cause);
    }
    const file = new RejectsFile(fd, path);
    file.append(`${REJECTS_FILE_COLUMNS.join(',')}\n`);
    return file;
  }

  /** Appends rows. Throws USAGE_INVALID_OPTION (disk full, …). */
  write(rejects: readonly RejectedRow[]): void {
    if (rejects.length === 0) return;
    this.append(rejects.map((r) => `${[r.source, String(r.line), r.column, String(r.columnIndex + 1), r.value, r.code, r.reason].map(csvField).join(',')}\n`).join(''));
  }

  /** Closes the file; what was written stays. */
  close(): void {
    closeSync(this.fd);
  }

  private append(text: string): void {
    try {
      writeSync(this.fd, text);
    } catch (cause) {
      throw writeFailed(this.path, cause);
    }
  }
}

/** Quotes a field when RFC 4180 requires it, doubling embedded quotes. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function writeFailed(path: string, cause: unknown): PrescoreError {
  return new PrescoreError('USAGE_INVALID_OPTION', `--rejects-file cannot be written: ${(cause as Error).message}`, {
    value: path,
    cause,
    hint: 'Give a path in an existing, writable directory',
  });
}
