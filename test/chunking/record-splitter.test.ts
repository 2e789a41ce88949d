import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordSplitter, type SplitChunk } from '../../src/chunking/record-splitter.js';
import type { PrescoreError } from '../../src/errors/index.js';

const encoder = new TextEncoder();
const LF = 0x0a;
const QUOTE = 0x22;
const COMMA = 0x2c;

/** Record ends (offset after each terminating LF) by a byte-at-a-time automaton, the slow obvious way. */
function recordEnds(bytes: Uint8Array): { ends: number[]; openQuote: boolean } {
  const ends: number[] = [];
  let inQuote = false;
  let fieldStart = true;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inQuote) {
      if (b === QUOTE) {
        if (bytes[i + 1] === QUOTE) i++;
        else inQuote = false;
      }
      continue;
    }
    if (b === QUOTE && fieldStart) {
      inQuote = true;
      fieldStart = false;
    } else if (b === LF) {
      ends.push(i + 1);
      fieldStart = true;
    } else {
      fieldStart = b === COMMA;
    }
  }
  return { ends, openQuote: inQuote };
}

/** The chunk lengths the splitter must produce: each cut at the first record end at or after its target. */
function expectedLengths(bytes: Uint8Array, target: number, firstTarget = target): number[] {
  const { ends } = recordEnds(bytes);
  const lengths: number[] = [];
  let start = 0;
  for (const end of ends) {
    if (end - start >= (lengths.length === 0 ? firstTarget : target)) {
      lengths.push(end - start);
      start = end;
    }
  }
  if (start < bytes.length) lengths.push(bytes.length - start);
  return lengths;
}

/**
 * Feeds `bytes` in pieces through one reused buffer, overwritten after each feed as a reader that
 * reads into the same buffer would: a chunk that kept a reference to a fed buffer comes out wrong.
 */
function splitChunks(bytes: Uint8Array, pieceSize: number, target: number, firstTarget?: number): SplitChunk[] {
  const splitter = new RecordSplitter({ targetChunkBytes: target, ...(firstTarget ? { firstChunkBytes: firstTarget } : {}) });
  const chunks: SplitChunk[] = [];
  const reused = new Uint8Array(pieceSize);
  for (let at = 0; at < bytes.length; at += pieceSize) {
    const piece = bytes.subarray(at, at + pieceSize);
    reused.set(piece);
    chunks.push(...splitter.feed(reused.subarray(0, piece.length)));
    reused.fill(0xff);
  }
  const last = splitter.end();
  if (last !== null) chunks.push(last);
  return chunks;
}

/** The chunks' bytes, as `splitChunks` cuts them. */
function split(bytes: Uint8Array, pieceSize: number, target: number, firstTarget?: number): Uint8Array[] {
  return splitChunks(bytes, pieceSize, target, firstTarget).map((chunk) => chunk.bytes);
}

/** 1 + the LFs before each chunk: the line each must say it starts on. */
function expectedFirstLines(chunks: readonly Uint8Array[]): number[] {
  let line = 1;
  return chunks.map((chunk) => {
    const first = line;
    line += chunk.filter((b) => b === LF).length;
    return first;
  });
}

function concat(chunks: Uint8Array[]): Uint8Array {
  return Uint8Array.from(chunks.flatMap((chunk) => [...chunk]));
}

const TRICKY = [
  'id,"name, full",note\r\n',
  '1,"Smith, ""Jo""","line one\r\nline two"\r\n',
  '2,plain,"a\nb"\n',
  '3,"""",""\r\n',
  '\r\n',
  '4,x"y,"z"\n',
  '5,"",\n',
  '6,"€ ünï",last',
].join('');

