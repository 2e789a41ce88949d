import type { ParsedChunk } from './column-parser.js';

/** The part of every chunk one shard scores, when shards split a table by entity id rather than by object. */
export interface RowShard {
  /** 0-based. */
  readonly index: number;
  /** At least 2. */
  readonly count: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * The shard an entity id belongs to: 32-bit FNV-1a over the id's UTF-8 bytes,
 * mod `count`. Stable across processes, machines and versions (a published
 * function: `fnv1a32(utf8(id)) % count` gives the same in any language), and
 * every row of one id lands in one shard, so a repeated id is still caught.
 */
export function shardOfId(id: string, count: number): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    // Ids are nearly always ASCII: hash UTF-16 units directly, and fall back to real UTF-8 bytes otherwise.
    if (code >= 0x80) return fnv1aBytes(Buffer.from(id, 'utf8'), count);
    hash = Math.imul(hash ^ code, FNV_PRIME);
  }
  return (hash >>> 0) % count;
}

function fnv1aBytes(bytes: Uint8Array, count: number): number {
  let hash = FNV_OFFSET;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, FNV_PRIME);
  return (hash >>> 0) % count;
}

/**
 * The rows of a parsed chunk that belong to `shard` (all of them when there is
 * no shard): kept rows by `shardOfId`, rejected rows (whose id may be unreadable)
 * by their line number mod `count`. `rowsRead` counts only this shard's rows, so
 * the shards' counts add up to the table's. Pure.
 */
export function takeShard(parsed: ParsedChunk, shard: RowShard | undefined): ParsedChunk {
  if (shard === undefined) return parsed;
  const mine: number[] = [];
  for (let r = 0; r < parsed.rows; r++) if (shardOfId(parsed.ids[r]!, shard.count) === shard.index) mine.push(r);
  const rejects = parsed.rejects.filter((reject) => reject.line % shard.count === shard.index);
  return {
    rowsRead: mine.length + rejects.length,
    rows: mine.length,
    ids: mine.map((r) => parsed.ids[r]!),
    lines: Uint32Array.from(mine, (r) => parsed.lines[r]!),
    numeric: parsed.numeric.map((column) => Float64Array.from(mine, (r) => column[r]!)),
    text: parsed.text.map((column) => mine.map((r) => column[r]!)),
    rejects,
  };
}
