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
  /** The only view of its ArrayBuffer (which may be longer): submitting the chunk transfers the whole buffer. */
  readonly bytes: Uint8Array;
}

