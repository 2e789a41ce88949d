import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe } from 'vitest';
import { openSink, redactUrl, type Sink } from '../../src/sinks/index.js';

/**
 * The databases every sink test runs against, as kysely loops over its
 * dialects. Each test file gets its own SQLite file and its own Postgres
 * schema, so files running in parallel never meet. Tests read through a plain
 * driver connection, as production does.
 */
export interface SinkTarget {
  readonly name: 'sqlite' | 'postgres';
  /** The `--output` value. */
  readonly output: string;
  readonly schema: string | undefined;
  open(): Promise<Sink>;
  /** A read through a separate connection; `?` placeholders. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Tables whose name starts with `prefix`, sorted. */
  tables(prefix: string): Promise<string[]>;
  cleanup(): Promise<void>;
}

export const POSTGRES_URL = process.env.PRESCORE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The targets of one test file. Postgres is left out, with the reason printed, when unreachable — unless CI=true. */
export async function sinkTargets(): Promise<SinkTarget[]> {
  const targets: SinkTarget[] = [sqliteTarget()];
  try {
    targets.push(await postgresTarget());
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    console.warn(`Skipping the Postgres sink tests: ${redactUrl(POSTGRES_URL)} is unreachable (${(error as Error).message}). Set PRESCORE_TEST_POSTGRES_URL.`);
  }
  return targets;
}

function sqliteTarget(): SinkTarget {
  const dir = mkdtempSync(join(tmpdir(), 'prescore-sinks-'));
  const path = join(dir, 'scores.db');
  let reader: Database.Database | undefined;
  const db = (): Database.Database => (reader ??= new Database(path));
  return {
    name: 'sqlite',
    output: `sqlite:${path}`,
    schema: undefined,
    open: () => openSink(`sqlite:${path}`),
    query: async <T>(sql: string, params: readonly unknown[] = []) => {
      const statement = db().prepare(sql);
      return (statement.reader ? statement.all(params) : (statement.run(params), [])) as T[];
    },
    tables: async (prefix) =>
      (db().prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, ?) = ? ORDER BY name`).all(prefix.length, prefix) as { name: string }[]).map(
        (r) => r.name,
      ),
    cleanup: async () => {
      reader?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresTarget(): Promise<SinkTarget> {
  const schema = `prescore_test_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  await client.connect();
  await client.query(`CREATE SCHEMA "${schema}"`);
  await client.query(`SET search_path TO "${schema}"`);
  const query = async <T>(sql: string, params: readonly unknown[] = []): Promise<T[]> => {
    let n = 0;
    return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params as unknown[])).rows as T[];
  };
  return {
    name: 'postgres',
    output: POSTGRES_URL,
    schema,
    open: () => openSink(POSTGRES_URL, { schema }),
    query,
    tables: async (prefix) =>
      (await query<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = ? AND left(tablename, ?) = ? ORDER BY tablename COLLATE "C"', [schema, prefix.length, prefix])).map(
        (r) => r.tablename,
      ),
    cleanup: async () => {
      await client.query(`DROP SCHEMA "${schema}" CASCADE`);
      await client.end();
    },
  };
}

/**
 * `describe.each(targets)` with a fresh sink per test, closed after it, and
 * every target cleaned up after the file. `sink()` is the current test's sink.
 */
export function describeEachSink(targets: readonly SinkTarget[], title: string, body: (target: SinkTarget, sink: () => Sink) => void): void {
  afterAll(async () => Promise.all(targets.map((t) => t.cleanup())));
  describe.each(targets)(`$name sink: ${title}`, (target) => {
    let current: Sink | undefined;
    beforeEach(async () => {
      current = await target.open();
    });
    afterEach(async () => current?.close());
    body(target, () => {
      if (current === undefined) throw new Error('no sink outside a test');
      return current;
    });
  });
}
