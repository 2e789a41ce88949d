import { describe, expect, it } from 'vitest';

import { ChunkBuffers } from '../../src/chunking/index.js';

describe('ChunkBuffers', () => {
  it('hands out views over new buffers of at least its size, and reuses the buffers given back', () => {
    const buffers = new ChunkBuffers(100, 2);
    const first = buffers.take(60);
    expect(first.byteLength).toBe(60);
    expect(first.byteOffset).toBe(0);
    expect(first.buffer.byteLength).toBe(100);
    buffers.give(first.buffer as ArrayBuffer);
    const again = buffers.take(90);
    expect(again.buffer).toBe(first.buffer);
    expect(again.byteLength).toBe(90);
  });

  it('allocates a chunk larger than its size exactly, and skips buffers too small for a chunk', () => {
    const buffers = new ChunkBuffers(100, 4);
    const small = buffers.take(10);
    const large = buffers.take(250);
    expect(large.buffer.byteLength).toBe(250);
    buffers.give(small.buffer as ArrayBuffer);
    buffers.give(large.buffer as ArrayBuffer);
    expect(buffers.take(200).buffer).toBe(large.buffer);
    expect(buffers.take(100).buffer).toBe(small.buffer);
  });

  it('keeps at most `keep` buffers', () => {
    const buffers = new ChunkBuffers(8, 1);
    const a = buffers.take(8);
    const b = buffers.take(8);
    buffers.give(a.buffer as ArrayBuffer);
    buffers.give(b.buffer as ArrayBuffer);
    expect(buffers.take(8).buffer).toBe(a.buffer);
    expect(buffers.take(8).buffer).not.toBe(b.buffer);
  });
});
