import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sink, StagingWriter } from '../../src/sinks/index.js';
import { publishRun, runStart, totalsFor, writeScores } from './run-fixtures.js';
import { sinkTargets, type SinkTarget } from './sink-targets.js';

const targets = await sinkTargets();
afterAll(async () => Promise.all(targets.map((t) => t.cleanup())));

/** Runs crashed-run.ts in its own process and returns that process' pid, which is dead by then. */
async function crashRun(target: SinkTarget, table: string, runId: string): Promise<number> {
  const script = fileURLToPath(new URL('./crashed-run.ts', import.meta.url));
  const child = execFile(process.execPath, ['--import', 'tsx', script, target.output, target.schema ?? '-', table, runId]);
  const pid = child.pid;
  await promisify((done: (error: Error | null) => void) => child.on('exit', (code) => done(code === 0 ? null : new Error(`crashed-run exited with ${code}`))))();
  if (pid === undefined) throw new Error('no pid');
  return pid;
}

/** `begin`, retrying briefly while the server notices a dead client's session (Postgres ends it asynchronously). */
async function beginSoon(sink: Sink, table: string, runId: string): Promise<StagingWriter> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await sink.begin(runStart(table, runId));
    } catch (error) {
      if ((error as { code?: string }).code !== 'SINK_LOCKED' || attempt === 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe.each(targets)('$name sink: lock', (target) => {
  let sink: Sink;
  let other: Sink;
  beforeEach(async () => {
    [sink, other] = await Promise.all([target.open(), target.open()]);
  });
  afterEach(async () => Promise.all([sink.close(), other.close()]));

  it('a second run on the table fails fast with SINK_LOCKED naming the holder, until the first ends', async () => {
    const first = await sink.begin(runStart('lk', 'holder1'));
    expect(first.takenOver).toBeNull();
    const expected = new RegExp(`locked by run holder1 \\(host ${hostname()}, pid ${process.pid}\\) since 20\\d\\d-.*Z`);
    await expect(other.begin(runStart('lk', 'second'))).rejects.toMatchObject({ code: 'SINK_LOCKED', exitCode: 7, message: expect.stringMatching(expected) });
    await expect(sink.begin(runStart('lk', 'same-sink'))).rejects.toMatchObject({ code: 'SINK_LOCKED', message: expect.stringMatching(/holder1/) });
    await expect(other.rollback('lk')).rejects.toMatchObject({ code: 'SINK_LOCKED', message: expect.stringMatching(/holder1/) });
    await writeScores(first, ['a'], 1);
    await first.publish(totalsFor(1));
    await publishRun(other, 'lk', 'second', ['b']);
    expect((await sink.runs('lk')).map((r) => [r.runId, r.status])).toEqual([
      ['second', 'published'],
      ['holder1', 'superseded'],
    ]);
  });

  it('other tables are not locked by a run', async () => {
    const first = await sink.begin(runStart('lk_a', 'r1'));
    await publishRun(other, 'lk_b', 'r2', ['x']);
    await first.abort('done');
  });

  it('takes over the lock of a run whose process died, marks that run failed and drops its staging', async () => {
    await publishRun(sink, 'stale', 'before', ['e1']);
    const deadPid = await crashRun(target, 'stale', 'crashed');
    expect(await target.tables('stale__staging_')).toEqual(['stale__staging_crashed']);
    const writer = await beginSoon(sink, 'stale', 'next');
    expect(writer.takenOver).toMatchObject({ runId: 'crashed', pid: deadPid, host: hostname() });
    expect(await target.tables('stale__staging_')).toEqual(['stale__staging_next']);
    const crashed = (await sink.runs('stale')).find((r) => r.runId === 'crashed');
    expect(crashed).toMatchObject({ status: 'failed', error: expect.stringMatching(new RegExp(`abandoned: its lock was taken over \\(pid ${deadPid}`)) });
    await writeScores(writer, ['e2'], 2);
    await writer.publish(totalsFor(1));
    expect(await target.query('SELECT entity_id FROM "stale"')).toEqual([{ entity_id: 'e2' }]);
  }, 30_000);

  it('a run whose lock was taken over cannot write or publish', async () => {
    const victim = await sink.begin(runStart('lost', 'victim'));
    // A heartbeat 3 minutes old: the holder looks hung, whoever it is.
    await target.query(`UPDATE prescore_locks SET heartbeat_at = ? WHERE table_name = 'lost'`, [new Date(Date.now() - 180_000).toISOString()]);
    if (target.name === 'postgres') await sink.close(); // its session lock must end too, as a hung client's connection would
    const thief = await other.begin(runStart('lost', 'thief'));
    expect(thief.takenOver?.runId).toBe('victim');
    if (target.name === 'sqlite') {
      await expect(writeScores(victim, ['a'], 1)).rejects.toMatchObject({ code: 'SINK_LOCKED', message: expect.stringMatching(/lost the lock.*to run thief/) });
      await expect(victim.publish(totalsFor(0))).rejects.toMatchObject({ code: 'SINK_LOCKED' });
    }
    await thief.abort('test over');
    if (target.name === 'postgres') sink = await target.open();
  });

  it('a reader inside a long transaction delays a publish at most 5 s (Postgres lock_timeout); SQLite WAL does not wait', async () => {
    await publishRun(sink, 'busy', 'old', ['e1']);
    const writer = await sink.begin(runStart('busy', 'new'));
    await writeScores(writer, ['e2'], 2);
    await target.query('BEGIN');
    await target.query('SELECT count(*) AS n FROM "busy"');
    const started = Date.now();
    const publishing = writer.publish(totalsFor(1));
    if (target.name === 'postgres') {
      await expect(publishing).rejects.toMatchObject({ code: 'SINK_FAILED', message: expect.stringMatching(/55P03/), hint: expect.stringMatching(/nothing was published/) });
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
      await target.query('COMMIT');
      expect(await target.query('SELECT run_id FROM "busy"')).toEqual([{ run_id: 'old' }]);
      await writer.abort('readers held the table');
    } else {
      await publishing;
      expect(await target.query('SELECT run_id FROM "busy"')).toEqual([{ run_id: 'old' }]); // the reader's snapshot
      await target.query('COMMIT');
      expect(await target.query('SELECT run_id FROM "busy"')).toEqual([{ run_id: 'new' }]);
    }
  }, 30_000);
});
