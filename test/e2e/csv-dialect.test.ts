/**
 * The CSV dialects a nightly export comes in, end to end: the same table written with a UTF-8 BOM,
 * CRLF line ends, `;` or tab delimiters (--delimiter), every field quoted, blank lines anywhere, and
 * ids holding delimiters, doubled quotes, line breaks and non-ASCII text, must publish exactly the
 * scores of the plain version. (The broken dialect cases — unclosed quote, invalid UTF-8, empty file,
 * header only, missing id column, duplicate header — are in test/bad-inputs.)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';

import { ROOT, runCli } from '../support/run-cli.js';

const HEADER = ['customer_id', 'age', 'income', 'tenure_months', 'balance', 'num_products', 'support_calls', 'plan', 'region', 'note'];
const ROWS: readonly (readonly string[])[] = [
  ['plain', '34', '52000.5', '12', '1500.25', '2', '1', 'basic', 'North', ''],
  ['comma,id', '51', '87000', '40', '-20.5', '1', '0', 'plus', 'Washington, D.C.', 'said "cancel" twice'],
  ['quote"d', ' 27 ', '31000', '3', '0', '1', '4', 'basic', 'South', 'a;b\tc'],
  ['line\nbreak', '45', '1e5', '20', '7.5', '3', '2', 'pro', 'Île-de-France', 'moved house\nnew address'],
  ['ünï€😀', '62', '64000', '33', '999', '1', '5', 'basic', 'Bavaria', ''],
];

interface Dialect {
  readonly delimiter?: string;
  readonly eol?: string;
  readonly bom?: boolean;
  readonly quoteAll?: boolean;
  /** Blank lines before the header, between rows and at the end. */
  readonly blankLines?: boolean;
}

/** Writes HEADER and ROWS in a dialect, quoting by RFC 4180 (a field with the delimiter, a quote or a line break). */
function serialize(d: Dialect): string {
  const delimiter = d.delimiter ?? ',';
  const eol = d.eol ?? '\n';
  const field = (text: string) => (d.quoteAll || text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const lines = [HEADER, ...ROWS].map((cells) => cells.map(field).join(delimiter));
  const body = d.blankLines ? ['', ...lines.flatMap((line, i) => (i % 2 === 1 ? [line, ''] : [line])), ''] : lines;
  return `${d.bom ? '\ufeff' : ''}${body.join(eol)}${eol}`;
}

const DIALECTS: Readonly<Record<string, Dialect>> = {
  'UTF-8 BOM and CRLF line ends': { bom: true, eol: '\r\n' },
  'semicolon delimiter': { delimiter: ';' },
  'tab delimiter': { delimiter: '\t' },
  'every field quoted': { quoteAll: true },
  'blank lines (LF and CRLF) around and between rows': { blankLines: true, eol: '\r\n' },
};

let dir: string;

async function scores(name: string, d: Dialect): Promise<Map<string, number>> {
  const input = join(dir, `${name.replace(/\W+/g, '-')}.csv`);
  const db = `${input}.db`;
  writeFileSync(input, serialize(d));
  const result = await runCli([
    'score', '--model', join(ROOT, 'fixtures/models/logreg.onnx'), '--input', input, '--id-column', 'customer_id',
    '--output', `sqlite:${db}`, '--table', 'scores', '--workers', '1', ...(d.delimiter ? ['--delimiter', d.delimiter] : []),
  ]);
  expect(result.stderr).not.toContain('error');
  expect(result.exitCode).toBe(0);
  const conn = new Database(db, { readonly: true });
  try {
    return new Map((conn.prepare('SELECT entity_id, score FROM scores').all() as { entity_id: string; score: number }[]).map((r) => [r.entity_id, r.score]));
  } finally {
    conn.close();
  }
}

let plain: Map<string, number>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prescore-dialect-'));
  plain = await scores('plain', {});
});

it('the plain version publishes every id exactly as written, embedded delimiters, quotes and line breaks included', () => {
  expect([...plain.keys()].sort()).toEqual(ROWS.map((r) => r[0]).sort());
  for (const score of plain.values()) expect(Number.isFinite(score)).toBe(true);
});

describe.concurrent('publishes the same scores as the plain version', () => {
  it.each(Object.entries(DIALECTS))('%s', async (name, dialect) => {
    const got = await scores(name, dialect);
    // A line break inside a quoted field is data: written as CRLF, the id holds CRLF.
    const ids = new Map([...got].map(([id, score]) => [id.replaceAll('\r\n', '\n'), score]));
    expect(ids).toEqual(plain);
  });
});
