import { createScoringSession } from '../model/index.js';
import type { RejectedRow } from '../errors/index.js';
import { scoreChunk } from '../scoring/index.js';
import type { JobContext } from './job-context.js';
import { loadModel, openTable, workerSetup } from './job-inputs.js';
import type { ResolvedScoreOptions } from './score-options.js';

/** Rows a dry run scores and prints. */
export const DRY_RUN_ROWS = 100;

/** What a dry run found: the mapping, the first scored rows, their rejects. Nothing is written. */
export interface DryRunResult {
  readonly inputs: readonly string[];
  readonly unusedColumns: readonly string[];
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
  readonly rejects: readonly RejectedRow[];
}

/**
 * Checks the model against the table's header, then scores the first rows on
 * this thread (one small chunk does not need the pool) and returns them.
 * Touches no database. Throws what a real run would throw for the same rows.
 */
export async function dryRun(options: ResolvedScoreOptions, context: JobContext): Promise<DryRunResult> {
  const model = await loadModel(options, context);
  const table = await openTable({ ...options, chunkBytes: Math.min(options.chunkBytes, 256 << 10) }, context);
  const setup = workerSetup(options, model, table.header);
  const session = await createScoringSession(setup.modelBytes, options.model);
  try {
    const iterator = table.first.chunks[Symbol.asyncIterator]();
    const first = await iterator.next();
    await iterator.return?.(undefined);
    const scored = first.done ? undefined : await scoreChunk(session, setup, first.value, true);
    const count = Math.min(DRY_RUN_ROWS, scored?.ids.length ?? 0);
    const rows: (string | number)[][] = [];
    for (let r = 0; r < count; r++) rows.push([scored!.ids[r]!, ...scored!.columns.map((c) => valueAt(c, r))]);
    return {
      inputs: setup.inputs.bindings.map((b) => `${b.input} (${b.dtype}) <- ${b.columns.join(', ')}`),
      unusedColumns: setup.inputs.unusedColumns,
      columns: ['entity_id', ...setup.outputs.map((o) => o.column)],
      rows,
      rejects: scored?.rejects ?? [],
    };
  } finally {
    await session.release();
  }
}

function valueAt(column: ArrayLike<unknown>, row: number): string | number {
  const value = column[row];
  return typeof value === 'number' ? value : String(value);
}
