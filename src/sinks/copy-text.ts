import type { RowBlock, SqlValue } from './sql-session.js';

/**
 * Rows per piece of COPY data handed to the socket. The server parses a piece
 * while the next is encoded, but at the end of each batch it finishes the last
 * piece alone: small pieces keep that stall short for the small batches that
 * wide tables' chunks give (1M rows in batches of 4096: 2.8–3.2 s with 500,
 * 3.0–4.0 s with 2000; no difference at 16384).
 */
const ROWS_PER_PIECE = 500;

/** Characters COPY text format needs escaped; most ids have none, and a test is cheaper than a replace. */
const NEEDS_ESCAPE = /[\\\t\n\r]/;

/**
 * Encodes rows in Postgres COPY text format (one line per row, tab between
 * fields, `\N` for NULL; backslash, tab, newline and carriage return escaped
 * as the COPY documentation's "Text Format" section requires). Yields pieces
 * of ROWS_PER_PIECE rows. Constant columns are encoded once per block: this
 * loop is the main-thread cost of a Postgres load (about 0.4 s per million
 * rows of five columns, against 1.4 s for a map/join per row).
 */
export function* copyText(rows: RowBlock): Generator<string> {
  const columns = rows.columns.map((column) => ('constant' in column ? copyField(column.constant) : column.values));
  const width = columns.length;
  for (let start = 0; start < rows.rowCount; start += ROWS_PER_PIECE) {
    const end = Math.min(rows.rowCount, start + ROWS_PER_PIECE);
    let piece = '';
    for (let r = start; r < end; r++) {
      for (let c = 0; c < width; c++) {
        const column = columns[c]!;
        const field = typeof column === 'string' ? column : copyField(column[r] ?? null);
        piece += c === 0 ? field : `\t${field}`;
      }
      piece += '\n';
    }
    yield piece;
  }
}

/**
 * One field in COPY text format. NaN is NULL, as SQLite stores it and as the
 * published schema documents it (a score the model could not compute); the
 * infinities use the spellings float8 input accepts.
 */
export function copyField(value: SqlValue): string {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return String(value);
    return Number.isNaN(value) ? '\\N' : value > 0 ? 'Infinity' : '-Infinity';
  }
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, escapeChar) : value;
  if (value === null) return '\\N';
  return value.toString();
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeChar(char: string): string {
  return ESCAPES[char] ?? char;
}
