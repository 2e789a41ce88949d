export { WorkerPool } from './worker-pool.js';
export { scoreChunk } from './chunk-scorer.js';
export { keptRows } from './kept-rows.js';
export { threadCpuMs } from './thread-cpu.js';
export type { ScoredChunk, WorkerSetup } from './worker-protocol.js';
export type { ParseSpec } from './column-parser.js';
export { KEPT_CATEGORIES, featureStats, mergeFeatureStats } from './feature-stats.js';
export type { FeatureStats, NumericFeatureStats, TextFeatureStats } from './feature-stats.js';
export type { RowShard } from './row-shard.js';
