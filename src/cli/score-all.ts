import type { Chunk } from '../chunking/index.js';
import { PrescoreError } from '../errors/index.js';
import type { RunTimer } from '../report/index.js';
import type { ScoredChunk, WorkerPool } from '../scoring/index.js';
import type { InputObject } from '../sinks/index.js';
import { openNext, type OpenedTable } from './job-inputs.js';
import type { JobContext } from './job-context.js';
import type { ResolvedScoreOptions } from './score-options.js';

/**
 * Feeds every chunk of every object to the pool, keeping at most
 * `pool.capacity` chunks in flight: the reader waits for the pool, so memory
 * stays flat whatever the input size.
 */
export async function scoreAll(
  table: OpenedTable,
  options: ResolvedScoreOptions,
  context: JobContext,
  pool: WorkerPool,
  onScored: (result: ScoredChunk) => Promise<void>,
  inputs: InputObject[],
  timer: RunTimer,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const totalBytes = table.objects.every((o) => o.size >= 0 && !isGzip(o.uri)) ? table.objects.reduce((n, o) => n + o.size, 0) : undefined;
  const startedAt = Date.now();
  let bytes = 0;
  let rows = 0;
  let failure: unknown;
  let delivered = Promise.resolve();
  const submit = async (chunk: Chunk, preflight: boolean): Promise<void> => {
    while (inFlight.size >= pool.capacity) await Promise.race(inFlight);
    if (failure !== undefined) throw failure;
    context.signal.throwIfAborted();
    bytes += chunk.bytes.byteLength;
    const previous = delivered;
    const task = pool
      .submit(chunk, preflight)
      // Results go on in input order (staging sees rows by line, for --on-duplicate); a chunk counts as
      // in flight until then, so the reorder buffer is bounded by the pool's capacity.
      .then(async (result) => {
        await previous;
        if (failure !== undefined) return;
        rows += result.rowsRead;
        await onScored(result);
        context.progress.update({ rows, bytes, totalBytes, elapsedMs: Date.now() - startedAt });
      })
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
    delivered = task;
  };
  try {
    for (let i = 0; i < table.objects.length; i++) {
      const object = table.objects[i]!;
      const current = i === 0 ? table.first : await openNext(table, object, options, context);
      const chunks = current.chunks[Symbol.asyncIterator]();
      for (;;) {
        const next = await timer.time('readMs', () => chunks.next());
        if (next.done === true) break;
        // The table's first chunk is checked against the mapping before any row is scored.
        await submit(next.value, i === 0 && next.value.index === 0);
      }
      inputs.push(current.result());
    }
  } catch (error) {
    failure ??= error;
  }
  // Even on failure: the caller aborts staging next, which must not interleave with a write still going.
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  // A shard may own no row (a small table split by id, empty parts): the run's total is checked when it completes.
  if (rows === 0 && !options.shard) {
    throw new PrescoreError('CSV_NO_ROWS', 'The table has a header but no rows', { file: table.objects[0]!.uri, hint: 'Check the export that produced it' });
  }
}

function isGzip(uri: string): boolean {
  return uri.endsWith('.gz');
}
