import { afterAll, describe, expect, it } from 'vitest';
import { openSink } from '../../src/sinks/index.js';
import { stagingTableName, versionTableName } from '../../src/sinks/table-names.js';
import { runStart } from './run-fixtures.js';
import { POSTGRES_URL, sinkTargets } from './sink-targets.js';

const targets = await sinkTargets();
afterAll(async () => Promise.all(targets.map((t) => t.cleanup())));

const HOSTILE = ['x; DROP TABLE y', 'a"b', "a'b", 'naïve', 'ｓｃｏｒｅｓ', '', '1abc', 'a'.repeat(49), 'a b', 'a-b', 'prescore_runs"--'];

describe.each(targets)('$name sink: names', (target) => {
  it.each(HOSTILE)('rejects the table name %j with SINK_INVALID_NAME naming the value and the rule, creating nothing', async (name) => {
    const sink = await target.open();
    const rule = expect.stringMatching(/must match \^\[A-Za-z_\]/);
    await expect(sink.begin(runStart(name, 'r1'))).rejects.toMatchObject({ code: 'SINK_INVALID_NAME', value: name, message: rule });
    await expect(sink.runs(name)).rejects.toMatchObject({ code: 'SINK_INVALID_NAME', value: name });
    await expect(sink.rollback(name)).rejects.toMatchObject({ code: 'SINK_INVALID_NAME', value: name });
    await sink.close();
    expect(await target.tables('')).toEqual(['prescore_locks', 'prescore_rejects', 'prescore_runs', 'prescore_shards']);
  });

  it('rejects hostile extra column names and run ids', async () => {
    const sink = await target.open();
    const column = (name: string) => runStart('t', 'r1', { outputColumns: [{ name: 'score', type: 'real' }, { name, type: 'text' }] });
    await expect(sink.begin(column('x; DROP TABLE y'))).rejects.toMatchObject({ code: 'SINK_INVALID_NAME', value: 'x; DROP TABLE y' });
    await expect(sink.begin(column('run_id'))).rejects.toMatchObject({ code: 'SINK_INVALID_NAME', message: expect.stringMatching(/reserved/) });
    await expect(sink.begin(runStart('t', "r'); DROP TABLE t; --"))).rejects.toMatchObject({ code: 'SINK_INVALID_NAME', message: expect.stringMatching(/run id/) });
    await expect(sink.rollback('t', 'r"1')).rejects.toMatchObject({ code: 'SINK_INVALID_NAME' });
    await sink.close();
  });
});

describe('derived table names', () => {
  it('use the run id as it is when it is identifier-safe and short enough', () => {
    expect(stagingTableName('scores', 'run_42')).toBe('scores__staging_run_42');
    expect(versionTableName('scores', 'run_42')).toBe('scores__v_run_42');
  });

  it('hash other run ids so that a-b and a.b cannot collide, and stay within 63 characters', () => {
    const dash = versionTableName('scores', 'a-b');
    expect(dash).toMatch(/^scores__v_a_b_[0-9a-f]{8}$/);
    expect(versionTableName('scores', 'a.b')).not.toBe(dash);
    const long = stagingTableName('t'.repeat(48), `2025-01-01T00:00:00.000Z-${'x'.repeat(30)}`);
    expect(long).toMatch(/^t{48}__stag_[0-9a-f]{8}$/);
    expect(long.length).toBeLessThanOrEqual(63);
  });
});

describe('openSink', () => {
  it.each(['scores.csv', 'mysql://h/db', 'sqlite:', '/tmp/x'])('rejects --output %j with USAGE_INVALID_OPTION', async (output) => {
    await expect(openSink(output)).rejects.toMatchObject({ code: 'USAGE_INVALID_OPTION', exitCode: 2 });
  });

  it('refuses --schema for SQLite, and a hostile schema for Postgres before connecting', async () => {
    await expect(openSink('sqlite:/tmp/never.db', { schema: 'public' })).rejects.toMatchObject({ code: 'USAGE_INVALID_OPTION' });
    await expect(openSink(POSTGRES_URL, { schema: 'x"; DROP SCHEMA public; --' })).rejects.toMatchObject({ code: 'SINK_INVALID_NAME' });
  });

  it('never shows the password of a Postgres URL it cannot connect to', async () => {
    const error = await openSink('postgres://alice:hunter2@127.0.0.1:1/db').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SINK_FAILED', message: expect.stringMatching(/alice:\*\*\*@127\.0\.0\.1:1/) });
    expect(String((error as Error).message) + JSON.stringify(error)).not.toMatch(/hunter2/);
  });
});
