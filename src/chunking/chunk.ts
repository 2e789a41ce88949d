/**
 * A run of whole CSV records cut from a source's byte stream: it always ends
 * right after a record terminator (or at end of input), never inside a quoted
 * field. Plain data: the bytes are transferred to a worker as they are.
 */
export interface Chunk {
  /** 0-based position of the chunk in its source. */
  readonly index: number;
  /** The source's display name (path or URI), for error positions. */
  readonly source: string;
  /** 1-based physical line number of the first byte of `bytes` in the source. */
  readonly firstLine: number;
  readonly bytes: Uint8Array;
}

/**
 * `bytes` itself when it spans its whole ArrayBuffer (so the buffer can be
 * transferred to a worker without detaching neighbours), else a copy that does.
 * `new Uint8Array(view)` copies; `Buffer#slice` would not (it is `subarray` for Buffers).
 */
export function ownedBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}
