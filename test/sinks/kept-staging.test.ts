import { expect, it } from 'vitest';
import { entityIds, publishRun, runStart, totalsFor, writeScores } from './run-fixtures.js';
import { describeEachSink, sinkTargets } from './sink-targets.js';

describeEachSink(await sinkTargets(), 'staging kept for inspection', (target, sink) => {
  /** Begins a run, writes `n` rows and aborts it keeping (or not) its staging. */
  const refuse = async (table: string, runId: string, n: number, keepStaging = true): Promise<void> => {
    const writer = await sink().begin(runStart(table, runId));
    await writeScores(writer, entityIds(n), 0.5);
    await writer.abort('a gate failed', totalsFor(n), { gates: 'x' }, { keepStaging });
  };
  const kept = async (table: string) => Object.fromEntries((await sink().runs(table)).filter((r) => r.keptStaging).map((r) => [r.runId, r.keptStaging]));

  it('keeps a refused run’s rows readable in its staging table, named in runs(), while production is unchanged', async () => {
    await publishRun(sink(), 'ks', 'good', entityIds(2));
    await refuse('ks', 'bad', 3);
    expect(await target.tables('ks')).toEqual(['ks', 'ks__staging_bad']);
    expect(await target.query<{ n: number | string }>('SELECT count(*) AS n FROM ks__staging_bad').then((r) => Number(r[0]!.n))).toBe(3);
    expect(await target.query<{ n: number | string }>('SELECT count(*) AS n FROM ks').then((r) => Number(r[0]!.n))).toBe(2);
    expect(await kept('ks')).toEqual({ bad: 'ks__staging_bad' });
    const bad = (await sink().runs('ks')).find((r) => r.runId === 'bad')!;
    expect(bad).toMatchObject({ status: 'failed', error: 'a gate failed', rowsScored: 3, details: { gates: 'x' } });
  });

  it('keeps one at most: the next refused run’s staging supersedes it, and a publish drops it', async () => {
    await refuse('ks2', 'first', 1);
    await refuse('ks2', 'second', 2);
    expect(await target.tables('ks2')).toEqual(['ks2__staging_second']);
    expect(await kept('ks2')).toEqual({ second: 'ks2__staging_second' });
    await publishRun(sink(), 'ks2', 'third', entityIds(4));
    expect(await target.tables('ks2')).toEqual(['ks2']);
    expect(await kept('ks2')).toEqual({});
  });

  it('is not dropped by a later run that fails for another reason', async () => {
    await refuse('ks3', 'kept', 1);
    const writer = await sink().begin(runStart('ks3', 'other'));
    await writer.abort('a source failed');
    expect(await target.tables('ks3')).toEqual(['ks3__staging_kept']);
  });

  it('a plain abort drops staging as before', async () => {
    await refuse('ks4', 'dropped', 2, false);
    expect(await target.tables('ks4')).toEqual([]);
    expect(await kept('ks4')).toEqual({});
  });
});
