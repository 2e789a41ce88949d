import type { OutputColumn, RunStart, RunTotals, Sink, StagingWriter } from '../../src/sinks/index.js';

let clock = Date.UTC(2025, 0, 2, 3, 4, 5);

/** A RunStart with test defaults; each one starts a second after the previous, as real runs would. */
export function runStart(table: string, runId: string, overrides: Partial<RunStart> = {}): RunStart {
  return {
    runId,
    table,
    mode: 'replace',
    modelUri: 'file:///models/m.onnx',
    modelSha256: 'ab'.repeat(32),
    modelVersion: 'm1',
    inputs: [{ uri: 'file:///data/in.csv', size: 10 }],
    outputColumns: [{ name: 'score', type: 'real' }],
    startedAt: new Date((clock += 1000)).toISOString(),
    toolVersion: '0.1.0',
    ...overrides,
  };
}

/** Totals consistent with `rows` scored rows. */
export function totalsFor(rows: number): RunTotals {
  return { rowsRead: rows, rowsScored: rows, rowsRejected: 0, scoreMin: 0, scoreMean: 0.5, scoreMax: 1 };
}

/** ids `e0 … e(n-1)`. */
export function entityIds(n: number, prefix = 'e'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}`);
}

/** Begins, writes `ids` with `score` for each (one batch), publishes. */
export async function publishRun(sink: Sink, table: string, runId: string, ids: readonly string[], score = 1, overrides: Partial<RunStart> = {}): Promise<void> {
  const writer = await sink.begin(runStart(table, runId, overrides));
  await writeScores(writer, ids, score);
  await writer.publish(totalsFor(ids.length));
}

/** Writes one batch of a single `score` column. */
export async function writeScores(writer: StagingWriter, ids: readonly string[], score: number): Promise<void> {
  await writer.write({ ids, columns: [new Float64Array(ids.length).fill(score)] });
}

/** Output columns with an integer and a text column after the score. */
export const EXTRA_COLUMNS: readonly OutputColumn[] = [
  { name: 'score', type: 'real' },
  { name: 'label', type: 'integer' },
  { name: 'segment', type: 'text' },
];
