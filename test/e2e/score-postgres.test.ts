/**
 * `bin/prescore score` into the real Postgres: the same result as SQLite, credentials never shown, and a
 * run sharded over 4 processes (split by id hash, and by whole part files) that publishes exactly the
 * single-process result, once — also when a shard is SIGKILLed mid-run and started again.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ROOT, runCli, startCli, type CliResult } from '../support/run-cli.js';
import { POSTGRES_URL } from '../sinks/sink-targets.js';

const schema = `prescore_e2e_${randomBytes(4).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'prescore-pg-e2e-'));
const client = await connect();

/** A client of the test database in a fresh schema; undefined (the tests skip, saying why) when it is unreachable, unless CI=true. */
async function connect(): Promise<pg.Client | undefined> {
  const c = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await c.connect();
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    console.warn(`Skipping the Postgres end-to-end tests: the test database is unreachable (${(error as Error).message}). Set PRESCORE_TEST_POSTGRES_URL.`);
    return undefined;
  }
  await c.query(`CREATE SCHEMA "${schema}"`);
  return c;
}

afterAll(async () => {
  await client?.query(`DROP SCHEMA "${schema}" CASCADE`);
  await client?.end();
});

async function query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await client!.query(sql, params)).rows as T[];
}

/** The fixture's NaN scores (missing features) would stop every run at the default --max-nan-rate 0. */
const scoreArgs = (input: string, output: string, table: string, ...more: string[]) => [
  'score', '--model', join(ROOT, 'fixtures/models/logreg.onnx'), '--input', input, '--id-column', 'customer_id',
  '--output', output, '--table', table, '--max-nan-rate', '0.05', '--log-format', 'json', ...more,
];
const pgScore = (input: string, table: string, ...more: string[]) => runCli(scoreArgs(input, POSTGRES_URL, table, '--schema', schema, ...more));
const shardArgs = (input: string, table: string, i: number, ...more: string[]) => scoreArgs(input, POSTGRES_URL, table, '--schema', schema, '--shard', `${i}/4`, '--workers', '1', ...more);

const summaryOf = (result: CliResult): Record<string, unknown> => JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

interface Row {
  entity_id: string;
  score: number | null;
  model_version: string;
  run_id: string;
}

