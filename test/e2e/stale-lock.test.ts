/**
 * The table lock between real processes: a live run's lock is respected (a second run exits 7 naming
 * the holder), and the lock a SIGKILLed run leaves behind is taken over by the next run, which logs
 * the takeover and succeeds.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, expect, it } from 'vitest';

import { ROOT, runCli, startCli } from '../support/run-cli.js';
import { sqliteState, writeCustomerCsv } from '../support/sqlite-state.js';

let dir: string;
let db: string;
let big: string;
let small: string;

const score = (input: string, runId: string) => [
  'score', '--model', join(ROOT, 'fixtures/models/logreg.onnx'), '--input', input, '--id-column', 'customer_id',
  '--output', `sqlite:${db}`, '--table', 'scores', '--mode', 'upsert', '--run-id', runId, '--workers', '1', '--log-format', 'json',
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prescore-lock-'));
  db = join(dir, 'scores.db');
  big = join(dir, 'big.csv');
  small = join(dir, 'small.csv');
  // Far more than the holder can finish before it is killed (~10 s at 1 kB chunks), on a fast machine too.
  await writeCustomerCsv(big, { rows: 150_000, seed: 3 });
  await writeCustomerCsv(small, { rows: 50, seed: 4 });
});

it('a second run while the first holds the lock exits 7 naming the holder; after a SIGKILL the next run takes the lock over', async () => {
  // Tiny chunks make the holder slow (a staging transaction per 1 kB): it still holds the lock when the second run starts.
  const holder = startCli([...score(big, 'holder'), '--chunk-bytes', '1000']);
  await holder.event('staging');
  const refused = await runCli(score(small, 'second'));
  expect(refused.stderr).toMatch(new RegExp(`error SINK_LOCKED: Table "scores" is locked by run holder \\(host [^,]+, pid ${holder.pid}\\)`));
  expect(refused.exitCode).toBe(7);
  const during = sqliteState(db, 'scores');
  expect(during.runs.map((r) => [r.run_id, r.status])).toEqual([['holder', 'running']]);

  holder.kill('SIGKILL');
  expect((await holder.done).signal).toBe('SIGKILL');
  const next = await runCli(score(small, 'next'));
  expect(next.stderr).toMatch(new RegExp(`"level":"warn","event":"lock-takeover","table":"scores","deadRunId":"holder","deadPid":${holder.pid}`));
  expect(next.exitCode).toBe(0);
  const after = sqliteState(db, 'scores');
  expect(after.rowsByRun).toEqual({ next: 50 });
  expect(after.runs.map((r) => [r.run_id, r.status])).toEqual([
    ['holder', 'failed'],
    ['next', 'published'],
  ]);
  expect(after.runs[0]!.error).toMatch(new RegExp(`abandoned: its lock was taken over \\(pid ${holder.pid} on host`));
  expect(after.tables.filter((t) => t.includes('__staging_'))).toEqual([]);
});
