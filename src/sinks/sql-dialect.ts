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
  /** `CREATE TABLE` for a table with a primary key; scratch tables need not survive a crash. */
  createTable(name: string, columnsSql: string, options: CreateTableOptions): string;
  /** Statements that make a filled scratch table crash-safe before it is published. */
  makeDurable(name: string): string[];
  /** Statements that open every publish/rollback transaction. */
  readonly swapGuards: readonly string[];
  /** Statements that open the transaction creating the runs and locks tables, so concurrent first runs do not collide. */
  readonly setupGuards: readonly string[];
}

export interface CreateTableOptions {
  readonly scratch?: boolean;
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
  makeDurable: () => [],
  swapGuards: [],
  // BEGIN IMMEDIATE already serialises writers.
  setupGuards: [],
};

/**
 * Postgres in `schema`. Scratch (staging) tables are UNLOGGED for a cheap load;
 * they are made LOGGED before publishing, or a crash would truncate the
 * published table. The swap waits at most 5 s for readers' locks rather than
 * queueing every new reader behind it indefinitely.
 */
export function postgresDialect(schema: string): SqlDialect {
  return {
    name: 'postgres',
    quote,
    table: (name) => `${quote(schema)}.${quote(name)}`,
    type: (type) => ({ real: 'double precision', integer: 'bigint', text: 'text' })[type],
    createTable: (name, columnsSql, { scratch, ifNotExists }) =>
      `CREATE ${scratch ? 'UNLOGGED ' : ''}TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${quote(schema)}.${quote(name)} (${columnsSql})`,
    makeDurable: (name) => [`ALTER TABLE ${quote(schema)}.${quote(name)} SET LOGGED`],
    swapGuards: [`SET LOCAL lock_timeout = '5s'`],
    // CREATE TABLE IF NOT EXISTS is not safe against itself: two sessions can both try and one fails on pg_type.
    setupGuards: [`SELECT pg_advisory_xact_lock(hashtext('prescore: create runs and locks tables'))`],
  };
}
