import type { Chunk } from '../chunking/index.js';
import type { ScoringSession } from '../model/index.js';
import { parseChunk, type ParsedChunk } from './column-parser.js';
import { featureStats } from './feature-stats.js';
import { OutputColumns } from './output-columns.js';
import { preflightParsed } from './preflight.js';
import { checkRows } from './row-checks.js';
import { takeShard } from './row-shard.js';
import { buildFeeds, type ColumnStore } from './tensor-feeds.js';
import type { ScoredChunk, WorkerSetup } from './worker-protocol.js';

/**
 * Parses one chunk into typed columns, drops the rows the model cannot take,
 * and scores the rest in batches of `setup.batchRows` (exactly the model's
 * fixed batch size when it has one, the last batch padded). Runs in a worker;
 * `--dry-run` calls it on the main thread for the first rows. `preflight`
 * (the table's first chunk) checks the chunk against the mapping before any
 * of its rows is scored (preflight.ts).
 */
export async function scoreChunk(session: ScoringSession, setup: WorkerSetup, chunk: Chunk, preflight = false): Promise<ScoredChunk> {
  const started = performance.now();
  const all = parseChunk(chunk, setup.parse);
  if (preflight) preflightParsed(setup, chunk, all);
  const parsed = takeShard(all, setup.rowShard);
  const full = storeOf(parsed, setup);
  const check = checkRows(setup.inputs, full, { source: chunk.source, header: setup.parse.header, lines: parsed.lines, rows: parsed.rows, naValues: setup.parse.naValues });
  const kept = check.kept;
  const store = kept ? select(check.store, kept) : check.store;
  const ids = kept ? Array.from(kept, (r) => parsed.ids[r]!) : parsed.ids;
  const lines = kept ? Uint32Array.from(kept, (r) => parsed.lines[r]!) : parsed.lines;
  const rows = ids.length;

  const parsedAt = performance.now();
  const collector = new OutputColumns(setup.outputs, rows);
  const fetches = OutputColumns.fetches(setup.outputs);
  const fixed = setup.inputs.fixedBatch;
  const step = fixed ?? setup.batchRows;
  for (let start = 0; start < rows; start += step) {
    const count = Math.min(step, rows - start);
    const results = await session.run(buildFeeds(setup.inputs, store, start, count, fixed ?? count), fetches);
    collector.add(results, start, count);
  }
  return {
    chunkIndex: chunk.index,
    source: chunk.source,
    rowsRead: parsed.rowsRead,
    ids,
    lines,
    columns: collector.result(),
    rejects: [...parsed.rejects, ...check.rejects],
    timings: { parseMs: parsedAt - started, inferMs: performance.now() - parsedAt },
    featureStats: featureStats(full, setup.parse.header),
  };
}

/** A parsed chunk's columns keyed by header index, as the feeds and row checks take them. */
export function storeOf(parsed: ParsedChunk, setup: Pick<WorkerSetup, 'parse'>): ColumnStore {
  const numeric = new Map<number, Float64Array>();
  setup.parse.numeric.forEach((index, k) => numeric.set(index, parsed.numeric[k]!));
  const text = new Map<number, readonly string[]>();
  setup.parse.text.forEach((index, k) => text.set(index, parsed.text[k]!));
  return { numeric, text };
}

function select(store: ColumnStore, kept: Int32Array): ColumnStore {
  const numeric = new Map<number, Float64Array>();
  for (const [index, column] of store.numeric) numeric.set(index, Float64Array.from(kept, (r) => column[r]!));
  const text = new Map<number, readonly string[]>();
  for (const [index, column] of store.text) text.set(index, Array.from(kept, (r) => column[r]!));
  return { numeric, text };
}
