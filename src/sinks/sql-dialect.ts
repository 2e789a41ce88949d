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
  /**
   * The definition of a column whose value is `value` in every row, kept once
   * in the table's schema rather than in each row; undefined where the
   * dialect stores it in the rows (see `withRunConstants`).
   */
  constantColumn(name: string, type: ColumnType, value: string): string | undefined;
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

const SQLITE_TYPES: Readonly<Record<ColumnType, string>> = { real: 'REAL', integer: 'INTEGER', text: 'TEXT' };

/**
 * A value as an SQLite literal (SQL strings double their quotes), or undefined
 * when it must stay a bound parameter: NUL would end the statement text early,
 * and NaN/Infinity have no literal.
 */
export function sqliteLiteral(value: string | number | bigint | null): string | undefined {
  if (value === null) return 'NULL';
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  return value.includes('\u0000') ? undefined : `'${value.replaceAll("'", "''")}'`;
}

/**
 * SQLite: every table has a text primary key, so WITHOUT ROWID stores rows in
 * the key's B-tree once instead of a rowid table plus an index (faster inserts).
 */
export const SQLITE_DIALECT: SqlDialect = {
  name: 'sqlite',
  quote,
  table: quote,
  type: (type) => SQLITE_TYPES[type],
  createTable: (name, columnsSql, { ifNotExists }) =>
    `CREATE TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${quote(name)} (${columnsSql}) WITHOUT ROWID`,
  // A virtual generated column: readers see the value in every row (SELECT * included), the rows
  // do not hold it. PRAGMA table_info leaves such columns out; table_xinfo lists them.
  constantColumn: (name, type, value) => {
    const literal = sqliteLiteral(value);
    return literal === undefined ? undefined : `${quote(name)} ${SQLITE_TYPES[type]} GENERATED ALWAYS AS (${literal}) VIRTUAL`;
  },
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
    // Postgres 15 has stored generated columns only: a constant is written in every row, as COPY does.
    constantColumn: () => undefined,
    swapGuards: [`SET LOCAL lock_timeout = '5s'`],
    // CREATE TABLE IF NOT EXISTS is not safe against itself: two sessions can both try and one fails on pg_type.
    setupGuards: [`SELECT pg_advisory_xact_lock(hashtext('prescore: create runs and locks tables'))`],
  };
}
