import { expect, it } from 'vitest';
import { keptRows } from '../../src/sinks/duplicate-ids.js';
import { runStart, totalsFor } from './run-fixtures.js';
import { describeEachSink, sinkTargets } from './sink-targets.js';

it('keptRows keeps the first or the last of each id in order, skipping ids already written', () => {
  expect(keptRows(['a', 'b', 'c'], 'first', new Set())).toBeUndefined();
  expect([...keptRows(['a', 'b', 'a', 'c', 'b'], 'first', new Set())!]).toEqual([0, 1, 3]);
  expect([...keptRows(['a', 'b', 'a', 'c', 'b'], 'last', new Set())!]).toEqual([2, 3, 4]);
  expect([...keptRows(['a', 'b', 'c'], 'first', new Set(['b']))!]).toEqual([0, 2]);
});

describeEachSink(await sinkTargets(), 'duplicate entity ids', (target, sink) => {
  const scores = (table: string) =>
    target.query<{ entity_id: string; score: number }>(`SELECT entity_id, score FROM "${table}" ORDER BY entity_id`).then((rows) => rows.map((r) => [r.entity_id, r.score]));
  const batch = (ids: string[], scores: number[]) => ({ ids, columns: [Float64Array.from(scores)] });

  it('by default refuses a repeated id, within a batch or across batches, naming it and writing none of that batch', async () => {
    const writer = await sink().begin(runStart('dupe', 'd1'));
    await writer.write(batch(['a', 'b'], [1, 2]));
    await expect(writer.write(batch(['c', 'd', 'c'], [3, 4, 5]))).rejects.toMatchObject({ code: 'CSV_DUPLICATE_ID', exitCode: 3, value: 'c' });
    await expect(writer.write(batch(['e', 'f', 'f', 'b'], [3, 4, 5, 6]))).rejects.toMatchObject({ code: 'CSV_DUPLICATE_ID', value: 'f' });
    await expect(writer.write(batch(['g', 'b', 'g'], [3, 4, 5]))).rejects.toMatchObject({ code: 'CSV_DUPLICATE_ID', value: 'b' });
    await writer.write(batch(['z'], [9]));
    await writer.publish(totalsFor(3));
    expect(await scores('dupe')).toEqual([
      ['a', 1],
      ['b', 2],
      ['z', 9],
    ]);
  });

  for (const [policy, expected] of [
    [
      'first',
      [
        ['a', 1],
        ['b', 2],
        ['c', 3],
        ['d', 4],
      ],
    ],
    [
      'last',
      [
        ['a', 7],
        ['b', 6],
        ['c', 5],
        ['d', 4],
      ],
    ],
  ] as const) {
    it(`--on-duplicate ${policy} keeps the ${policy} occurrence in write order`, async () => {
      const table = `dupe_${policy}`;
      const writer = await sink().begin(runStart(table, 'p1', { onDuplicate: policy }));
      await writer.write(batch(['a', 'b', 'a'], [1, 2, 0]));
      await writer.write(batch(['c', 'b', 'd', 'c'], [3, 6, 4, 5]));
      await writer.write(batch(['a'], [7]));
      await writer.publish(totalsFor(4));
      expect(await scores(table)).toEqual(expected);
    });
  }
});
