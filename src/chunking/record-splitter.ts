import { PrescoreError } from '../errors/index.js';
import type { Chunk } from './chunk.js';
import { asBuffer, countLines } from './count-lines.js';

const LF = 0x0a;
const CR = 0x0d;

/** What a `RecordSplitter` is built with. Bytes are single-byte characters (UTF-8 safe: both are ASCII). */
export interface RecordSplitterOptions {
  /** A chunk is cut at the first record end at or after this many bytes. Integer ≥ 1. */
  readonly targetChunkBytes: number;
  /**
   * The target of the first chunk only (default `targetChunkBytes`). 1 makes the
   * first chunk exactly the first record: how the chunk reader peels off the header.
   */
  readonly firstChunkBytes?: number;
  /** Quote byte, default `"` (0x22). */
  readonly quote?: number;
  /** Field delimiter byte, default `,` (0x2c): a quote opens a quoted field only at a field start. */
  readonly delimiter?: number;
  /**
   * Longest record (bytes) tolerated beyond the chunk target before giving up, so
   * that a stray quote or CR-only line endings cannot pull a whole file into memory.
   * Default 64 MiB.
   */
  readonly maxRecordBytes?: number;
  /** Display name of the input, for error positions. */
  readonly source?: string;
  /** 1-based line number of the first byte fed, for error positions. Default 1. */
  readonly firstLine?: number;
  /**
   * Where a chunk's bytes go: `length` bytes over a buffer nothing else refers to (a `ChunkBuffers`
   * hands back buffers that workers are done with), all of which the chunk may use; `chunk` is the
   * 0-based index of the chunk the bytes start, which may ask again for more room while it is
   * being cut. Default a new Uint8Array.
   */
  readonly allocate?: (length: number, chunk: number) => Uint8Array;
}

const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

const EMPTY = new Uint8Array(0);

/** What the splitter cuts: a chunk's bytes and its first line, before its reader numbers it. */
export type SplitChunk = Pick<Chunk, 'bytes' | 'firstLine'>;

/** Outside quotes; inside a quoted field; inside one, with a quote as the last byte fed (closing or escaping?). */
const OUT = 0;
const IN = 1;
const QUOTE_AT_END = 2;
type Mode = typeof OUT | typeof IN | typeof QUOTE_AT_END;

/**
 * Splits a CSV byte stream into chunks of whole records, the pure core of the
 * chunker (fed plain buffers, no I/O). A record ends at an LF outside quotes (a
 * CRLF ends at its LF); following RFC 4180 and csv-parse, a quote opens a quoted
 * field only as the first byte of a field, `""` inside one is an escaped quote,
 * and any other quote is a literal byte (the column parser rejects that row).
 * Strip a UTF-8 BOM before feeding: a quote right after one would not be at a
 * field start.
 *
 * No fed buffer is kept once `feed` returns, so a reader may read the next
 * bytes into the same buffer: the unfinished record at the end of a feed is
 * copied. Every chunk is a copy into a buffer of its own (from `allocate`), so
 * it can be transferred to a worker whole. Reads and chunks are both ~1 MiB, so
 * nearly every chunk spans two reads and needs a copy anyway; the unfinished
 * bytes go straight into the buffer of the chunk they start, so that each
 * byte is copied once.
 *
 * Throws CSV_UNCLOSED_QUOTE (a quoted field still open at the end, or longer than
 * `maxRecordBytes`), CSV_RECORD_TOO_LONG, USAGE_INVALID_OPTION.
 */
export class RecordSplitter {
  private readonly target: number;
  private readonly firstTarget: number;
  private readonly quote: number;
  private readonly delimiter: number;
  private readonly maxRecordBytes: number;
  private readonly source: string | undefined;
  private readonly allocate: (length: number, chunk: number) => Uint8Array;

