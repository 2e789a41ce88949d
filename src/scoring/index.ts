export { WorkerPool } from './worker-pool.js';
export { scoreChunk } from './chunk-scorer.js';
export type { ScoredChunk, WorkerSetup } from './worker-protocol.js';
export type { ParseSpec, RejectedRow } from './column-parser.js';
