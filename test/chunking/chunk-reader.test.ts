import { describe, expect, it } from 'vitest';
import { countLines, readChunks, type Chunk, type ReadChunksOptions } from '../../src/chunking/index.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function* pieces(text: string | Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === 'string' ? encoder.encode(text) : text;
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
}

async function read(text: string, size: number, options: Partial<ReadChunksOptions> = {}) {
  const csv = await readChunks(pieces(text, size), { source: 'in.csv', ...options });
  const chunks: Chunk[] = [];
  for await (const chunk of csv.chunks) chunks.push(chunk);
  return { header: csv.header, chunks };
}

/** The first line of every record in the chunks, by the chunks' own line numbers. */
function recordLines(chunks: readonly Chunk[]): Record<string, number> {
  const lines: Record<string, number> = {};
  for (const chunk of chunks) {
    const text = decoder.decode(chunk.bytes);
    for (const match of text.matchAll(/^r\d+/gm)) {
      lines[match[0]] = chunk.firstLine + countLines(encoder.encode(text.slice(0, match.index)));
    }
  }
  return lines;
}

const TEXT = ['id,note', 'r1,"a\nb"', 'r2,x', '', 'r3,"c\r\nd"', 'r4,y'].join('\r\n') + '\r\n';

describe('readChunks', () => {
  it('reads the header, then whole records with their physical line numbers', async () => {
    for (const size of [1, 2, 3, 7, 64, 1000]) {
      for (const targetChunkBytes of [1, 5, 20, 1000]) {
        const { header, chunks } = await read(TEXT, size, { targetChunkBytes });
        expect(header).toEqual(['id', 'note']);
        expect(decoder.decode(Buffer.concat(chunks.map((c) => c.bytes)))).toBe(TEXT.slice('id,note\r\n'.length));
        expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
        expect(chunks[0]?.firstLine).toBe(2);
        expect(recordLines(chunks)).toEqual({ r1: 2, r2: 4, r3: 6, r4: 8 });
        for (const chunk of chunks.slice(0, -1)) expect(chunk.bytes.at(-1)).toBe(0x0a);
      }
    }
  });

  it('skips a BOM and blank lines before the header, counting them', async () => {
    for (const size of [1, 2, 4, 100]) {
      const { header, chunks } = await read('\ufeff\n\r\n\nid,x\nr1,1\n', size);
      expect(header).toEqual(['id', 'x']);
      expect(chunks[0]?.firstLine).toBe(5);
    }
  });

  it('reads a quoted header that spans lines', async () => {
    const { header, chunks } = await read('"i\nd",x\nr1,1\n', 3);
    expect(header).toEqual(['i\nd', 'x']);
    expect(chunks[0]?.firstLine).toBe(3);
  });

  it('yields nothing for a header-only input, with or without a final newline', async () => {
    expect((await read('id,x\n', 2)).chunks).toEqual([]);
    expect((await read('id,x', 2)).chunks).toEqual([]);
    expect((await read('id,x\r\n\r\n', 2)).chunks.map((c) => decoder.decode(c.bytes))).toEqual(['\r\n']);
  });

  it('yields the last record without a final newline', async () => {
    const { chunks } = await read('id\nr1\nr2', 1, { targetChunkBytes: 1 });
    expect(chunks.map((c) => [decoder.decode(c.bytes), c.firstLine])).toEqual([
      ['r1\n', 2],
      ['r2', 3],
    ]);
  });

  it('cuts the data chunks, not the header record, into buffers from allocate, one each when it has room', async () => {
    const given = new Set<ArrayBufferLike>();
    const allocate = (length: number): Uint8Array => {
      const bytes = new Uint8Array(new ArrayBuffer(length + 7), 0, length);
      given.add(bytes.buffer);
      return bytes;
    };
    // Fed 3 bytes at a time: each data record starts in one piece and ends in another.
    const { header, chunks } = await read('id,x\nr1,1\nr2,2\n', 3, { targetChunkBytes: 1, allocate });
    expect(header).toEqual(['id', 'x']);
    expect(chunks.map((c) => decoder.decode(c.bytes))).toEqual(['r1,1\n', 'r2,2\n']);
    expect(given.size).toBe(2);
    expect(chunks.every((c) => given.has(c.bytes.buffer) && c.bytes.byteOffset === 0)).toBe(true);
  });

  it('hands out chunks that own their whole buffer (transferable)', async () => {
    const csv = await readChunks(pieces('id\nr1\nr2\nr3\n', 100), { source: 'in.csv', targetChunkBytes: 1 });
    for await (const chunk of csv.chunks) expect(chunk.bytes.byteLength).toBe(chunk.bytes.buffer.byteLength);
    // Streams from files and gunzip yield Buffers, whose `slice` is a view: those chunks must be copies too.
    async function* buffers(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('id\nr1\nr2\nr3\n');
    }
    const fromBuffers = await readChunks(buffers(), { source: 'in.csv', targetChunkBytes: 1 });
    for await (const chunk of fromBuffers.chunks) expect(chunk.bytes.byteLength).toBe(chunk.bytes.buffer.byteLength);
  });

  it('throws CSV_EMPTY for an input with no header', async () => {
    for (const text of ['', '\n\r\n', '\ufeff', '\r']) {
      await expect(readChunks(pieces(text, 1), { source: 'in.csv' }), JSON.stringify(text)).rejects.toMatchObject({ code: 'CSV_EMPTY', file: 'in.csv' });
    }
  });

  it('throws the header errors and CSV_UNCLOSED_QUOTE from the iteration', async () => {
    await expect(readChunks(pieces('id,id\n', 1), { source: 'in.csv' })).rejects.toMatchObject({ code: 'CSV_DUPLICATE_HEADER' });
    const csv = await readChunks(pieces('id,x\nr1,1\nr2,"open\n', 4), { source: 'in.csv', targetChunkBytes: 1 });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of csv.chunks) seen.push(decoder.decode(chunk.bytes));
      })(),
    ).rejects.toMatchObject({ code: 'CSV_UNCLOSED_QUOTE', file: 'in.csv', line: 3 });
    expect(seen).toEqual(['r1,1\n']);
  });

  it('releases the stream when the consumer stops early', async () => {
    let released = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (let i = 0; ; i++) yield encoder.encode(i === 0 ? 'id\n' : `r${i}\n`);
      } finally {
        released = true;
      }
    }
    const csv = await readChunks(source(), { source: 'in.csv', targetChunkBytes: 1 });
    for await (const chunk of csv.chunks) if (chunk.index === 2) break;
    expect(released).toBe(true);
  });
});
