import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PrescoreError } from '../errors/index.js';
import { copyText } from './copy-text.js';
import { redactUrl } from './redact-url.js';
import type { Sink } from './sink.js';
import { sinkFailed } from './sink-failure.js';
import { postgresDialect, type SqlDialect } from './sql-dialect.js';
import type { ExclusiveLock, RowBlock, SqlSession, SqlValue } from './sql-session.js';
import { columnList } from './table-columns.js';
import type { ProcessIdentity } from './table-lock.js';
import { TableSink } from './table-sink.js';

/**
 * Connects to Postgres as a sink writing into `schema` (validated by the
 * caller; it must exist). One connection: the advisory lock that guards a
 * table lives as long as this session. Throws USAGE_INVALID_OPTION (a URL that
 * does not parse), SINK_FAILED; the password never appears in the error.
 */
export async function openPostgresSink(url: string, schema: string, me?: ProcessIdentity): Promise<Sink> {
  const location = `Postgres ${redactUrl(url)} (schema ${schema})`;
  if (!URL.canParse(url)) {
    throw new PrescoreError('USAGE_INVALID_OPTION', '--output is not a valid postgres:// URL', {
      value: redactUrl(url),
      hint: 'Percent-encode the characters / # @ ? : and spaces in the user name and password (e.g. %2F for /)',
    });
  }
  const client = new pg.Client({ connectionString: url, application_name: 'prescore' });
  // Without a listener a dropped connection would crash the process; the next query reports it instead.
  client.on('error', () => undefined);
  const session = new PostgresSession(client, schema, location);
  try {
    await client.connect();
  } catch (error) {
    throw sinkFailed(location, error);
  }
  const found = await session.all('SELECT 1 FROM pg_namespace WHERE nspname = ?', [schema]);
  if (found.length === 0) {
    await session.close();
    throw new PrescoreError('SINK_FAILED', `${location}: schema "${schema}" does not exist`, { hint: `Create it (CREATE SCHEMA "${schema}") or pass an existing one with --schema` });
  }
  return TableSink.open(session, me);
}

/** The pg adapter: `?` placeholders become `$n`, bulk loads go through COPY FROM STDIN. */
class PostgresSession implements SqlSession {
  readonly dialect: SqlDialect;

  constructor(
    private readonly client: pg.Client,
    private readonly schema: string,
    readonly location: string,
  ) {
    this.dialect = postgresDialect(schema);
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.query(sql, params)).rows as T[];
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.query('BEGIN', []);
    try {
      const result = await work();
      await this.query('COMMIT', []);
      return result;
    } catch (error) {
      // The original error matters; a failed ROLLBACK means the connection is gone and the server rolls back anyway.
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async existingTables(names: readonly string[]): Promise<Set<string>> {
    const rows = await this.query('SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename = ANY($2::text[])', [this.schema, names]);
    return new Set(rows.rows.map((r: { tablename: string }) => r.tablename));
  }

  async tableColumns(name: string): Promise<string[]> {
    const rows = await this.query('SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position', [
      this.schema,
      name,
    ]);
    return rows.rows.map((r: { column_name: string }) => r.column_name);
  }

  async tryExclusive(table: string): Promise<ExclusiveLock> {
    const rows = await this.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [this.lockKey(table)]);
    return rows.rows[0]?.ok === true ? 'acquired' : 'busy';
  }

  async releaseExclusive(table: string): Promise<void> {
    await this.query('SELECT pg_advisory_unlock($1::bigint)', [this.lockKey(table)]);
  }

  async tryShared(table: string): Promise<ExclusiveLock> {
    const rows = await this.query('SELECT pg_try_advisory_lock_shared($1::bigint) AS ok', [this.lockKey(table)]);
    return rows.rows[0]?.ok === true ? 'acquired' : 'busy';
  }

  async releaseShared(table: string): Promise<void> {
    await this.query('SELECT pg_advisory_unlock_shared($1::bigint)', [this.lockKey(table)]);
  }

  async serialize(key: string): Promise<void> {
    await this.query('SELECT pg_advisory_xact_lock($1::bigint)', [this.lockKey(key)]);
  }

  async bulkInsert(table: string, columns: readonly string[], rows: RowBlock): Promise<void> {
    const sql = `COPY ${this.dialect.table(table)} (${columnList(this.dialect, columns)}) FROM STDIN`;
    try {
      await pipeline(Readable.from(copyText(rows)), this.client.query(copyFrom(sql)));
    } catch (error) {
      throw sinkFailed(this.location, error, sql);
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  /** Advisory locks share one 64-bit key space per database: hash a prescore-specific name into it. */
  private lockKey(table: string): string {
    return createHash('sha256').update(`prescore:${this.schema}.${table}`).digest().readBigInt64BE(0).toString();
  }

  /** Runs a query, numbering `?` placeholders as `$1, $2, …` (no identifier or literal in prescore SQL contains `?`). */
  private async query(sql: string, params: readonly unknown[]): Promise<pg.QueryResult> {
    let n = 0;
    const text = sql.includes('?') ? sql.replace(/\?/g, () => `$${++n}`) : sql;
    try {
      return await this.client.query(text, params as unknown[]);
    } catch (error) {
      throw sinkFailed(this.location, error, text);
    }
  }
}