  private mode: Mode = OUT;
  /** The byte before the next fed byte; LF at the start, which is a record start. */
  private lastByte = LF;
  /**
   * Bytes fed but not yet emitted, all after the last cut, at the start of the
   * buffer of the chunk they will start (from `allocate`, all of its room): copied,
   * so that no fed buffer is kept. Empty once a chunk has taken its buffer.
   */
  private pending: Uint8Array = EMPTY;
  private pendingBytes = 0;
  private chunksEmitted = 0;
  /** Absolute offset of the first pending byte, and its 1-based line. */
  private emittedBytes = 0;
  private line: number;
  private fedBytes = 0;
  /** Absolute offset of the quote that opened the current quoted field. */
  private openQuoteOffset = 0;

  constructor(options: RecordSplitterOptions) {
    this.target = positiveInteger('targetChunkBytes', options.targetChunkBytes);
    this.firstTarget = positiveInteger('firstChunkBytes', options.firstChunkBytes ?? options.targetChunkBytes);
    this.maxRecordBytes = positiveInteger('maxRecordBytes', options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES);
    this.quote = byteOption('quote', options.quote ?? 0x22);
    this.delimiter = byteOption('delimiter', options.delimiter ?? 0x2c);
    if (this.quote === this.delimiter) {
      throw new PrescoreError('USAGE_INVALID_OPTION', `quote and delimiter must differ, both are byte ${this.quote}`);
    }
    this.source = options.source;
    this.line = options.firstLine ?? 1;
    this.allocate = options.allocate ?? ((length) => new Uint8Array(length));
  }

  /**
   * Consumes `input`; returns the chunks it completed (possibly none), in
   * order, each with its first line: the splitter counts every chunk's lines
   * for its own errors, so its reader need not count them again.
   */
  feed(input: Uint8Array): SplitChunk[] {
    const chunks: SplitChunk[] = [];
    const length = input.length;
    if (length === 0) return chunks;
    const { quote, delimiter } = this;
    const view = asBuffer(input);
    let pos = 0;
    let start = 0;
    if (this.mode === QUOTE_AT_END) {
      this.mode = input[0] === quote ? IN : OUT;
      if (this.mode === IN) pos = 1;
    }
    // Cached next quote / next LF positions: -2 unknown, -1 none left in this
    // input. Both searches only move forward, so each byte is scanned by each
    // indexOf at most once, however many chunks one input yields.
    let quoteAt = -2;
    let lfAt = -2;
    while (pos < length) {
      if (this.mode === IN) {
        const q = view.indexOf(quote, pos);
        if (q === -1) {
          pos = length;
        } else if (q + 1 === length) {
          this.mode = QUOTE_AT_END;
          pos = length;
        } else if (input[q + 1] === quote) {
          pos = q + 2;
        } else {
          this.mode = OUT;
          pos = q + 1;
        }
        continue;
      }
      if (quoteAt !== -1 && quoteAt < pos) quoteAt = view.indexOf(quote, pos);
      const target = this.chunksEmitted === 0 ? this.firstTarget : this.target;
      // Jump straight to where the chunk would be big enough: the bytes before
      // need no look unless a quote lies among them.
      const cutFrom = Math.max(pos, start + target - this.pendingBytes - 1);
      if (lfAt !== -1 && lfAt < cutFrom) lfAt = cutFrom < length ? view.indexOf(LF, cutFrom) : -1;
      if (quoteAt !== -1 && (lfAt === -1 || quoteAt < lfAt)) {
        const previous = quoteAt > 0 ? input[quoteAt - 1] : this.lastByte;
        if (previous === delimiter || previous === LF) {
          this.mode = IN;
          this.openQuoteOffset = this.fedBytes + quoteAt;
        }
        pos = quoteAt + 1;
        continue;
      }
      if (lfAt === -1) break;
      chunks.push(this.take(input, start, lfAt + 1));
      start = pos = lfAt + 1;
    }
    if (start < length) {
      this.hold(input.subarray(start));
    }
    this.fedBytes += length;
    this.lastByte = input[length - 1] ?? LF;
    this.checkRecordSize();
    return chunks;
  }

