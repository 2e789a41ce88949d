import { asBuffer, type Chunk } from '../chunking/index.js';
import { PrescoreError, type ErrorCode } from '../errors/index.js';
import type { RejectedRow } from '../errors/index.js';
import type { ParsedChunk, ParseSpec } from './column-parser.js';
import { FastRows, KIND } from './fast-rows.js';
import { FieldDecoder } from './field-decoder.js';
import { NaMatcher } from './na-matcher.js';
import { parseDecimal } from './number-parser.js';
import { RowFault } from './row-fault.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const { skip: SKIP, numeric: NUMERIC, text: TEXT, id: ID } = KIND;
/** Rows allocated before the first grow, which then sizes the arrays from the bytes per row. */
const INITIAL_CAPACITY = 64;
/** Records the fast path may turn down before a chunk stops asking it (unless it took as many). */
const FAST_MISSES_ALLOWED = 32;

/**
 * The engine behind `parseChunk` (see there for the rules): one instance per
 * chunk. Plain records go through FastRows, in WebAssembly; the rest through
 * the record loop here, whose number fast path keeps to locals and small
 * methods V8 inlines, and everything unusual through the general `field` path.
 */
export class ChunkParser {
  /**
   * The chunk's bytes as a Buffer view: its `indexOf` runs at memchr speed, and
   * one element type everywhere keeps V8's property accesses monomorphic
   * whether chunks arrive as Buffers or (after a thread crossing) Uint8Arrays.
   */
  private readonly bytes: Buffer;
  private readonly n: number;
  private readonly delimiter: number;
  private readonly width: number;
  private readonly kinds: Uint8Array;
  private readonly slots: Int32Array;
  /** Spaces and tabs are trimmed from numbers, unless one of them is the delimiter. */
  private readonly blankA: number;
  private readonly blankB: number;
  private readonly na: NaMatcher;
  private readonly decoder: FieldDecoder;

  private capacity = INITIAL_CAPACITY;
  private numeric: Float64Array[];
  private lines: Uint32Array;
  private readonly text: string[][];
  private readonly rowText: string[];
  private readonly ids: string[] = [];
  private readonly rejects: RejectedRow[] = [];
  private rows = 0;
  private rowsRead = 0;

  private line: number;
  /**
   * The first quote / LF at or after where last asked (n if none): the long
   * scans for quotes in unquoted fields and for LFs in quoted ones run once per
   * quote or record, not once per field.
   */
  private nextQuote = -1;
  private nextLf = -1;
  private rowStart = 0;
  private rowLine = 0;
  private id = '';
  private readonly quoteFault = new RowFault();
  private readonly valueFault = new RowFault();
  private fast: FastRows | undefined;
  private fastMisses = 0;
  private fastTaken = 0;

  constructor(
    private readonly chunk: Chunk,
    private readonly spec: ParseSpec,
  ) {
    this.bytes = asBuffer(chunk.bytes);
    this.n = chunk.bytes.length;
    this.line = chunk.firstLine;
    this.delimiter = spec.delimiter;
    this.width = spec.header.length;
    this.kinds = new Uint8Array(this.width);
    this.slots = new Int32Array(this.width);
    spec.numeric.forEach((column, k) => this.assign(column, NUMERIC, k));
    spec.text.forEach((column, k) => this.assign(column, TEXT, k));
    this.assign(spec.idColumn, ID, 0);
    this.blankA = spec.delimiter === 0x20 ? -1 : 0x20;
    this.blankB = spec.delimiter === 0x09 ? -1 : 0x09;
    this.na = new NaMatcher(spec.naValues);
    this.decoder = new FieldDecoder(this.bytes);
    this.numeric = spec.numeric.map(() => new Float64Array(INITIAL_CAPACITY));
    this.lines = new Uint32Array(INITIAL_CAPACITY);
    this.text = spec.text.map(() => []);
    this.rowText = spec.text.map(() => '');
    // An NA value that is a number ("-999") must be compared with every number: not plain.
    if (!this.na.numeric) {
      const layout = {
        delimiter: spec.delimiter,
        kinds: this.kinds,
        slots: this.slots,
        numericCount: spec.numeric.length,
        textCount: spec.text.length,
        maxFieldBytes: spec.maxFieldBytes,
        maxIdBytes: spec.maxIdBytes,
        naValues: this.na.values,
      };
      this.fast = FastRows.load(layout, chunk.bytes);
    }
  }

