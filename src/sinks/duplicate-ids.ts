import { PrescoreError } from '../errors/index.js';
import type { DuplicatePolicy } from './sink.js';
import { isDuplicateKey } from './sink-failure.js';
import type { RowBlock, SqlSession, SqlValue } from './sql-session.js';

/** Ids per `IN (…)` statement: far under every dialect's limit on parameters. */
const IDS_PER_STATEMENT = 500;

/**
 * The rows of a batch to write to staging under `policy`; runs inside the
 * write's transaction. The staging primary key is the index of every id seen
 * so far, so memory is the batch's whatever the run's size, and batches come
 * in input order, so first and last mean line order.
 *
 * - `error`: the batch as it is; the primary key refuses a repeat and
 *   `duplicateIdError` names it.
 * - `first`: drops the ids staging holds already, and the later repeats of an
 *   id within the batch.
 * - `last`: deletes from staging the ids the batch holds, and keeps the last
 *   repeat of an id within the batch.
 *
 * Throws SINK_FAILED.
 */
export async function rowsToWrite(session: SqlSession, staging: string, policy: DuplicatePolicy, ids: readonly string[], block: RowBlock): Promise<RowBlock> {
  if (policy === 'error') return block;
  let earlier = new Set<string>();
  if (policy === 'first') earlier = await existingIds(session, staging, ids);
  else await eachPiece(ids, (piece, marks) => session.run(`DELETE FROM ${session.dialect.table(staging)} WHERE entity_id IN (${marks})`, piece));
  const kept = keptRows(ids, policy, earlier);
  return kept === undefined ? block : selectRows(block, kept);
}

/**
 * Turns a write's duplicate-key failure into CSV_DUPLICATE_ID naming the
 * batch's first repeated id (`value`), whether its earlier occurrence is in
 * staging or in the batch; any other error is returned as it is. Call it after
 * the write's transaction rolled back. Throws SINK_FAILED.
 */
export async function duplicateIdError(session: SqlSession, staging: string, ids: readonly string[], error: unknown): Promise<unknown> {
  if (!isDuplicateKey(error)) return error;
  const earlier = await existingIds(session, staging, ids);
  const seen = new Set<string>();
  for (const id of ids) {
    if (earlier.has(id) || seen.has(id)) {
      return new PrescoreError('CSV_DUPLICATE_ID', 'An entity id appears more than once in this run', {
        value: id,
        hint: 'Remove the repeated rows, or pass --on-duplicate first|last to keep one of them',
        cause: error,
      });
    }
    seen.add(id);
  }
  return error;
}

/** The ids of `ids` that staging holds. */
async function existingIds(session: SqlSession, staging: string, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  await eachPiece(ids, async (piece, marks) => {
    const rows = await session.all<{ entity_id: string }>(`SELECT entity_id FROM ${session.dialect.table(staging)} WHERE entity_id IN (${marks})`, piece);
    for (const row of rows) found.add(row.entity_id);
  });
  return found;
}

async function eachPiece(ids: readonly string[], work: (piece: readonly SqlValue[], marks: string) => Promise<unknown>): Promise<void> {
  for (let at = 0; at < ids.length; at += IDS_PER_STATEMENT) {
    const piece = ids.slice(at, at + IDS_PER_STATEMENT);
    await work(piece, piece.map(() => '?').join(', '));
  }
}

/** Positions of the rows to keep, in order; undefined when every row is kept. Ids in `skip` are dropped. */
export function keptRows(ids: readonly string[], policy: 'first' | 'last', skip: ReadonlySet<string>): Int32Array | undefined {
  const at = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (skip.has(id)) continue;
    if (policy === 'last' || !at.has(id)) at.set(id, i);
  }
  if (at.size === ids.length) return undefined;
  return Int32Array.from(at.values()).sort();
}

function selectRows(block: RowBlock, kept: Int32Array): RowBlock {
  return {
    rowCount: kept.length,
    columns: block.columns.map((column) => ('constant' in column ? column : { values: Array.from(kept, (i) => column.values[i] ?? null) })),
  };
}
