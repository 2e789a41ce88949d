/**
 * Rejected rows and repeated ids end to end: rejects go to the rejects table beside the scores and to
 * --rejects-file, whether the run publishes or its reject limit stops it; a repeated entity id fails
 * the run naming both lines (found again by reading the input when they are chunks apart), or keeps
 * the first or last occurrence with --on-duplicate.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { beforeAll, expect, it } from 'vitest';

import { customerId } from '../../scripts/fixtures/tables.js';
import { ROOT, runCli } from '../support/run-cli.js';
import { sqliteState, writeCustomerCsv } from '../support/sqlite-state.js';

let dir: string;
const HEADER = 'customer_id,age,income,tenure_months,balance,num_products,support_calls,plan,region,note';
const GOOD = ['A1,34,52000.5,12,1500.25,2,1,basic,North,', 'A2,51,87000,40,-20.5,1,0,plus,"Washington, D.C.","said ""cancel"" twice"', 'A3,27,31000,3,0,1,4,basic,South,'];

const score = (input: string, db: string, ...more: string[]) =>
  runCli(['score', '--model', join(ROOT, 'fixtures/models/logreg.onnx'), '--input', input, '--id-column', 'customer_id', '--output', `sqlite:${db}`, '--table', 'scores', '--workers', '1', ...more]);

function query<T>(db: string, sql: string, ...params: unknown[]): T[] {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare(sql).all(...params) as T[];
  } finally {
    conn.close();
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'prescore-rejects-'));
  writeFileSync(join(dir, 'some-bad.csv'), [HEADER, GOOD[0], 'B1,x,1,1,1,1,1,basic,North,', GOOD[1], 'B2,1,2,3', GOOD[2], ''].join('\n'));
});

const REJECTS = [
  { source: 'some-bad.csv', line: 3, column_name: 'age', column_number: 2, value: 'x', code: 'CSV_NOT_A_NUMBER', reason: 'not a decimal number (digits, optional sign, point and exponent)' },
  { source: 'some-bad.csv', line: 5, column_name: 'balance', column_number: 5, value: 'B2,1,2,3', code: 'CSV_COLUMN_COUNT', reason: 'expected 10 fields, found 4' },
];

it('records rejects in the rejects table and --rejects-file, and publishes the rest within --max-reject-rate', async () => {
  const db = join(dir, 'within.db');
  const file = join(dir, 'within-rejects.csv');
  const result = await score(join(dir, 'some-bad.csv'), db, '--max-reject-rate', '0.5', '--rejects-file', file, '--run-id', 'within');
  expect(result.exitCode).toBe(0);
  expect(sqliteState(db, 'scores')).toMatchObject({ rowCount: 3, runs: [{ run_id: 'within', status: 'published', rows_read: 5, rows_scored: 3, rows_rejected: 2 }] });
  const rows = query<Record<string, unknown>>(db, 'SELECT table_name, run_id, seq, source, line, column_name, column_number, value, code, reason FROM prescore_rejects ORDER BY seq');
  expect(rows).toEqual(REJECTS.map((r, seq) => ({ table_name: 'scores', run_id: 'within', seq, ...r, source: `file://${join(dir, r.source)}` })));
  expect(readFileSync(file, 'utf8')).toBe(
    'source,line,column_name,column_number,value,code,reason\n' +
      `file://${join(dir, 'some-bad.csv')},3,age,2,x,CSV_NOT_A_NUMBER,"not a decimal number (digits, optional sign, point and exponent)"\n` +
      `file://${join(dir, 'some-bad.csv')},5,balance,5,"B2,1,2,3",CSV_COLUMN_COUNT,"expected 10 fields, found 4"\n`,
  );
});

it('records the rejects of a run that its reject limit stops, and publishes nothing', async () => {
  const db = join(dir, 'stopped.db');
  const file = join(dir, 'stopped-rejects.csv');
  const result = await score(join(dir, 'some-bad.csv'), db, '--rejects-file', file, '--run-id', 'stopped');
  expect(result.stderr).toContain(`error CSV_NOT_A_NUMBER: Row rejected`);
  expect(result.stderr).toContain(`some-bad.csv:3:2`);
  expect(result.exitCode).toBe(3);
  expect(sqliteState(db, 'scores')).toMatchObject({ rowCount: 0, runs: [{ run_id: 'stopped', status: 'failed', rows_rejected: 2 }] });
  expect(query<{ line: number }>(db, 'SELECT line FROM prescore_rejects WHERE run_id = ? ORDER BY seq', 'stopped').map((r) => r.line)).toEqual([3, 5]);
  expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3);
});

it('refuses a --rejects-file it cannot write, with exit 2, recording no run', async () => {
  const result = await score(join(dir, 'some-bad.csv'), join(dir, 'unwritable.db'), '--rejects-file', join(dir, 'no-such-dir', 'r.csv'));
  expect(result.stderr).toMatch(/error USAGE_INVALID_OPTION: --rejects-file cannot be written: ENOENT.*no-such-dir/);
  expect(result.exitCode).toBe(2);
  expect(sqliteState(join(dir, 'unwritable.db'), 'scores').runs).toEqual([]);
});

it('names both lines of an id repeated chunks apart, found by reading the input again', async () => {
  const ids = Array.from({ length: 400 }, (_, i) => customerId(i + 1));
  ids.splice(350, 0, customerId(40));
  const input = join(dir, 'repeat-far.csv');
  await writeCustomerCsv(input, { ids, seed: 9 });
  const result = await score(input, join(dir, 'far.db'), '--chunk-bytes', '500');
  const line = (n: number) => readFileSync(input, 'utf8').split('\n').findIndex((l, i) => i > 0 && l.startsWith(customerId(n))) + 1;
  expect(result.stderr).toContain(`error CSV_DUPLICATE_ID: Entity id "C000040" (column "customer_id") appears twice: first at line ${line(40)}, again at line`);
  expect(result.stderr).toMatch(/again at line (\d+) \(value "C000040"\) at file:\/\/.*repeat-far\.csv:\1:1\./);
  expect(result.exitCode).toBe(3);
});

it('--on-duplicate first|last keeps the first|last occurrence by line order, across chunks', async () => {
  const ids = ['D1', 'D2', 'D1', 'D3', 'D2', 'D4', 'D1'];
  const rows = ids.map((id, i) => `${id},${20 + 7 * i},${30000 + 9000 * i},${i},${100 * i},1,${i % 3},basic,North,`);
  const input = join(dir, 'repeats.csv');
  writeFileSync(input, [HEADER, ...rows, ''].join('\n'));
  const scoresOf = async (file: string, ...more: string[]) => {
    const db = join(dir, `${file}.db`);
    const result = await score(join(dir, file), db, ...more);
    expect(result.exitCode).toBe(0);
    return new Map(query<{ entity_id: string; score: number }>(db, 'SELECT entity_id, score FROM scores').map((r) => [r.entity_id, r.score]));
  };
  for (const keep of ['first', 'last'] as const) {
    const kept = ['D1', 'D2', 'D3', 'D4'].map((id) => rows[keep === 'first' ? ids.indexOf(id) : ids.lastIndexOf(id)]);
    writeFileSync(join(dir, `${keep}-only.csv`), [HEADER, ...kept, ''].join('\n'));
    // Two workers: chunks may come back out of order, and must still reach staging in input order.
    expect(await scoresOf('repeats.csv', '--on-duplicate', keep, '--chunk-bytes', '100', '--workers', '2'), keep).toEqual(await scoresOf(`${keep}-only.csv`));
  }
  expect(readFileSync(join(dir, 'first-only.csv'), 'utf8')).not.toBe(readFileSync(join(dir, 'last-only.csv'), 'utf8'));
});
