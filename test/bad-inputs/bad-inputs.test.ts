/**
 * The corpus of broken inputs (files/): each one, fed to a real `bin/prescore score` run against a
 * database where a good run has published, must end with its documented exit code and error code,
 * name where the fault is (file, and line and column where there are some), and leave the published
 * table, the earlier runs' records and the set of tables exactly as they were.
 */
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { ROOT, runCli } from '../support/run-cli.js';
import { sqliteState, writeCustomerCsv, type SqliteState } from '../support/sqlite-state.js';

const FILES = join(ROOT, 'test/bad-inputs/files');
const LOGREG = join(ROOT, 'fixtures/models/logreg.onnx');
const GOOD_PART = join(FILES, 'good-part.csv');

interface BadInput {
  /** The broken file (in files/): the input, or the model when it ends in .onnx. */
  readonly file: string;
  readonly exit: number;
  /** The error code, or a pattern where the model stage's codes are finer-grained. */
  readonly code: string | RegExp;
  /** What must follow the file name in the message: `:line`, `:line:column`, or '' for the file alone. */
  readonly at: string;
  /** More text the message must hold. */
  readonly says?: RegExp;
  readonly args?: readonly string[];
  /** Inputs listed before the broken file (a multi-part table). */
  readonly before?: readonly string[];
}

const CORPUS: readonly BadInput[] = [
  { file: 'empty.csv', exit: 3, code: 'CSV_EMPTY', at: '' },
  { file: 'blank-lines.csv', exit: 3, code: 'CSV_EMPTY', at: '' },
  { file: 'header-only.csv', exit: 3, code: 'CSV_NO_ROWS', at: '' },
  { file: 'header-only-bom-crlf.csv', exit: 3, code: 'CSV_NO_ROWS', at: '' },
  { file: 'missing-id-column.csv', exit: 3, code: 'CSV_MISSING_ID_COLUMN', at: ':1', says: /Columns are: id, age/ },
  { file: 'semicolon-delimited.csv', exit: 3, code: 'CSV_MISSING_ID_COLUMN', at: ':1', says: /customer_id;age;income/ },
  { file: 'duplicate-header.csv', exit: 3, code: 'CSV_DUPLICATE_HEADER', at: ':1:4', says: /"age" appears twice, as columns 2 and 4/ },
  { file: 'header-invalid-utf8.csv', exit: 3, code: 'CSV_INVALID_UTF8', at: ':1' },
  { file: 'header-unclosed-quote.csv', exit: 3, code: 'CSV_UNCLOSED_QUOTE', at: ':1' },
  { file: 'unclosed-quote-eof.csv', exit: 3, code: 'CSV_UNCLOSED_QUOTE', at: ':5' },
  { file: 'too-few-fields.csv', exit: 3, code: 'CSV_COLUMN_COUNT', at: ':3:5', says: /expected 10 fields, found 4/ },
  { file: 'too-many-fields.csv', exit: 3, code: 'CSV_COLUMN_COUNT', at: ':3:11', says: /found 11/ },
  { file: 'crlf-bom-junk.csv', exit: 3, code: 'CSV_COLUMN_COUNT', at: ':3:2' },
  { file: 'not-a-number.csv', exit: 3, code: 'CSV_NOT_A_NUMBER', at: ':3:3', says: /"income"\) \(value "abc"\)/ },
  { file: 'comma-decimal.csv', exit: 3, code: 'CSV_NOT_A_NUMBER', at: ':2:3', says: /value "52000,5"/ },
  { file: 'overflow-number.csv', exit: 3, code: 'CSV_NOT_A_NUMBER', at: ':4:5', says: /value "1e400"/ },
  { file: 'nul-byte.csv', exit: 3, code: 'CSV_NOT_A_NUMBER', at: ':3:2' },
  { file: 'stray-quote.csv', exit: 3, code: 'CSV_INVALID_QUOTE', at: ':3:10' },
  { file: 'empty-id.csv', exit: 3, code: 'CSV_EMPTY_ID', at: ':3:1' },
  { file: 'long-id.csv', exit: 3, code: 'CSV_FIELD_TOO_LONG', at: ':3:1' },
  { file: 'long-field.csv.gz', exit: 3, code: 'CSV_FIELD_TOO_LONG', at: ':3:3' },
  { file: 'latin1-id.csv', exit: 3, code: 'CSV_INVALID_UTF8', at: ':3:1' },
  { file: 'duplicate-ids.csv', exit: 3, code: 'CSV_DUPLICATE_ID', at: ':5:1', says: /"C2" .*first at line 3, again at line 5/ },
  { file: 'many-rejects.csv', exit: 3, code: 'CSV_TOO_MANY_REJECTS', at: ':3:2', args: ['--max-rejects', '1'], says: /2 rows rejected/ },
  { file: 'part-renamed-column.csv', exit: 3, code: 'CSV_HEADER_MISMATCH', at: ':1:7', before: [GOOD_PART], says: /"support_tickets" instead of "support_calls"/ },
  { file: 'missing-feature-column.csv', exit: 4, code: 'MODEL_MISSING_COLUMN', at: ':1', says: /"balance"/ },
  { file: 'truncated.csv.gz', exit: 5, code: 'SOURCE_READ_FAILED', at: '', says: /not valid gzip/ },
  { file: 'not-gzip.csv.gz', exit: 5, code: 'SOURCE_READ_FAILED', at: '', says: /not gzip/ },
  { file: 'truncated.onnx', exit: 4, code: /MODEL_(TRUNCATED|NOT_ONNX|LOAD_FAILED)/, at: '' },
  { file: 'text.onnx', exit: 4, code: 'MODEL_NOT_ONNX', at: '' },
  { file: 'empty.onnx', exit: 4, code: 'MODEL_NOT_ONNX', at: '' },
  { file: 'gzipped.onnx', exit: 4, code: 'MODEL_NOT_ONNX', at: '' },
  { file: 'random-bytes.onnx', exit: 4, code: /MODEL_(NOT_ONNX|LOAD_FAILED)/, at: '' },
];

