import type { Chunk } from '../chunking/index.js';
import { storeOf } from './chunk-scorer.js';
import { parseChunk } from './column-parser.js';
import { checkRows } from './row-checks.js';
import type { WorkerSetup } from './worker-protocol.js';

/**
 * The ids and first lines of the rows of `chunk` that a run scores — those
 * neither the parser nor the model's input types reject — without running the
 * model: how the main thread finds where a repeated id first occurred. Pure;
 * throws what `parseChunk` throws.
 */
export function keptRows(chunk: Chunk, setup: Pick<WorkerSetup, 'parse' | 'inputs'>): { readonly ids: readonly string[]; readonly lines: Uint32Array } {
  const parsed = parseChunk(chunk, setup.parse);
  const { kept } = checkRows(setup.inputs, storeOf(parsed, setup), { source: chunk.source, header: setup.parse.header, lines: parsed.lines, rows: parsed.rows, naValues: setup.parse.naValues });
  if (kept === undefined) return { ids: parsed.ids, lines: parsed.lines };
  return { ids: Array.from(kept, (r) => parsed.ids[r]!), lines: Uint32Array.from(kept, (r) => parsed.lines[r]!) };
}
