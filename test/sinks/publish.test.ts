import { expect, it } from 'vitest';
import { EXTRA_COLUMNS, entityIds, publishRun, runStart, totalsFor, writeScores } from './run-fixtures.js';
import { describeEachSink, sinkTargets } from './sink-targets.js';

describeEachSink(await sinkTargets(), 'publish', (target, sink) => {
  const rowsOf = (table: string) => target.query<{ entity_id: string; score: number; run_id: string }>(`SELECT entity_id, score, run_id FROM "${table}" ORDER BY entity_id`);

  it('replace publishes staging as the table and keeps the previous one as a version', async () => {
    await publishRun(sink(), 'rep', 'a1', entityIds(3), 1);
    await publishRun(sink(), 'rep', 'a2', ['x', 'y'], 2);
    expect(await rowsOf('rep')).toEqual([
      { entity_id: 'x', score: 2, run_id: 'a2' },
      { entity_id: 'y', score: 2, run_id: 'a2' },
    ]);
    expect(await target.tables('rep')).toEqual(['rep', 'rep__v_a1']);
    const runs = await sink().runs('rep');
    expect(runs.map((r) => [r.runId, r.status])).toEqual([
      ['a2', 'published'],
      ['a1', 'superseded'],
    ]);
  });

  it('upsert merges the rescored segment into the current rows and leaves the previous version intact', async () => {
    await publishRun(sink(), 'ups', 'u1', ['e1', 'e2', 'e3'], 1);
    await publishRun(sink(), 'ups', 'u2', ['e3', 'e4'], 2, { mode: 'upsert' });
    expect(await rowsOf('ups')).toEqual([
      { entity_id: 'e1', score: 1, run_id: 'u1' },
      { entity_id: 'e2', score: 1, run_id: 'u1' },
      { entity_id: 'e3', score: 2, run_id: 'u2' },
      { entity_id: 'e4', score: 2, run_id: 'u2' },
    ]);
    expect(await target.query('SELECT entity_id FROM "ups__v_u1"')).toHaveLength(3);
  });

  it("keeps a replace run's constants in the schema on SQLite, and an upsert over it stores each row's own", async () => {
    const all = (table: string) => target.query(`SELECT * FROM "${table}" ORDER BY entity_id`);
    await publishRun(sink(), 'gen', 'g1', ['e1', 'e2'], 1);
    const [scoredAt] = (await sink().runs('gen')).map((r) => r.startedAt);
    expect(await all('gen')).toEqual(['e1', 'e2'].map((id) => ({ entity_id: id, score: 1, model_version: 'm1', run_id: 'g1', scored_at: scoredAt })));
    if (target.name === 'sqlite') {
      // hidden 2: a virtual generated column, which no row stores.
      const hidden = await target.query<{ name: string; hidden: number }>(`SELECT name, hidden FROM pragma_table_xinfo('gen')`);
      expect(hidden.map((c) => [c.name, c.hidden])).toEqual([['entity_id', 0], ['score', 0], ['model_version', 2], ['run_id', 2], ['scored_at', 2]]);
    }
    await publishRun(sink(), 'gen', 'g2', ['e2', 'e3'], 2, { mode: 'upsert' });
    expect((await all('gen')).map((r) => [r.entity_id, r.score, r.run_id])).toEqual([
      ['e1', 1, 'g1'],
      ['e2', 2, 'g2'],
      ['e3', 2, 'g2'],
    ]);
    await publishRun(sink(), 'gen', 'g3', ['e9'], 3);
    expect((await all('gen')).map((r) => [r.entity_id, r.run_id])).toEqual([['e9', 'g3']]);
    await sink().rollback('gen');
    expect((await all('gen')).map((r) => [r.entity_id, r.run_id])).toEqual([
      ['e1', 'g1'],
      ['e2', 'g2'],
      ['e3', 'g2'],
    ]);
  });

  it('upsert into a table with other columns fails before writing, naming both column lists', async () => {
    await publishRun(sink(), 'upc', 'c1', ['e1'], 1);
    const begin = sink().begin(runStart('upc', 'c2', { mode: 'upsert', outputColumns: EXTRA_COLUMNS }));
    await expect(begin).rejects.toMatchObject({ code: 'SINK_FAILED', message: expect.stringMatching(/label, segment.*--mode replace/s) });
    expect((await sink().runs('upc')).map((r) => r.runId)).toEqual(['c1']);
  });

  it('keeps the current table and the 2 versions before it', async () => {
    for (let i = 1; i <= 5; i++) await publishRun(sink(), 'ret', `r${i}`, entityIds(i), i);
    expect(await target.tables('ret')).toEqual(['ret', 'ret__v_r3', 'ret__v_r4']);
    expect(await target.query('SELECT entity_id FROM "ret"')).toHaveLength(5);
  });

  it('writes integer (BigInt64Array) and text output columns, with hostile characters in ids and text', async () => {
    const ids = ['plain', 'tab\there', 'new\nline', 'back\\slash', `quo"te'`, 'ünïcödé', 'cr\rx'];
    const labels = new BigInt64Array([0n, -1n, 2n ** 53n + 1n, 9_007_199_254_740_993n, 7n, -(2n ** 62n), 1n]);
    const segments = ['a', 'b\tc', 'd\ne', 'f\\g', '\\N', '', 'z'];
    const run = runStart('xtra', 'x1', { outputColumns: EXTRA_COLUMNS });
    const writer = await sink().begin(run);
    await writer.write({ ids: ids.slice(0, 4), columns: [new Float32Array([0.5, 0.25, 1, 0]), labels.slice(0, 4), segments.slice(0, 4)] });
    await writer.write({ ids: ids.slice(4), columns: [new Float32Array([0.125, -2, Number.NaN]), labels.slice(4), segments.slice(4)] });
    await writer.publish(totalsFor(ids.length));
    const rows = await target.query<{ entity_id: string; score: number | null; label: string; segment: string; model_version: string; scored_at: string }>(
      `SELECT entity_id, score, CAST(label AS TEXT) AS label, segment, model_version, scored_at FROM "xtra"`,
    );
    const byId = new Map(rows.map((r) => [r.entity_id, r]));
    expect([...byId.keys()].sort()).toEqual([...ids].sort());
    ids.forEach((id, i) => {
      expect(byId.get(id)).toMatchObject({ label: String(labels[i]), segment: segments[i], model_version: 'm1', scored_at: run.startedAt });
    });
    expect(byId.get('tab\there')?.score).toBe(0.25);
    expect(byId.get(`quo"te'`)?.score).toBe(0.125);
    // A NaN score is NULL on every sink, as the published schema says.
    expect(byId.get('cr\rx')?.score).toBeNull();
  });

  it('refuses a duplicate id within a run instead of merging it', async () => {
    const writer = await sink().begin(runStart('dup', 'd1'));
    await writeScores(writer, ['a', 'b'], 1);
    await expect(writeScores(writer, ['c', 'a'], 1)).rejects.toMatchObject({ code: 'CSV_DUPLICATE_ID', value: 'a' });
    await writer.abort('duplicate id');
  });

  it('abort leaves the published table and runs untouched except the run marked failed', async () => {
    await publishRun(sink(), 'abt', 'ok1', ['e1', 'e2'], 1);
    const before = await sink().runs('abt');
    const writer = await sink().begin(runStart('abt', 'bad2'));
    await writeScores(writer, ['e1', 'e9'], 9);
    await writer.abort('gate rejected-rate failed', totalsFor(2), { gates: [{ name: 'rejected-rate', passed: false }] });
    expect(await rowsOf('abt')).toEqual([
      { entity_id: 'e1', score: 1, run_id: 'ok1' },
      { entity_id: 'e2', score: 1, run_id: 'ok1' },
    ]);
    expect(await target.tables('abt')).toEqual(['abt']);
    const [failed, ...rest] = await sink().runs('abt');
    expect(rest).toEqual(before);
    expect(failed).toMatchObject({ runId: 'bad2', status: 'failed', error: 'gate rejected-rate failed', rowsScored: 2, details: { gates: [{ name: 'rejected-rate', passed: false }] } });
    expect(failed?.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    await expect(writer.publish(totalsFor(2))).rejects.toMatchObject({ code: 'SINK_FAILED' });
    await publishRun(sink(), 'abt', 'ok3', ['e3'], 3);
  });

  it('round-trips a run record, with credentials in URIs redacted', async () => {
    const inputs = [
      { uri: 'https://alice:s3cret@example.com/in.csv?X-Goog-Signature=deadbeef&part=1', size: 123, sha256: 'cd'.repeat(32), version: '1700000000' },
      { uri: 'gs://bucket/in-2.csv', size: 7 },
    ];
    await publishRun(sink(), 'rec', 'rec1', ['a', 'b'], 0.5, { inputs, modelUri: 'https://bob:pw@models.example/m.onnx' });
    const start = runStart('rec', 'rec2');
    const writer = await sink().begin(start);
    await writeScores(writer, ['a'], 0.5);
    await writer.publish({ rowsRead: 3, rowsScored: 1, rowsRejected: 2, scoreMin: 0.5, scoreMean: 0.5, scoreMax: 0.5 }, { psi: 0.01 });
    const [latest, first] = await sink().runs('rec');
    expect(latest).toEqual({
      runId: 'rec2',
      table: 'rec',
      status: 'published',
      mode: 'replace',
      modelUri: 'file:///models/m.onnx',
      modelSha256: 'ab'.repeat(32),
      modelVersion: 'm1',
      inputs: [{ uri: 'file:///data/in.csv', size: 10 }],
      rowsRead: 3,
      rowsScored: 1,
      rowsRejected: 2,
      scoreMin: 0.5,
      scoreMean: 0.5,
      scoreMax: 0.5,
      startedAt: start.startedAt,
      finishedAt: expect.stringMatching(/Z$/),
      toolVersion: '0.1.0',
      error: null,
      details: { psi: 0.01 },
    });
    expect(first?.status).toBe('superseded');
    expect(first?.modelUri).toBe('https://bob:***@models.example/m.onnx');
    expect(first?.inputs).toEqual([
      { ...inputs[0], uri: 'https://alice:***@example.com/in.csv?X-Goog-Signature=***&part=1' },
      { uri: 'gs://bucket/in-2.csv', size: 7 },
    ]);
    expect(JSON.stringify(await target.query('SELECT * FROM prescore_runs'))).not.toMatch(/s3cret|deadbeef|:pw@/);
  });
});
