const LF = 0x0a;

/**
 * Counts line feeds (0x0A) in `bytes[start, end)`: the number of physical
 * lines a run of bytes advances by. A CR is not a line break on its own: RFC
 * 4180 terminators are CRLF, and a CRLF ends at its LF.
 */
export function countLines(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const view = asBuffer(bytes).subarray(start, end);
  let count = 0;
  for (let at = view.indexOf(LF); at !== -1; at = view.indexOf(LF, at + 1)) count++;
  return count;
}

/**
 * A Buffer view of the same bytes (no copy), for its `indexOf`: Node runs it at
 * memchr speed, several times faster than `Uint8Array.prototype.indexOf`
 * (measured ~18 vs ~2.7 GB/s on Node 20).
 */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
