/**
 * The chunking stage: a CSV byte stream in, its header and record-aligned
 * chunks out, with physical line numbers for error positions.
 */
export { ChunkBuffers } from './chunk-buffers.js';
export type { Chunk } from './chunk.js';
export { DEFAULT_TARGET_CHUNK_BYTES, readChunks } from './chunk-reader.js';
export type { ChunkedCsv, ReadChunksOptions } from './chunk-reader.js';
export { asBuffer, countLines } from './count-lines.js';
export { parseHeader } from './csv-header.js';
export type { HeaderOptions } from './csv-header.js';
export { RecordSplitter } from './record-splitter.js';
export type { RecordSplitterOptions } from './record-splitter.js';
