import type { Chunk } from '../chunking/index.js';
import type { RejectedRow } from '../errors/index.js';
import { ChunkParser } from './chunk-parser.js';

/** How to parse the records of one table; the same for every chunk, sent once to each worker. */
export interface ParseSpec {
  /** Field delimiter byte, e.g. 0x2c. */
  readonly delimiter: number;
  /** Column names, for rejects; its length is the field count every record must have. */
  readonly header: readonly string[];
  /** Index into `header` of the entity id column. */
  readonly idColumn: number;
  /** Column indexes parsed to float64. */
  readonly numeric: readonly number[];
  /** Column indexes kept as strings. */
  readonly text: readonly number[];
  /** Trimmed numeric cell texts that mean missing (→ NaN); '' always does. */
  readonly naValues: readonly string[];
  /** Longest numeric or text field (bytes, after unquoting); longer rejects the row with CSV_FIELD_TOO_LONG. */
  readonly maxFieldBytes: number;
  /** Longest id (bytes, after unquoting); longer rejects the row with CSV_FIELD_TOO_LONG. */
  readonly maxIdBytes: number;
}

/** One chunk's records as typed columns; every array has one entry per kept row. */
export interface ParsedChunk {
  /** Data records seen (kept + rejected); blank lines are not records. */
  readonly rowsRead: number;
  /** Kept rows. */
  readonly rows: number;
  readonly ids: string[];
  /** First physical line of each kept row. May be a view on a larger buffer, as may `numeric`'s arrays. */
  readonly lines: Uint32Array;
  /** Parallel to `spec.numeric`; NaN is a missing value. */
  readonly numeric: Float64Array[];
  /** Parallel to `spec.text`. */
  readonly text: string[][];
  readonly rejects: RejectedRow[];
}

/**
 * Parses a chunk of whole CSV records (RFC 4180, csv-parse's behaviour where
 * the RFC is silent) straight from bytes into typed columns. Pure; runs in
 * the workers.
 *
 * - Records end at LF or CRLF; a record with no bytes is a blank line, skipped.
 * - A quote opens a quoted field only as its first byte; `""` inside is a quote.
 *   A quote inside an unquoted field, or anything but a delimiter or record end
 *   after a closing quote, rejects the row with CSV_INVALID_QUOTE (where
 *   csv-parse throws INVALID_OPENING_QUOTE / CSV_INVALID_CLOSING_QUOTE).
 * - Numeric cells, quoted or not, are trimmed of spaces and tabs; then '' or an
 *   NA value is NaN, and otherwise the cell must be a finite decimal number as
 *   `Number()` reads it (sign, digits, `.`, exponent), giving exactly its
 *   value. Hex/binary/octal literals, `Infinity`, and values that overflow to
 *   ±Infinity (`1e400`) are CSV_NOT_A_NUMBER: a non-finite feature is an
 *   upstream bug that a model turns into plausible garbage.
 * - Ids and text are not trimmed. An empty id is CSV_EMPTY_ID; invalid UTF-8 in
 *   an id or text field is CSV_INVALID_UTF8; a field over its byte limit is
 *   CSV_FIELD_TOO_LONG. Other columns are never decoded nor limited.
 * - One reject per row: a quote problem first, then a wrong field count
 *   (CSV_COLUMN_COUNT), then the first bad field from the left.
 *
 * Throws CSV_UNCLOSED_QUOTE only for bytes `RecordSplitter` would not produce.
 */
export function parseChunk(chunk: Chunk, spec: ParseSpec): ParsedChunk {
  return new ChunkParser(chunk, spec).run();
}