describe('RecordSplitter', () => {
  const bytes = encoder.encode(TRICKY);

  it('cuts at every record end outside quotes, whatever the piece size and target', () => {
    for (let pieceSize = 1; pieceSize <= bytes.length; pieceSize++) {
      for (const target of [1, 2, 5, 13, 40, 64, 1000]) {
        const chunks = split(bytes, pieceSize, target);
        expect(concat(chunks)).toEqual(bytes);
        expect(chunks.map((c) => c.length), `piece ${pieceSize} target ${target}`).toEqual(expectedLengths(bytes, target));
      }
    }
  });

  it('with firstChunkBytes 1, the first chunk is exactly the first record', () => {
    for (let pieceSize = 1; pieceSize <= bytes.length; pieceSize++) {
      const chunks = split(bytes, pieceSize, 64, 1);
      expect(new TextDecoder().decode(chunks[0])).toBe('id,"name, full",note\r\n');
      expect(chunks.map((c) => c.length)).toEqual(expectedLengths(bytes, 64, 1));
    }
  });

  it('copies every chunk into a buffer of its own from allocate, even one that lies within a fed buffer', () => {
    const input = encoder.encode('a,b\n1,2\n3,4\n');
    const lengths: number[] = [];
    const allocate = (length: number): Uint8Array => {
      lengths.push(length);
      return new Uint8Array(new ArrayBuffer(length + 10), 0, length);
    };
    const chunks = new RecordSplitter({ targetChunkBytes: 1, allocate }).feed(input).map((chunk) => chunk.bytes);
    expect(chunks.map((c) => new TextDecoder().decode(c))).toEqual(['a,b\n', '1,2\n', '3,4\n']);
    expect(lengths).toEqual([4, 4, 4]);
    expect(new Set([input.buffer, ...chunks.map((c) => c.buffer)]).size).toBe(4);
    expect(chunks.every((c) => c.buffer.byteLength === 14)).toBe(true);
  });

  it('returns null from end() when the input ends on a record end', () => {
    const splitter = new RecordSplitter({ targetChunkBytes: 4 });
    expect(splitter.feed(encoder.encode('a,b\n'))).toHaveLength(1);
    expect(splitter.end()).toBeNull();
  });

  it('treats a quote that is the last byte fed as closing or escaping depending on the next byte', () => {
    for (const text of ['"a""b"\nx\n', '"a"\nx\n', '"a""\n"\nx\n']) {
      const input = encoder.encode(text);
      for (let pieceSize = 1; pieceSize <= input.length; pieceSize++) {
        expect(split(input, pieceSize, 1).map((c) => c.length)).toEqual(expectedLengths(input, 1));
      }
    }
  });

  it('throws CSV_UNCLOSED_QUOTE with the line where the quoted field started', () => {
    const input = encoder.encode('a,b\n1,2\n3,"open\nstill\nopen\n');
    for (const pieceSize of [1, 3, 100]) {
      const splitter = new RecordSplitter({ targetChunkBytes: 2, source: 'in.csv' });
      for (let at = 0; at < input.length; at += pieceSize) splitter.feed(input.subarray(at, at + pieceSize));
      const error = catchError(() => splitter.end());
      expect(error).toMatchObject({ code: 'CSV_UNCLOSED_QUOTE', line: 3, file: 'in.csv' });
    }
  });

  it('counts lines from firstLine in errors and in the chunks it cuts', () => {
    const splitter = new RecordSplitter({ targetChunkBytes: 100, firstLine: 5 });
    splitter.feed(encoder.encode('x\n"y'));
    expect(catchError(() => splitter.end())).toMatchObject({ code: 'CSV_UNCLOSED_QUOTE', line: 6 });
    const lines = new RecordSplitter({ targetChunkBytes: 1, firstLine: 5 });
    expect([...lines.feed(encoder.encode('a\n"b\nc"\nd')), lines.end()!].map((c) => c.firstLine)).toEqual([5, 6, 8]);
  });

  it('gives up on a record longer than maxRecordBytes instead of buffering the input', () => {
    const quoted = new RecordSplitter({ targetChunkBytes: 4, maxRecordBytes: 16 });
    quoted.feed(encoder.encode('a\nb,"'));
    expect(catchError(() => quoted.feed(new Uint8Array(32).fill(0x61)))).toMatchObject({ code: 'CSV_UNCLOSED_QUOTE', line: 2 });
    const crOnly = new RecordSplitter({ targetChunkBytes: 4, maxRecordBytes: 16 });
    expect(catchError(() => crOnly.feed(encoder.encode('a,b\r1,2\r'.repeat(4))))).toMatchObject({ code: 'CSV_RECORD_TOO_LONG' });
  });

  it('rejects bad options with USAGE_INVALID_OPTION', () => {
    expect(catchError(() => new RecordSplitter({ targetChunkBytes: 0 }))).toMatchObject({ code: 'USAGE_INVALID_OPTION' });
    expect(catchError(() => new RecordSplitter({ targetChunkBytes: 1, quote: 0x2c }))).toMatchObject({ code: 'USAGE_INVALID_OPTION' });
  });

  it('agrees with a byte-at-a-time automaton on random CSV-like bytes', () => {
    const alphabet = fc.constantFrom('a', ',', '"', '""', '\n', '\r\n', '\r', 'é', ' ');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 80 }).map((parts) => encoder.encode(parts.join(''))),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 30 }),
        (input, pieceSize, target) => {
          if (recordEnds(input).openQuote) {
            expect(catchError(() => split(input, pieceSize, target))).toMatchObject({ code: 'CSV_UNCLOSED_QUOTE' });
            return;
          }
          const cut = splitChunks(input, pieceSize, target);
          const chunks = cut.map((c) => c.bytes);
          expect(concat(chunks)).toEqual(input);
          expect(chunks.map((c) => c.length)).toEqual(expectedLengths(input, target));
          expect(cut.map((c) => c.firstLine)).toEqual(expectedFirstLines(chunks));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

function catchError(run: () => unknown): PrescoreError | undefined {
  try {
    run();
  } catch (error) {
    return error as PrescoreError;
  }
  return undefined;
}