  run(): ParsedChunk {
    const { bytes, n, delimiter, width, kinds } = this;
    let p = 0;
    while (p < n) {
      const fast = this.fast;
      if (fast !== undefined) {
        if (this.rows === this.capacity) this.grow(p);
        p = this.takePlain(fast, p);
        if (p >= n) break;
        // Stopped at its limit, not at a record it cannot take: ask it again rather than
        // send one plain record per take through the loop below, which then stays cold.
        if (fast.full) continue;
      }
      const first = bytes[p];
      if (first === LF || (first === CR && (p + 1 === n || bytes[p + 1] === LF))) {
        p += first === LF ? 1 : 2;
        if (p <= n) this.line++;
        continue;
      }
      if (this.rows === this.capacity) this.grow(p);
      this.startRow(p);
      for (let column = 0; ; ) {
        const kind = column < width ? (kinds[column] as number) : SKIP;
        let end = kind === NUMERIC ? this.fastNumber(p, column) : -1;
        if (end === -1) end = this.field(p, column, kind);
        p = end;
        column++;
        if (p >= n) {
          this.endRow(column, n);
          break;
        }
        const terminator = bytes[p];
        if (terminator === delimiter) {
          p++;
          continue;
        }
        // The record's own bytes end before its CRLF, whether the CR stopped the field or not.
        this.endRow(column, terminator === LF && bytes[p - 1] === CR ? p - 1 : p);
        p += terminator === CR ? 2 : 1;
        if (p <= n) this.line++;
        break;
      }
    }
    const rows = this.rows;
    return {
      rowsRead: this.rowsRead,
      rows,
      ids: this.ids,
      lines: this.lines.subarray(0, rows),
      numeric: this.numeric.map((column) => column.subarray(0, rows)),
      text: this.text,
      rejects: this.rejects,
    };
  }

  /**
   * Copies the plain records FastRows parses from `p` into the columns; returns
   * where it stopped, at a record this loop must take. A chunk of records it
   * keeps turning down stops asking it.
   */
  private takePlain(fast: FastRows, p: number): number {
    const stop = fast.take(p, this.capacity - this.rows);
    const count = fast.taken;
    if (count === 0) {
      if (++this.fastMisses > FAST_MISSES_ALLOWED && this.fastMisses > this.fastTaken) this.fast = undefined;
      return p;
    }
    const at = this.rows;
    this.numeric.forEach((column, slot) => column.set(fast.numbersOf(slot, count), at));
    this.takeStrings(fast, 0, count, this.ids);
    for (let k = 0; k < this.text.length; k++) this.takeStrings(fast, k + 1, count, this.text[k]!);
    for (let r = 0; r < count; r++) this.lines[at + r] = this.line + r;
    this.line += count;
    this.rows += count;
    this.rowsRead += count;
    this.fastTaken += count;
    return stop;
  }

  /** Appends string slot `slot` of the `count` records FastRows took to `into`: all at once when they are ASCII. */
  private takeStrings(fast: FastRows, slot: number, count: number, into: string[]): void {
    const packed = fast.packed(slot, count);
    if (packed === undefined) {
      for (let r = 0; r < count; r++) into.push(this.plainText(fast, slot, r));
      return;
    }
    for (let r = 0, from = 0; r < count; r++) {
      const to = fast.packedEnd(r);
      into.push(packed.substring(from, to));
      from = to;
    }
  }

  /** A string field FastRows took: ASCII decodes as latin1, the fastest; the rest as the record loop decodes it. */
  private plainText(fast: FastRows, slot: number, row: number): string {
    const start = fast.start(slot, row);
    const end = fast.end(slot, row);
    if (fast.ascii(slot, row)) return this.bytes.toString('latin1', start, end);
    const text = this.decoder.text(start, end, 0);
    if (text === undefined) throw new PrescoreError('INTERNAL', `FastRows took a field that is not UTF-8 at byte ${start} of the chunk`);
    return text;
  }

  /** Gives a column its role; a spec naming a column twice or out of range is a bug upstream. */
  private assign(column: number, kind: number, slot: number): void {
    if (!Number.isInteger(column) || column < 0 || column >= this.width || this.kinds[column] !== SKIP) {
      throw new PrescoreError('INTERNAL', `ParseSpec names column ${column} twice or out of range (${this.width} columns)`);
    }
    this.kinds[column] = kind;
    this.slots[column] = slot;
  }

