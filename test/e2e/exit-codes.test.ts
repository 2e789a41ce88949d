/**
 * Every failure class has its own exit code, documented in README.md's table, and each is produced by
 * a real `bin/prescore score` run here (or in the test file named for it), leaving the table that an
 * earlier run published exactly as it was.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { ERROR_CODES, EXIT_CODES, type ErrorCode, type FailureClass } from '../../src/errors/index.js';
import { ROOT, runCli } from '../support/run-cli.js';
import { sqliteState, writeCustomerCsv, type SqliteState } from '../support/sqlite-state.js';

const LOGREG = join(ROOT, 'fixtures/models/logreg.onnx');
const BAD = join(ROOT, 'test/bad-inputs/files');

interface ExitCase {
  readonly code: ErrorCode | 'ok';
  /** Flags replacing or adding to the good run's. */
  readonly args: (good: Record<string, string>) => Record<string, string | undefined>;
  readonly env?: Record<string, string>;
}

const CASES: Readonly<Partial<Record<FailureClass, ExitCase>>> = {
  ok: { code: 'ok', args: () => ({}) },
  internal: { code: 'INTERNAL', args: () => ({}), env: { NODE_OPTIONS: `--import=${join(ROOT, 'test/support/inject-fault.mjs')}` } },
  usage: { code: 'USAGE_INVALID_OPTION', args: () => ({ '--on-duplicate': 'newest' }) },
  input: { code: 'CSV_NOT_A_NUMBER', args: () => ({ '--input': join(BAD, 'not-a-number.csv') }) },
  model: { code: 'MODEL_NOT_ONNX', args: () => ({ '--model': join(BAD, 'text.onnx') }) },
  source: { code: 'SOURCE_NOT_FOUND', args: (good) => ({ '--input': `${good['--input']}.missing` }) },
  sink: { code: 'SINK_FAILED', args: (good) => ({ '--output': `sqlite:${good.dir}` }) },
  gate: { code: 'GATE_FAILED', args: () => ({ '--min-rows': '1000' }) },
};

/** Classes whose exit code needs a second process or a signal: tested in the files named. */
const TESTED_ELSEWHERE: Readonly<Partial<Record<FailureClass, string>>> = {
  locked: 'test/e2e/stale-lock.test.ts',
  interrupted: 'test/e2e/crash-safety.test.ts',
  terminated: 'test/e2e/crash-safety.test.ts',
};

let dir: string;
let good: Record<string, string>;
let baseline: SqliteState;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prescore-exit-'));
  mkdirSync(join(dir, 'a-directory'));
  await writeCustomerCsv(join(dir, 'good.csv'), { rows: 300, seed: 11 });
  good = { dir: join(dir, 'a-directory'), '--model': LOGREG, '--input': join(dir, 'good.csv'), '--output': `sqlite:${join(dir, 'baseline.db')}` };
  const published = await runCli(['score', ...flags({}), '--run-id', 'baseline']);
  expect(published.exitCode).toBe(0);
  baseline = sqliteState(join(dir, 'baseline.db'), 'scores');
});

function flags(overrides: Record<string, string | undefined>): string[] {
  const all: Record<string, string | undefined> = { '--model': good['--model'], '--input': good['--input'], '--id-column': 'customer_id', '--output': good['--output'], '--table': 'scores', '--workers': '1', ...overrides };
  return Object.entries(all).flatMap(([flag, value]) => (value === undefined ? [] : [flag, value]));
}

it('README.md documents every exit code, and each error code in the row of its class', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Exit codes');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const rows = new Map(section.split('\n').filter((l) => /^\| \d+ \|/.test(l)).map((l) => [Number(l.split('|')[1]), l]));
  expect([...rows.keys()].sort((a, b) => a - b)).toEqual(Object.values(EXIT_CODES).sort((a, b) => a - b));
  for (const [code, failure] of Object.entries(ERROR_CODES)) expect(rows.get(EXIT_CODES[failure]), code).toContain(`\`${code}\``);
});

it('every failure class has a case here or in another end-to-end test', () => {
  expect([...Object.keys(CASES), ...Object.keys(TESTED_ELSEWHERE)].sort()).toEqual(Object.keys(EXIT_CODES).sort());
  for (const file of Object.values(TESTED_ELSEWHERE)) expect(readFileSync(join(ROOT, file), 'utf8')).toMatch(/exitCode\)\.toBe\((7|exitCode)\)/);
});

describe.concurrent('exit code of a run', () => {
  it.each(Object.entries(CASES).map(([failure, c]) => [failure as FailureClass, EXIT_CODES[failure as FailureClass], c!] as const))('%s → %i', async (failure, exitCode, c) => {
    const db = join(dir, `${failure}.db`);
    copyFileSync(join(dir, 'baseline.db'), db);
    const output = `sqlite:${db}`;
    const result = await runCli(['score', ...flags({ '--output': output, ...c.args({ ...good, '--output': output }) })], c.env ? { env: c.env } : {});
    if (c.code === 'ok') expect(result.stderr).not.toContain('error');
    else expect(result.stderr).toMatch(new RegExp(`^prescore: error ${c.code}: `, 'm'));
    expect(result.exitCode).toBe(exitCode);
    const after = sqliteState(db, 'scores');
    if (c.code !== 'ok') {
      expect(after.digest).toBe(baseline.digest);
      // A failed gate keeps its staging table for inspection (README, "Gates"); nothing else may remain.
      expect(after.tables.filter((t) => failure !== 'gate' || !t.includes('__staging_'))).toEqual(baseline.tables);
    }
  });
});
