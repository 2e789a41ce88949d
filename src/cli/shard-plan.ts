import type { RowShard } from '../scoring/index.js';
import type { StoredObject } from '../sources/index.js';
import type { ResolvedScoreOptions } from './score-options.js';
import type { ShardSpec } from './shard-option.js';
import { sharedRunId } from './shared-run-id.js';

/** How a shard takes its part of the table. */
export const SHARD_SPLITS = ['object', 'id'] as const;
export type ShardSplit = (typeof SHARD_SPLITS)[number];

/** The objects a process reads, and the rows of them it scores. */
export interface ShardPart {
  readonly objects: readonly StoredObject[];
  /** Set when the shard scores only the rows whose id hashes to it. */
  readonly rowShard: RowShard | undefined;
  readonly split: ShardSplit | undefined;
}

/**
 * This shard's part of the listed objects. With at least as many objects as
 * shards, whole objects: those whose position in the name-sorted list is the
 * index mod the count, so no byte is read twice. With fewer (one big file),
 * every shard reads everything and scores the rows whose entity id hashes to
 * it (row-shard.ts). Without a shard, everything. Pure.
 */
export function shardPart(listed: readonly StoredObject[], shard: ShardSpec | undefined): ShardPart {
  if (shard === undefined) return { objects: listed, rowShard: undefined, split: undefined };
  if (listed.length < shard.count) return { objects: listed, rowShard: shard, split: 'id' };
  const sorted = [...listed].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  return { objects: sorted.filter((_, i) => i % shard.count === shard.index), rowShard: undefined, split: 'object' };
}

/** Options that may differ between the processes of one run: where they run and how fast, not what they publish. */
const PER_PROCESS_OPTIONS: ReadonlySet<string> = new Set(['shard', 'runId', 'output', 'workers', 'cacheDir', 'gcsEndpoint', 'chunkBytes', 'batchRows', 'metricsFile', 'rejectsFile']);

/**
 * The run id the shards of a sharded run share (`--run-id` wins): derived
 * from the model's sha256, every listed object with its version, every
 * option but the per-process ones (the shard count included, the index not),
 * and the engine's execution name when `CLOUD_RUN_EXECUTION` gives one.
 */
export function shardRunId(options: ResolvedScoreOptions & { readonly shard: ShardSpec }, modelSha256: string, listed: readonly StoredObject[]): string {
  const config = Object.fromEntries(Object.entries(options).filter(([key]) => !PER_PROCESS_OPTIONS.has(key)));
  return sharedRunId({ modelSha256, objects: listed, config: { ...config, shards: options.shard.count }, execution: options.shard.execution });
}