let dir: string;
let baseline: SqliteState;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prescore-bad-inputs-'));
  const good = join(dir, 'good.csv');
  await writeCustomerCsv(good, { rows: 300, seed: 6 });
  const published = await runCli(['score', '--model', LOGREG, '--input', good, '--id-column', 'customer_id', '--output', `sqlite:${join(dir, 'baseline.db')}`, '--table', 'scores', '--workers', '1']);
  expect(published.stderr).not.toContain('error');
  expect(published.exitCode).toBe(0);
  baseline = sqliteState(join(dir, 'baseline.db'), 'scores');
  expect(baseline.rowCount).toBe(300);
});

it('holds at least 25 broken inputs, and uses every file of the corpus', () => {
  expect(CORPUS.length).toBeGreaterThanOrEqual(25);
  expect([...CORPUS.map((c) => c.file), 'good-part.csv'].sort()).toEqual(readdirSync(FILES).sort());
});

describe.concurrent('a broken input', () => {
  it.each(CORPUS.map((c) => [c.file, c] as const))('%s', async (file, c) => {
    const db = join(dir, `${file}.db`);
    copyFileSync(join(dir, 'baseline.db'), db);
    const model = file.endsWith('.onnx') ? join(FILES, file) : LOGREG;
    const input = file.endsWith('.onnx') ? GOOD_PART : [...(c.before ?? []), join(FILES, file)].join(',');
    const result = await runCli(['score', '--model', model, '--input', input, '--id-column', 'customer_id', '--output', `sqlite:${db}`, '--table', 'scores', '--workers', '1', ...(c.args ?? [])]);

    const error = /^prescore: error (\w+): (.*)$/m.exec(result.stderr);
    expect(error, result.stderr).not.toBeNull();
    const [, code, message] = error!;
    if (typeof c.code === 'string') expect(code).toBe(c.code);
    else expect(code).toMatch(c.code);
    expect(result.exitCode).toBe(c.exit);
    expect(message).toContain(`${file}${c.at}`);
    if (c.at !== '') expect(message).not.toContain(`${file}${c.at}:`);
    if (c.says) expect(message).toMatch(c.says);

    const after = sqliteState(db, 'scores');
    expect(after.digest).toBe(baseline.digest);
    expect(after.tables).toEqual(baseline.tables);
    const earlier = (r: Record<string, unknown>): boolean => baseline.runs.some((b) => b.run_id === r.run_id);
    expect(after.runs.filter(earlier)).toEqual(baseline.runs);
    // By id, not position: runs are ordered by run id, and two runs started in the same second sort by their random suffix.
    for (const run of after.runs.filter((r) => !earlier(r))) expect(run).toMatchObject({ status: 'failed', error: expect.stringContaining(file) });
  });
});
