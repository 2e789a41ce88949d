import { PrescoreError } from '../errors/index.js';
import type { Chunk } from './chunk.js';
import { parseHeader } from './csv-header.js';
import { RecordSplitter, type SplitChunk } from './record-splitter.js';

const LF = 0x0a;
const CR = 0x0d;
const BOM = [0xef, 0xbb, 0xbf] as const;

/** Options of `readChunks`. */
export interface ReadChunksOptions {
  /** Display name of the input (path or URI), carried by every chunk and error. */
  readonly source: string;
  /** Field delimiter byte. Default 0x2c (`,`). */
  readonly delimiter?: number;
  /** Chunks are cut at the first record end at or after this many bytes. Default 1 MiB. */
  readonly targetChunkBytes?: number;
  /** See `RecordSplitterOptions.maxRecordBytes`. Default 64 MiB. */
  readonly maxRecordBytes?: number;
  /** See `RecordSplitterOptions.allocate`; for the data chunks only (the header record is parsed here). */
  readonly allocate?: (length: number) => Uint8Array;
}

/** A CSV input, header parsed, its records still to be read. */
export interface ChunkedCsv {
  readonly header: readonly string[];
  /**
   * The data records in chunks, pulled from the stream as they are iterated
   * (at most one chunk plus the unfinished record is held; no stream buffer is
   * kept once the next one is asked for, so the stream may reuse it). Iterate once. Each
   * chunk's bytes are the only view of their ArrayBuffer, so they can be
   * transferred to a worker. Header-only input yields nothing; the caller raises CSV_NO_ROWS.
   */
  readonly chunks: AsyncIterable<Chunk>;
}

/** A chunk's target size when none is given: 1 MiB. */
export const DEFAULT_TARGET_CHUNK_BYTES = 1024 * 1024;

/**
 * Reads the header of a CSV byte stream, then hands out its records as
 * record-aligned `Chunk`s with 1-based physical line numbers. A UTF-8 BOM and
 * blank lines before the header are skipped (csv-parse's `bom` and
 * `skip_empty_lines`). Record ends are LF or CRLF (a CR alone is data).
 *
 * Throws (from the promise, or from the iteration for errors further on)
 * CSV_EMPTY (no header), the codes of `parseHeader`, and CSV_UNCLOSED_QUOTE /
 * CSV_RECORD_TOO_LONG from the splitter; errors of the stream pass through.
 */
export async function readChunks(stream: AsyncIterable<Uint8Array>, options: ReadChunksOptions): Promise<ChunkedCsv> {
  const { source } = options;
  const delimiter = options.delimiter ?? 0x2c;
  const iterator = stream[Symbol.asyncIterator]();
  const { rest, line: headerLine } = await skipPreamble(iterator);
  if (rest === undefined) throw new PrescoreError('CSV_EMPTY', 'The input is empty: no header line', { file: source });

  const splitter = new RecordSplitter({
    targetChunkBytes: options.targetChunkBytes ?? DEFAULT_TARGET_CHUNK_BYTES,
    firstChunkBytes: 1,
    delimiter,
    source,
    firstLine: headerLine,
    ...(options.maxRecordBytes === undefined ? {} : { maxRecordBytes: options.maxRecordBytes }),
    ...(options.allocate === undefined ? {} : { allocate: dataOnly(options.allocate) }),
  });
  const records = splitRecords(rest, iterator, splitter);
  const headerRecord = await records.next();
  if (headerRecord.done === true) throw new PrescoreError('CSV_EMPTY', 'The input is empty: no header line', { file: source });
  const header = parseHeader(headerRecord.value.bytes, { delimiter, source, line: headerLine });
  return { header, chunks: chunked(records, source) };
}

/** `allocate` for every chunk after the first, the header record, which is parsed here and never handed on. */
function dataOnly(allocate: (length: number) => Uint8Array): (length: number, chunk: number) => Uint8Array {
  return (length, chunk) => (chunk === 0 ? new Uint8Array(length) : allocate(length));
}

/** The splitter's records of `first`, then of the rest of the stream; stopping early releases the stream. */
async function* splitRecords(first: Uint8Array, iterator: AsyncIterator<Uint8Array>, splitter: RecordSplitter): AsyncGenerator<SplitChunk> {
  let done = false;
  try {
    yield* splitter.feed(first);
    for (let next = await iterator.next(); ; next = await iterator.next()) {
      if (next.done === true) {
        done = true;
        const last = splitter.end();
        if (last !== null) yield last;
        return;
      }
      yield* splitter.feed(next.value);
    }
  } finally {
    // A consumer that stops early (an error downstream) must release the stream.
    if (!done) await iterator.return?.();
  }
}

async function* chunked(records: AsyncIterable<SplitChunk>, source: string): AsyncGenerator<Chunk> {
  let index = 0;
  for await (const { bytes, firstLine } of records) yield { index: index++, source, firstLine, bytes };
}

/**
 * Skips a UTF-8 BOM and blank lines (LF or CRLF) at the start of the stream.
 * Returns the first bytes of the header onward and the header's line, or no
 * bytes for an input with nothing else. Holds at most two undecided bytes.
 */
async function skipPreamble(iterator: AsyncIterator<Uint8Array>): Promise<{ rest: Uint8Array | undefined; line: number }> {
  let line = 1;
  let carry: Uint8Array = new Uint8Array(0);
  let bomChecked = false;
  for (;;) {
    const next = await iterator.next();
    const ended = next.done === true;
    let bytes = ended ? carry : join(carry, next.value);
    if (!bomChecked) {
      if (!ended && bytes.length < BOM.length && BOM.slice(0, bytes.length).every((b, i) => bytes[i] === b)) {
        carry = new Uint8Array(bytes);
        continue;
      }
      if (BOM.every((b, i) => bytes[i] === b)) bytes = bytes.subarray(BOM.length);
      bomChecked = true;
    }
    let at = 0;
    for (;;) {
      if (bytes[at] === LF) {
        at++;
        line++;
      } else if (bytes[at] === CR && bytes[at + 1] === LF) {
        at += 2;
        line++;
      } else {
        break;
      }
    }
    // A trailing CR may be the first half of a CRLF: decide on the next buffer.
    const undecided = at === bytes.length || (at === bytes.length - 1 && bytes[at] === CR);
    if (!undecided) return { rest: bytes.subarray(at), line };
    // A lone CR at the very end is a blank line without its LF.
    if (ended) return { rest: undefined, line };
    carry = new Uint8Array(bytes.subarray(at)); // a copy (Buffer#slice would not be one): the stream may reuse its buffer
  }
}

function join(head: Uint8Array, tail: Uint8Array): Uint8Array {
  if (head.length === 0) return tail;
  const bytes = new Uint8Array(head.length + tail.length);
  bytes.set(head);
  bytes.set(tail, head.length);
  return bytes;
}