  /**
   * Ends the input: returns the trailing record that has no final newline, or
   * null when the input ended on a record end. Throws CSV_UNCLOSED_QUOTE, with
   * the line where the quoted field started, if one is still open.
   */
  end(): SplitChunk | null {
    if (this.mode === IN) throw this.unclosedQuote('is never closed');
    // A quote as the very last byte closes its field.
    this.mode = OUT;
    if (this.pendingBytes === 0) return null;
    return this.take(EMPTY, 0, 0);
  }

  /** The pending bytes plus `input[start, end)`: a chunk, in the buffer the pending bytes are in. */
  private take(input: Uint8Array, start: number, end: number): SplitChunk {
    const firstLine = this.line;
    const length = this.pendingBytes + end - start;
    if (length > this.pending.length) this.moveTo(length);
    this.pending.set(input.subarray(start, end), this.pendingBytes);
    const bytes = this.pending.subarray(0, length);
    this.pending = EMPTY;
    this.pendingBytes = 0;
    this.chunksEmitted++;
    this.emittedBytes += bytes.length;
    this.line += countLines(bytes);
    return { bytes, firstLine };
  }

  /** Appends `bytes` to the pending record. */
  private hold(bytes: Uint8Array): void {
    const needed = this.pendingBytes + bytes.length;
    // At least double: a record longer than a buffer grows in few steps.
    if (needed > this.pending.length) this.moveTo(Math.max(needed, 2 * this.pending.length));
    this.pending.set(bytes, this.pendingBytes);
    this.pendingBytes = needed;
  }

  /** Moves the pending bytes to a buffer of at least `length` bytes from `allocate`. */
  private moveTo(length: number): void {
    const fresh = this.allocate(length, this.chunksEmitted);
    const room = new Uint8Array(fresh.buffer, fresh.byteOffset, fresh.buffer.byteLength - fresh.byteOffset);
    room.set(this.pending.subarray(0, this.pendingBytes));
    this.pending = room;
  }

  private checkRecordSize(): void {
    const target = this.chunksEmitted === 0 ? this.firstTarget : this.target;
    if (this.pendingBytes <= target + this.maxRecordBytes) return;
    if (this.mode !== OUT) throw this.unclosedQuote(`runs past ${this.maxRecordBytes} bytes`);
    const crOnly = this.pending.subarray(0, this.pendingBytes).includes(CR);
    throw new PrescoreError('CSV_RECORD_TOO_LONG', `A record runs past ${this.maxRecordBytes} bytes without a line end`, {
      ...(this.source === undefined ? {} : { file: this.source }),
      line: this.line,
      hint: crOnly
        ? 'The file seems to use CR-only (classic Mac) line endings; convert them to LF or CRLF'
        : 'Check that this is a CSV file with LF or CRLF line endings',
    });
  }

  private unclosedQuote(what: string): PrescoreError {
    const before = Math.max(0, Math.min(this.openQuoteOffset - this.emittedBytes, this.pendingBytes));
    const line = this.line + countLines(this.pending, 0, before);
    return new PrescoreError('CSV_UNCLOSED_QUOTE', `The quoted field starting at line ${line} ${what}`, {
      ...(this.source === undefined ? {} : { file: this.source }),
      line,
      hint: 'Close the quote, and double every quote that is part of a value ("" per RFC 4180)',
    });
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new PrescoreError('USAGE_INVALID_OPTION', `${name} must be an integer ≥ 1, got ${value}`);
  }
  return value;
}

function byteOption(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0x7f || value === LF || value === CR) {
    throw new PrescoreError('USAGE_INVALID_OPTION', `${name} must be an ASCII byte other than CR or LF, got ${value}`);
  }
  return value;
}