const pgRows = (table: string): Promise<Row[]> => query<Row>(`SELECT entity_id, score, model_version, run_id FROM "${schema}"."${table}" ORDER BY entity_id COLLATE "C"`);
const pgTables = async (prefix: string): Promise<string[]> =>
  (await query<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = $1 AND starts_with(tablename, $2) ORDER BY 1', [schema, prefix])).map((r) => r.tablename);
const pgRuns = (table: string) => query<{ run_id: string; status: string; rows_read: string; rows_scored: string; details: string; inputs: string }>(`SELECT * FROM "${schema}".prescore_runs WHERE table_name = $1`, [table]);

/** Entity id → score of a published table: the result the shards must reproduce. */
const scores = (rows: readonly Row[]): [string, number | null][] => rows.map((r) => [r.entity_id, r.score]);

/** The fixture's records (a quoted note may span lines; every record starts with its id). */
function fixtureRecords(): { header: string; records: string[] } {
  const [header, ...records] = readFileSync(join(ROOT, 'fixtures/customers.csv'), 'utf8').trimEnd().split(/\n(?=C\d{6},)/);
  return { header: header!, records };
}

describe.skipIf(client === undefined)('prescore score into Postgres', () => {
  const input = join(ROOT, 'fixtures/customers.csv');
  // The single-process result the sharded runs must reproduce.
  beforeAll(async () => {
    expect((await pgScore(input, 'single')).exitCode).toBe(0);
  });

  it('publishes what SQLite gets from the same run, with DATABASE_URL standing for --output', async () => {
    const db = join(dir, 'same.db');
    expect((await runCli(scoreArgs(input, `sqlite:${db}`, 'scores'))).exitCode).toBe(0);
    const args = scoreArgs(input, POSTGRES_URL, 'scores', '--schema', schema).filter((a, i, all) => a !== '--output' && all[i - 1] !== '--output');
    const result = await runCli(args, { env: { DATABASE_URL: POSTGRES_URL } });
    expect(result.stderr).not.toContain('"level":"error"');
    expect(result.exitCode).toBe(0);
    expect(summaryOf(result)).toMatchObject({ status: 'published', rowsRead: 200, rowsScored: 200 });
    const conn = new Database(db, { readonly: true });
    const sqlite = conn.prepare('SELECT entity_id, score, model_version FROM scores ORDER BY entity_id').all() as Row[];
    conn.close();
    const published = await pgRows('scores');
    expect(published.map(({ entity_id, score, model_version }) => ({ entity_id, score, model_version }))).toEqual(sqlite);
    // Missing features give NaN scores: NULL in both, as README's schema says.
    expect(published.filter((r) => r.score === null).length).toBeGreaterThan(0);
  });

  it('never shows a password: not in errors for an unreachable or malformed URL, nor in the summary', async () => {
    const refused = await runCli(scoreArgs(input, 'postgres://scorer:Hunter2-secret@127.0.0.1:1/prod', 't'));
    expect(refused.exitCode).toBe(6);
    expect(refused.stderr).toContain('postgres://scorer:***@127.0.0.1:1/prod');
    const malformed = await runCli(scoreArgs(input, 'postgres://scorer:Hunter2/secret@127.0.0.1:1/prod', 't'));
    expect(malformed.exitCode).toBe(2);
    expect(malformed.stderr).toContain('USAGE_INVALID_OPTION');
    for (const r of [refused, malformed]) expect(r.stdout + r.stderr).not.toMatch(/Hunter2|secret@/);
    const secret = new URL(POSTGRES_URL).password;
    const ok = await pgScore(input, 'redacted');
    expect(ok.exitCode).toBe(0);
    if (secret !== '') expect(ok.stdout + ok.stderr).not.toContain(secret);
  });

  it('4 shards started together, one input file split by id hash, publish exactly the single-process result, once', async () => {
    const results = await Promise.all([0, 1, 2, 3].map((i) => runCli(shardArgs(input, 'by_id', i))));
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
    const summaries = results.map(summaryOf);
    expect(summaries.map((s) => s.status).sort()).toEqual(['published', 'shard-done', 'shard-done', 'shard-done']);
    expect(summaries.map((s) => (s.shard as { split: string }).split)).toEqual(['id', 'id', 'id', 'id']);
    expect(new Set(summaries.map((s) => s.runId)).size).toBe(1);
    expect(summaries.reduce((n, s) => n + (s.rowsRead as number), 0)).toBe(200);
    await expectSameAsSingle('by_id', summaries[0]!.runId as string, 1);
  });

  it('4 shards over 6 part files take whole objects and publish the single-process result', async () => {
    const { header, records } = fixtureRecords();
    const parts = join(dir, 'parts');
    mkdirSync(parts);
    for (let p = 0; p < 6; p++) writeFileSync(join(parts, `part-${String(p).padStart(5, '0')}.csv`), `${[header, ...records.filter((_, i) => i % 6 === p)].join('\n')}\n`);
    const results = await Promise.all([0, 1, 2, 3].map((i) => runCli(shardArgs(join(parts, 'part-*.csv'), 'by_object', i))));
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
    const summaries = results.map(summaryOf);
    expect(summaries.map((s) => (s.shard as { split: string }).split)).toEqual(['object', 'object', 'object', 'object']);
    expect(summaries.map((s) => (s.inputs as unknown[]).length)).toEqual([2, 2, 1, 1]);
    await expectSameAsSingle('by_object', summaries[0]!.runId as string, 6);
  });

  it('a shard SIGKILLed mid-run holds the publish back, and started again completes the run with the same result', async () => {
    const { header, records } = fixtureRecords();
    const big = join(dir, 'big.csv');
    const copies = 500;
    const lines = [header];
    for (let c = 0; c < copies; c++) for (const r of records) lines.push(r.replace(/^C(\d{6})/, (_, id: string) => `K${String(c).padStart(4, '0')}${id}`));
    writeFileSync(big, `${lines.join('\n')}\n`);
    expect((await pgScore(big, 'single_big')).exitCode).toBe(0);

    const more = ['--chunk-bytes', '16384'];
    const victim = startCli(shardArgs(big, 'big', 2, ...more));
    const others = [0, 1, 3].map((i) => runCli(shardArgs(big, 'big', i, ...more)));
    await victim.event('staging');
    await waitFor(async () => (await query('SELECT 1 FROM "' + schema + '".prescore_shards WHERE table_name = $1 AND shard = 2 AND status = $2', ['big', 'running'])).length > 0);
    const staging = (await pgTables('big__staging_'))[0]!;
    await waitFor(async () => (await query(`SELECT 1 FROM "${schema}"."${staging}" WHERE "prescore shard" = 2 LIMIT 1`)).length > 0);
    victim.kill('SIGKILL');
    expect((await victim.done).signal).toBe('SIGKILL');
    for (const r of await Promise.all(others)) expect(r.exitCode, r.stderr).toBe(0);
    // Three shards done, one dead: nothing published, the run still open for the retry.
    expect(await pgTables('big')).toEqual([staging]);
    expect(await pgRuns('big')).toMatchObject([{ status: 'running' }]);

    const retry = await runCli(shardArgs(big, 'big', 2, ...more));
    expect(retry.exitCode, retry.stderr).toBe(0);
    expect(summaryOf(retry)).toMatchObject({ status: 'published', shard: { index: 2, shardsDone: 4 } });
    const published = await pgRows('big');
    expect(published).toHaveLength(copies * records.length);
    expect(scores(published)).toEqual(scores(await pgRows('single_big')));
    expect(await pgRuns('big')).toMatchObject([{ status: 'published', rows_read: String(copies * records.length) }]);
  });
});

/** The sharded table equals `single`'s scores, every row from run `runId`, recorded once as published with its shards and objects. */
async function expectSameAsSingle(table: string, runId: string, objects: number): Promise<void> {
  const published = await pgRows(table);
  expect(scores(published)).toEqual(scores(await pgRows('single')));
  expect(new Set(published.map((r) => r.run_id))).toEqual(new Set([runId]));
  const runs = await pgRuns(table);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ run_id: runId, status: 'published', rows_read: '200', rows_scored: '200' });
  expect(JSON.parse(runs[0]!.details)).toMatchObject({ shards: 4 });
  expect(JSON.parse(runs[0]!.inputs)).toHaveLength(objects);
  expect(await query('SELECT shard, status FROM "' + schema + '".prescore_shards WHERE table_name = $1 AND status = $2', [table, 'done'])).toHaveLength(4);
  expect(await pgTables(table)).toEqual([table]);
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await sleep(10);
  }
  throw new Error('timed out waiting for the shard to write');
}

describe('sharding options', () => {
  it('refuses a sharded run into SQLite, and an Indexed Job index without the shard count (exit 2)', async () => {
    const input = join(ROOT, 'fixtures/customers.csv');
    const sqlite = await runCli(scoreArgs(input, `sqlite:${join(dir, 'x.db')}`, 't', '--shard', '0/2'));
    expect(sqlite.exitCode).toBe(2);
    expect(sqlite.stderr).toMatch(/USAGE_INVALID_OPTION.*SQLite is single-machine/);
    const indexed = await runCli(scoreArgs(input, POSTGRES_URL, 't'), { env: { JOB_COMPLETION_INDEX: '3' } });
    expect(indexed.exitCode).toBe(2);
    expect(indexed.stderr).toMatch(/USAGE_INVALID_OPTION.*JOB_COMPLETION_INDEX=3.*--shards N/);
  });
});