  /** Makes room for more rows, sized from the bytes per row so far: one or two grows per chunk. */
  private grow(at: number): void {
    const estimate = Math.ceil(((this.rows * this.n) / at) * 1.1) + INITIAL_CAPACITY;
    const capacity = Math.max(this.capacity * 2, estimate);
    this.numeric = this.numeric.map((column) => {
      const larger = new Float64Array(capacity);
      larger.set(column);
      return larger;
    });
    const lines = new Uint32Array(capacity);
    lines.set(this.lines);
    this.lines = lines;
    this.capacity = capacity;
  }

  private startRow(at: number): void {
    this.rowsRead++;
    this.rowStart = at;
    this.rowLine = this.line;
    this.quoteFault.code = undefined;
    this.valueFault.code = undefined;
  }

  /** Keeps the row, or rejects it for its first problem (see `parseChunk`). `end` excludes the terminator. */
  private endRow(fields: number, end: number): void {
    if (this.quoteFault.code !== undefined) {
      this.reject(this.quoteFault);
    } else if (fields !== this.width) {
      const fault = this.valueFault;
      fault.code = undefined;
      fault.set('CSV_COLUMN_COUNT', Math.min(fields, this.width), this.rowStart, end, false, `expected ${this.width} fields, found ${fields}`);
      this.reject(fault);
    } else if (this.valueFault.code !== undefined) {
      this.reject(this.valueFault);
    } else {
      const rows = this.rows;
      this.ids.push(this.id);
      this.lines[rows] = this.rowLine;
      for (let k = 0; k < this.text.length; k++) (this.text[k] as string[]).push(this.rowText[k] as string);
      this.rows = rows + 1;
    }
  }

  /**
   * The hot path: an unquoted number directly followed by a delimiter or LF,
   * parsed in the same pass that finds the field's end. Returns that end, or -1
   * for anything else (blanks, CR, empty, NA, junk, too long), which the
   * general path takes again from the start and explains.
   */
  private fastNumber(at: number, column: number): number {
    const { bytes, n } = this;
    const out = this.numeric[this.slots[column] as number] as Float64Array;
    const row = this.rows;
    const end = parseDecimal(this.bytes, at, out, row);
    if (end === -1 || end === n) return -1;
    const next = bytes[end];
    const value = out[row] as number;
    if ((next !== this.delimiter && next !== LF) || value - value !== 0 || end - at > this.spec.maxFieldBytes) return -1;
    if (this.na.numeric && this.na.matches(bytes, at, end)) return -1;
    return end;
  }

  /** Parses any field at `at`; returns the offset of its delimiter or record terminator (LF, CR of a CRLF, or the end). */
  private field(at: number, column: number, kind: number): number {
    const { bytes, n } = this;
    if (bytes[at] === QUOTE) {
      let end = at + 1;
      let escapes = 0;
      for (;;) {
        end = bytes.indexOf(QUOTE, end);
        if (end === -1) throw unclosedQuote(this.chunk.source, this.line);
        if (bytes[end + 1] !== QUOTE) break;
        escapes++;
        end += 2;
      }
      if (this.nextLf < at) this.nextLf = indexOrEnd(bytes, LF, at);
      while (this.nextLf < end) {
        this.line++;
        this.nextLf = indexOrEnd(bytes, LF, this.nextLf + 1);
      }
      let p = end + 1;
      if (!this.atFieldEnd(p)) {
        p = this.unquotedEnd(p);
        this.quoteFault.set('CSV_INVALID_QUOTE', column, at, p, false, 'text follows the closing quote of a quoted field');
      }
      if (kind !== SKIP) this.store(column, kind, at + 1, end, escapes);
      return p;
    }
    const p = this.unquotedEnd(at);
    if (this.nextQuote < at) this.nextQuote = indexOrEnd(this.bytes, QUOTE, at);
    if (this.nextQuote < p) this.quoteFault.set('CSV_INVALID_QUOTE', column, at, p, false, 'a quote inside an unquoted field');
    // The CR of a CRLF ends the record, not the field.
    const end = p > at && bytes[p - 1] === CR && (p === n || bytes[p] === LF) ? p - 1 : p;
    if (kind !== SKIP) this.store(column, kind, at, end, 0);
    return p;
  }

