import { readChunks } from '../chunking/index.js';
import { PrescoreError } from '../errors/index.js';
import { keptRows, type ScoredChunk, type WorkerSetup } from '../scoring/index.js';
import { openObject, type SourceOptions, type StoredObject } from '../sources/index.js';

/** Where a row starts: its object's URI and 1-based line. */
export interface RowPosition {
  readonly source: string;
  readonly line: number;
}

/** What reading the input again needs: the objects in run order, how they were chunked and parsed. */
export interface Rescan {
  readonly objects: readonly StoredObject[];
  readonly sources: SourceOptions;
  readonly delimiter: number;
  readonly chunkBytes: number;
  readonly setup: Pick<WorkerSetup, 'parse' | 'inputs'>;
}

/**
 * Turns the sink's CSV_DUPLICATE_ID for `chunk`'s batch (its `value` is the
 * id) into the error a person needs: the id and both lines. A repeat within
 * the chunk has both lines at hand; otherwise the input is read again up to
 * the repeat to find the first occurrence — only this error path pays for it,
 * and no set of all ids is ever held. Returns `error` itself when the chunk
 * does not hold its id. Throws what reading the input throws.
 */
export async function duplicateIdError(error: PrescoreError, chunk: Pick<ScoredChunk, 'source' | 'ids' | 'lines'>, rescan: Rescan): Promise<PrescoreError> {
  const id = error.value;
  const at: number[] = [];
  chunk.ids.forEach((value, i) => value === id && at.length < 2 && at.push(i));
  if (id === undefined || at.length === 0) return error;
  const second: RowPosition = { source: chunk.source, line: chunk.lines[at.length === 2 ? at[1]! : at[0]!]! };
  const first = at.length === 2 ? { source: chunk.source, line: chunk.lines[at[0]!]! } : await firstOccurrence(id, second, rescan);
  const where = first === undefined ? 'an earlier row' : first.source === second.source ? `line ${first.line}` : `${first.source}:${first.line}`;
  const { header, idColumn } = rescan.setup.parse;
  return new PrescoreError('CSV_DUPLICATE_ID', `Entity id ${JSON.stringify(id)} (column "${header[idColumn]}") appears twice: first at ${where}, again at line ${second.line}`, {
    file: second.source,
    line: second.line,
    column: idColumn + 1,
    value: id,
    hint: 'Remove the repeated rows, or pass --on-duplicate first|last to keep one occurrence by line order',
    cause: error,
  });
}

/** The first scored row with `id` before `before`, reading the objects again in run order. */
async function firstOccurrence(id: string, before: RowPosition, rescan: Rescan): Promise<RowPosition | undefined> {
  for (const object of rescan.objects) {
    const read = openObject(object, rescan.sources);
    const { chunks } = await readChunks(read.bytes, { source: object.uri, delimiter: rescan.delimiter, targetChunkBytes: rescan.chunkBytes });
    for await (const chunk of chunks) {
      const { ids, lines } = keptRows(chunk, rescan.setup);
      for (let i = 0; i < ids.length; i++) {
        if (object.uri === before.source && lines[i]! >= before.line) return undefined;
        if (ids[i] === id) return { source: object.uri, line: lines[i]! };
      }
    }
    if (object.uri === before.source) return undefined;
  }
  return undefined;
}
