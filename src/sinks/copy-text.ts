import { cellAt, type RowBlock, type SqlValue } from './sql-session.js';

/** Rows per piece of COPY data handed to the socket: big enough to amortise calls, small enough to keep memory flat. */
const ROWS_PER_PIECE = 2_000;

/**
 * Encodes rows in Postgres COPY text format (one line per row, tab between
 * fields, `\N` for NULL; backslash, tab, newline and carriage return escaped
 * as the COPY documentation's "Text Format" section requires). Yields pieces
 * of ROWS_PER_PIECE rows.
 */
export function* copyText(rows: RowBlock): Generator<string> {
  for (let start = 0; start < rows.rowCount; start += ROWS_PER_PIECE) {
    const end = Math.min(rows.rowCount, start + ROWS_PER_PIECE);
    let piece = '';
    for (let r = start; r < end; r++) {
      piece += rows.columns.map((column) => copyField(cellAt(column, r))).join('\t');
      piece += '\n';
    }
    yield piece;
  }
}

/** One field in COPY text format. Non-finite numbers use the spellings float8 input accepts. */
export function copyField(value: SqlValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'string') return value.replace(/[\\\t\n\r]/g, escapeChar);
  if (typeof value === 'bigint') return value.toString();
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return String(value);
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeChar(char: string): string {
  return ESCAPES[char] ?? char;
}
