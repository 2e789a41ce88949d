import { PrescoreError } from '../errors/index.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** What `parseHeader` needs to know. */
export interface HeaderOptions {
  /** Field delimiter byte, e.g. 0x2c. */
  readonly delimiter: number;
  /** Display name of the input, for error positions. */
  readonly source: string;
  /** 1-based line the header starts on (after skipped blank lines). Default 1. */
  readonly line?: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses the header record (its bytes, with or without the final LF/CRLF) into
 * column names: a UTF-8 BOM is stripped, quoted names are unquoted and `""`
 * un-doubled (RFC 4180), nothing is trimmed. An empty name is allowed (pandas
 * writes one for an unnamed index column), so long as it is not duplicated.
 *
 * Throws CSV_EMPTY (no bytes), CSV_INVALID_UTF8, CSV_INVALID_QUOTE (a quote
 * inside an unquoted name or after a closing quote), CSV_UNCLOSED_QUOTE,
 * CSV_DUPLICATE_HEADER (naming both 1-based column positions).
 */
export function parseHeader(record: Uint8Array, options: HeaderOptions): string[] {
  const { delimiter, source } = options;
  const line = options.line ?? 1;
  let bytes = record;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  let end = bytes.length;
  if (bytes[end - 1] === LF) end--;
  if (bytes[end - 1] === CR) end--;
  if (end === 0) throw new PrescoreError('CSV_EMPTY', 'The input has no header line', { file: source, line });
  let text: string;
  try {
    text = utf8.decode(bytes.subarray(0, end));
  } catch (cause) {
    throw new PrescoreError('CSV_INVALID_UTF8', 'The header is not valid UTF-8', {
      file: source,
      line,
      cause,
      hint: 'Re-export the file as UTF-8',
    });
  }
  const names = splitNames(text, String.fromCharCode(delimiter), source, line);
  const seen = new Map<string, number>();
  names.forEach((name, index) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw new PrescoreError('CSV_DUPLICATE_HEADER', `Column name ${JSON.stringify(name)} appears twice, as columns ${first + 1} and ${index + 1}`, {
        file: source,
        line,
        column: index + 1,
        value: name,
        hint: 'Rename one of the columns so that every name is unique',
      });
    }
    seen.set(name, index);
  });
  return names;
}

/** Splits decoded header text into names; the header is one record, so speed does not matter here. */
function splitNames(text: string, delimiter: string, source: string, line: number): string[] {
  const quote = String.fromCharCode(QUOTE);
  const names: string[] = [];
  let at = 0;
  for (;;) {
    const column = names.length + 1;
    let name: string;
    if (text[at] === quote) {
      name = '';
      let from = at + 1;
      for (;;) {
        const close = text.indexOf(quote, from);
        if (close === -1) {
          throw new PrescoreError('CSV_UNCLOSED_QUOTE', 'A quoted column name is never closed', { file: source, line, column });
        }
        name += text.slice(from, close);
        if (text[close + 1] !== quote) {
          at = close + 1;
          break;
        }
        name += quote;
        from = close + 2;
      }
      if (at < text.length && text[at] !== delimiter) throw invalidQuote(text, source, line, column);
    } else {
      const next = text.indexOf(delimiter, at);
      const stop = next === -1 ? text.length : next;
      name = text.slice(at, stop);
      if (name.includes(quote)) throw invalidQuote(text, source, line, column);
      at = stop;
    }
    names.push(name);
    if (at >= text.length) return names;
    at++;
  }
}

function invalidQuote(text: string, source: string, line: number, column: number): PrescoreError {
  return new PrescoreError('CSV_INVALID_QUOTE', `Column name ${column} has a quote that neither opens nor closes it`, {
    file: source,
    line,
    column,
    value: text,
    hint: 'Quote the whole name and double every quote inside it ("" per RFC 4180)',
  });
}