  /** Stores a field's content `[start, end)` (with `escapes` doubled quotes) into the row, or notes why it cannot be. */
  private store(column: number, kind: number, start: number, end: number, escapes: number): void {
    const fault = this.valueFault;
    const quoted = escapes > 0;
    const size = end - start - escapes;
    if (kind === NUMERIC) return this.storeNumber(column, start, end, size, quoted);
    // The row is rejected already: decoding more of it is wasted work.
    if (fault.code !== undefined) return;
    const limit = kind === ID ? this.spec.maxIdBytes : this.spec.maxFieldBytes;
    if (kind === ID && size === 0) return fault.set('CSV_EMPTY_ID', column, start, end, quoted, 'the id is empty');
    if (size > limit) {
      const what = kind === ID ? `maxIdBytes ${limit}` : `maxFieldBytes ${limit}`;
      return fault.set('CSV_FIELD_TOO_LONG', column, start, end, quoted, `the field is ${size} bytes, over ${what}`);
    }
    const decoded = this.decoder.text(start, end, escapes);
    if (decoded === undefined) return fault.set('CSV_INVALID_UTF8', column, start, end, quoted, 'the field is not valid UTF-8');
    if (kind === ID) this.id = decoded;
    else this.rowText[this.slots[column] as number] = decoded;
  }

  /** Stores a numeric cell by the general rule (see `parseChunk`): NaN, and a noted fault, when it is not a number. */
  private storeNumber(column: number, start: number, end: number, size: number, quoted: boolean): void {
    const { bytes, blankA, blankB } = this;
    const out = this.numeric[this.slots[column] as number] as Float64Array;
    const row = this.rows;
    const fault = this.valueFault;
    out[row] = NaN;
    if (size > this.spec.maxFieldBytes) {
      return fault.set('CSV_FIELD_TOO_LONG', column, start, end, quoted, `the field is ${size} bytes, over maxFieldBytes ${this.spec.maxFieldBytes}`);
    }
    let s = start;
    let e = end;
    while (s < e && (bytes[s] === blankA || bytes[s] === blankB)) s++;
    while (e > s && (bytes[e - 1] === blankA || bytes[e - 1] === blankB)) e--;
    if (s === e || this.na.matches(bytes, s, e)) return;
    if (parseDecimal(e === this.n ? bytes : bytes.subarray(0, e), s, out, row) !== e) {
      out[row] = NaN;
      fault.set('CSV_NOT_A_NUMBER', column, start, end, quoted, 'not a decimal number (digits, optional sign, point and exponent)');
    } else if (!Number.isFinite(out[row])) {
      fault.set('CSV_NOT_A_NUMBER', column, start, end, quoted, 'the number is outside the range of a 64-bit float');
    }
  }

  /** Whether `at` ends a field: a delimiter, an LF, a CRLF, or the chunk end (a CR just before it too). */
  private atFieldEnd(at: number): boolean {
    const { bytes, n } = this;
    if (at >= n) return true;
    const c = bytes[at];
    return c === this.delimiter || c === LF || (c === CR && (at + 1 === n || bytes[at + 1] === LF));
  }

  /** The offset of the delimiter or LF ending the unquoted field at `at`, or the chunk end. */
  private unquotedEnd(at: number): number {
    const { bytes, n, delimiter } = this;
    let p = at;
    while (p < n) {
      const c = bytes[p];
      if (c === delimiter || c === LF) break;
      p++;
    }
    return p;
  }

  private reject(fault: RowFault): void {
    const columnIndex = fault.column;
    this.rejects.push({
      source: this.chunk.source,
      line: this.rowLine,
      column: this.spec.header[columnIndex] ?? '',
      columnIndex,
      value: this.decoder.value(fault.start, fault.end, fault.quoted),
      code: fault.code as ErrorCode,
      reason: fault.reason,
    });
  }
}

function indexOrEnd(bytes: Uint8Array, byte: number, from: number): number {
  const at = bytes.indexOf(byte, from);
  return at === -1 ? bytes.length : at;
}

function unclosedQuote(source: string, line: number): PrescoreError {
  return new PrescoreError('CSV_UNCLOSED_QUOTE', 'A quoted field is never closed within its chunk', { file: source, line });
}
