import type { ColumnType } from './sink.js';

/** The SQL dialects prescore writes. */
export const DIALECT_NAMES = ['sqlite', 'postgres'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

/** The few places where SQLite and Postgres SQL differ; everything else is shared text. */
export interface SqlDialect {
  readonly name: DialectName;
  /** A quoted identifier. */
  quote(name: string): string;
  /** A quoted table reference (Postgres: schema-qualified). */
  table(name: string): string;
  /** The SQL type of a value column. */
  type(type: ColumnType): string;
  /** `CREATE TABLE` for a table with a primary key. */
  createTable(name: string, columnsSql: string, options: CreateTableOptions): string;
  /** Statements that open every publish/rollback transaction. */
  readonly swapGuards: readonly string[];
  /** Statements that open the transaction creating the runs and locks tables, so concurrent first runs do not collide. */
  readonly setupGuards: readonly string[];
}

export interface CreateTableOptions {
  readonly ifNotExists?: boolean;
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * SQLite: every table has a text primary key, so WITHOUT ROWID stores rows in
 * the key's B-tree once instead of a rowid table plus an index (faster inserts).
 */
export const SQLITE_DIALECT: SqlDialect = {
  name: 'sqlite',
  quote,
  table: quote,
  type: (type) => ({ real: 'REAL', integer: 'INTEGER', text: 'TEXT' })[type],
  createTable: (name, columnsSql, { ifNotExists }) =>
    `CREATE TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${quote(name)} (${columnsSql}) WITHOUT ROWID`,
  swapGuards: [],
  // BEGIN IMMEDIATE already serialises writers.
  setupGuards: [],
};

/**
 * Postgres in `schema`. Staging tables are ordinary (LOGGED) tables, so the
 * table a swap publishes is crash-safe as loaded. Measured here on 1M rows
 * (bench/postgres-publish.ts): COPY into a logged table with its primary key
 * costs about 0.15 s more than into an UNLOGGED one, while `SET LOGGED` before
 * the swap rewrites and WAL-logs the whole table again, about 1 s.
 * The swap waits at most 5 s for readers' locks rather than queueing every new
 * reader behind it indefinitely.
 */
export function postgresDialect(schema: string): SqlDialect {
  return {
    name: 'postgres',
    quote,
    table: (name) => `${quote(schema)}.${quote(name)}`,
    type: (type) => ({ real: 'double precision', integer: 'bigint', text: 'text' })[type],
    createTable: (name, columnsSql, { ifNotExists }) => `CREATE TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${quote(schema)}.${quote(name)} (${columnsSql})`,
    swapGuards: [`SET LOCAL lock_timeout = '5s'`],
    // CREATE TABLE IF NOT EXISTS is not safe against itself: two sessions can both try and one fails on pg_type.
    setupGuards: [`SELECT pg_advisory_xact_lock(hashtext('prescore: create runs and locks tables'))`],
  };
}
