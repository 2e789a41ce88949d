/** Room past a chunk's target for the record that ends it, so that nearly every chunk fits any buffer handed back. */
const RECORD_ROOM = 64 << 10;

/**
 * The buffers chunks are cut into, used again once a worker has scored a chunk and handed its buffer
 * back. Without them every chunk was a fresh ~1 MiB allocation, garbage in a worker until that
 * thread's next full collection: on a 10M-row run the dead buffers kept the peak climbing for the
 * first ~1,000 chunks (BENCHMARKS.md, "Memory"). With them a run allocates about `keep` buffers in
 * all, whatever the table's size.
 */
export class ChunkBuffers {
  private readonly free: ArrayBuffer[] = [];

  /** Buffers for chunks of `targetBytes`, with 64 KiB of room past it for the record that ends each. */
  static forChunks(targetBytes: number, keep: number): ChunkBuffers {
    return new ChunkBuffers(targetBytes + RECORD_ROOM, keep);
  }

  /**
   * @param size bytes of a new buffer: a chunk's target plus room for the record that ends it, so that
   *   almost every chunk fits any buffer handed back.
   * @param keep most buffers held for reuse: the chunks that can be in flight, plus the one being cut.
   */
  constructor(
    private readonly size: number,
    private readonly keep: number,
  ) {}

  /** `length` bytes over a buffer nothing else refers to, so the whole buffer can be transferred. */
  take(length: number): Uint8Array {
    const at = this.free.findIndex((buffer) => buffer.byteLength >= length);
    const buffer = at === -1 ? new ArrayBuffer(Math.max(length, this.size)) : this.free.splice(at, 1)[0]!;
    return new Uint8Array(buffer, 0, length);
  }

  /** Hands back a chunk's buffer that nothing refers to any more. */
  give(buffer: ArrayBuffer): void {
    if (this.free.length < this.keep) this.free.push(buffer);
  }
}
