/**
 * Crash safety of a real `bin/prescore score` into SQLite. A run is SIGKILLed at 20 seeded random
 * points (while it loads, scores, writes staging, publishes); after each kill the published table and
 * the earlier runs' records must be exactly as before (or, if the kill came after the publish
 * committed, wholly the new run's), and the next run must clean up the dead run's staging and lock and
 * succeed. SIGINT and SIGTERM must stop a run with 130/143, publishing nothing and dropping staging.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { beforeAll, expect, it } from 'vitest';

import { Prng } from '../../scripts/fixtures/prng.js';
import { ROOT, runCli, startCli } from '../support/run-cli.js';
import { sqliteState, writeCustomerCsv, type SqliteState } from '../support/sqlite-state.js';

const SEED = 20_261_121;
const KILLS = 20;
const BIG_ROWS = 40_000;
let dir: string;
let db: string;
let big: string;
let small: string;
/** How long an uninterrupted big run takes (ms) to log `staging`, and from there to log `publish`: kill points are drawn in these spans. */
let startupMs: number;
let stagingMs: number;

// The big runs are upserts: the gates that compare a run's row count with the previous run's skip
// them, so a big run that gets that far publishes (and its kill can land in the publish).
const score = (input: string, runId: string, mode: 'replace' | 'upsert', output = db) => [
  'score', '--model', join(ROOT, 'fixtures/models/logreg.onnx'), '--input', input, '--id-column', 'customer_id',
  '--output', `sqlite:${output}`, '--table', 'scores', '--mode', mode, '--run-id', runId, '--workers', input === small ? '1' : '2', '--log-format', 'json',
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prescore-crash-'));
  db = join(dir, 'scores.db');
  big = join(dir, 'big.csv');
  small = join(dir, 'small.csv');
  await writeCustomerCsv(big, { rows: BIG_ROWS, seed: 1 });
  await writeCustomerCsv(small, { rows: 300, seed: 2 });
  expect((await runCli(score(small, 'baseline', 'replace'))).exitCode).toBe(0);
  const started = Date.now();
  const whole = startCli(score(big, 'whole', 'upsert', join(dir, 'measure.db')));
  await whole.event('staging');
  startupMs = Date.now() - started;
  await whole.event('publish');
  stagingMs = Date.now() - started - startupMs;
  expect((await whole.done).exitCode).toBe(0);
});

const otherRuns = (state: SqliteState, runId: string) => state.runs.filter((r) => r.run_id !== runId);
const runOf = (state: SqliteState, runId: string) => state.runs.find((r) => r.run_id === runId);
const leftovers = (state: SqliteState) => state.tables.filter((t) => t.includes('__staging_'));

// About 35 s alone; the whole suite runs beside it on 2 cores, so the default minute is not enough.
it(`survives SIGKILL at ${KILLS} seeded random points, and the next run cleans up and succeeds`, { timeout: 240_000 }, async () => {
  const rng = new Prng(SEED);
  const outcomes: string[] = [];
  let before = sqliteState(db, 'scores');
  for (let i = 0; i < KILLS; i++) {
    const runId = `kill-${i}`;
    // Where the kill lands: a seeded draw of a phase, then of a point in it.
    const phase = rng.pick(['starting', 'writing staging', 'writing staging', 'publishing'] as const);
    const run = startCli(score(big, runId, 'upsert'));
    if (phase === 'starting') await sleep(startupMs * rng.next());
    else if (phase === 'writing staging') await run.event('staging').then(() => sleep(stagingMs * rng.next()));
    else await run.event('publish').then(() => sleep(5 * rng.next()));
    run.kill('SIGKILL');
    const killed = await run.done;

    const after = sqliteState(db, 'scores');
    const record = runOf(after, runId);
    outcomes.push(`${phase}: ${killed.signal === 'SIGKILL' ? `killed, run ${String(record?.status ?? 'not begun')}` : `exited ${killed.exitCode} first`}`);
    const published = record?.status === 'published';
    const superseded = (r: Record<string, unknown>) => (published && r.status === 'published' ? { ...r, status: 'superseded' } : r);
    expect(otherRuns(after, runId), `kill ${i}: earlier runs' records`).toEqual(before.runs.map(superseded));
    if (published) {
      expect(after.rowsByRun, `kill ${i}: the published table`).toEqual({ [runId]: BIG_ROWS });
    } else {
      expect(after.digest, `kill ${i}: the published table`).toBe(before.digest);
      expect([undefined, 'running']).toContain(record?.status);
    }

    // Once a big run is published, a replace by the small table would fail the row-count gate.
    const next = await runCli(score(small, `recover-${i}`, after.rowCount === BIG_ROWS ? 'upsert' : 'replace'));
    expect(next.stderr, `recovery after kill ${i}`).not.toContain('"level":"error"');
    expect(next.exitCode).toBe(0);
    if (record?.status === 'running') expect(next.stderr).toMatch(new RegExp(`"event":"lock-takeover".*"deadRunId":"${runId}"`));
    const recovered = sqliteState(db, 'scores');
    expect(leftovers(recovered)).toEqual([]);
    if (record?.status === 'running') expect(runOf(recovered, runId)).toMatchObject({ status: 'failed', error: expect.stringContaining('abandoned') });
    expect(recovered.rowsByRun[`recover-${i}`]).toBe(300);
    before = recovered;
  }
  console.info(`kill points (seed ${SEED}; ${startupMs} ms to staging, ${stagingMs} ms of scoring into staging):\n  ${outcomes.join('\n  ')}`);
  expect(outcomes.some((o) => o.endsWith('killed, run running'))).toBe(true);
});

for (const [signal, exitCode, code] of [
  ['SIGINT', 130, 'INTERRUPTED'],
  ['SIGTERM', 143, 'TERMINATED'],
] as const) {
  it(`${signal} mid-run exits ${exitCode}, publishes nothing, drops staging and marks the run failed`, async () => {
    const before = sqliteState(db, 'scores');
    const runId = `stop-${signal}`;
    const run = startCli(score(big, runId, 'upsert'));
    await run.event('staging');
    // At once: the run has just begun scoring 40k rows. A signal that comes once publishing has begun
    // lets the publish finish, so any wait here only makes the test depend on the machine's speed.
    run.kill(signal);
    const result = await run.done;
    expect(result.stderr).toContain(`prescore: error ${code}: Stopped by ${signal}; nothing was published`);
    expect(result.exitCode).toBe(exitCode);
    const after = sqliteState(db, 'scores');
    expect(after.digest).toBe(before.digest);
    expect(otherRuns(after, runId)).toEqual(before.runs);
    expect(runOf(after, runId)).toMatchObject({ status: 'failed', error: expect.stringContaining(signal) });
    expect(leftovers(after)).toEqual([]);
    expect(after.tables).toEqual(before.tables);
  });
}
