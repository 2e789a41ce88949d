import { expect, it } from 'vitest';
import type { RejectedRow } from '../../src/errors/index.js';
import { MAX_REJECTS_KEPT, REJECTS_KEPT_RUNS } from '../../src/sinks/index.js';
import { runStart, totalsFor } from './run-fixtures.js';
import { describeEachSink, sinkTargets } from './sink-targets.js';

function reject(line: number, value = 'x'): RejectedRow {
  return { source: 'file:///in.csv', line, column: 'age', columnIndex: 1, value, code: 'CSV_NOT_A_NUMBER', reason: 'not a number' };
}

describeEachSink(await sinkTargets(), 'rejects table', (target, sink) => {
  const rejectsOf = (table: string, runId: string) =>
    target.query<Record<string, unknown>>(
      'SELECT seq, source, line, column_name, column_number, value, code, reason FROM prescore_rejects WHERE table_name = ? AND run_id = ? ORDER BY seq',
      [table, runId],
    );

  it('records rejects beside the scores, numbered in input order, and keeps them when the run is aborted', async () => {
    const writer = await sink().begin(runStart('rj', 'r1'));
    await writer.write({ ids: ['a'], columns: [new Float64Array([1])], rejects: [reject(3, 'tab\there'), reject(5, 'nul\u0000byte')] });
    await writer.write({ ids: [], columns: [new Float64Array(0)], rejects: [reject(9)] });
    await writer.abort('too many rejects', { ...totalsFor(1), rowsRead: 4, rowsRejected: 3 });
    const rows = await rejectsOf('rj', 'r1');
    expect(rows.map((r) => ({ ...r, seq: Number(r.seq), line: Number(r.line), column_number: Number(r.column_number) }))).toEqual([
      { seq: 0, source: 'file:///in.csv', line: 3, column_name: 'age', column_number: 2, value: 'tab\there', code: 'CSV_NOT_A_NUMBER', reason: 'not a number' },
      { seq: 1, source: 'file:///in.csv', line: 5, column_name: 'age', column_number: 2, value: 'nul\u2400byte', code: 'CSV_NOT_A_NUMBER', reason: 'not a number' },
      { seq: 2, source: 'file:///in.csv', line: 9, column_name: 'age', column_number: 2, value: 'x', code: 'CSV_NOT_A_NUMBER', reason: 'not a number' },
    ]);
    expect((await sink().runs('rj'))[0]).toMatchObject({ status: 'failed', rowsRejected: 3 });
  });

  it(`keeps the first ${MAX_REJECTS_KEPT} rejects of a run`, async () => {
    const writer = await sink().begin(runStart('rjmax', 'm1'));
    const many = Array.from({ length: MAX_REJECTS_KEPT - 2 }, (_, i) => reject(i + 2));
    await writer.write({ ids: [], columns: [new Float64Array(0)], rejects: many });
    await writer.write({ ids: [], columns: [new Float64Array(0)], rejects: [reject(1e6), reject(1e6 + 1), reject(1e6 + 2)] });
    await writer.publish({ ...totalsFor(0), rowsRejected: MAX_REJECTS_KEPT + 1 });
    const last = await target.query<{ n: number; top: number }>('SELECT COUNT(*) AS n, MAX(line) AS top FROM prescore_rejects WHERE run_id = ?', ['m1']);
    expect(last.map((r) => [Number(r.n), Number(r.top)])).toEqual([[MAX_REJECTS_KEPT, 1e6 + 1]]);
  });

  it(`keeps the rejects of the newest ${REJECTS_KEPT_RUNS} runs of a table, and a reused failed run id starts afresh`, async () => {
    for (let i = 0; i <= REJECTS_KEPT_RUNS; i++) {
      const writer = await sink().begin(runStart('rjkeep', `k${i}`));
      await writer.write({ ids: [`e${i}`], columns: [new Float64Array([1])], rejects: [reject(2)] });
      await writer.publish(totalsFor(1));
    }
    const runs = await target.query<{ run_id: string }>('SELECT DISTINCT run_id FROM prescore_rejects WHERE table_name = ? ORDER BY run_id', ['rjkeep']);
    expect(runs.map((r) => r.run_id)).not.toContain('k0');
    expect(runs).toHaveLength(REJECTS_KEPT_RUNS);

    const failed = await sink().begin(runStart('rjre', 'again'));
    await failed.write({ ids: [], columns: [new Float64Array(0)], rejects: [reject(2), reject(3)] });
    await failed.abort('stopped');
    const retry = await sink().begin(runStart('rjre', 'again'));
    await retry.write({ ids: ['a'], columns: [new Float64Array([1])], rejects: [reject(7)] });
    await retry.publish(totalsFor(1));
    expect((await rejectsOf('rjre', 'again')).map((r) => Number(r.line))).toEqual([7]);
  });
});
