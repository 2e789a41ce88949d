import type { SqlDialect } from './sql-dialect.js';

/** A value bound to a statement parameter. */
export type SqlValue = string | number | bigint | null;

/** One SQL statement with `?` placeholders and its parameters. */
export interface Statement {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/**
 * Rows to load, column-major: `columns[c]` is either one value per row or one
 * constant for every row (run id, model version) so no per-row copy is made.
 */
export interface RowBlock {
  readonly rowCount: number;
  readonly columns: readonly BlockColumn[];
}

export type BlockColumn = { readonly values: ArrayLike<SqlValue> } | { readonly constant: SqlValue };

/** The value of `column` at `row`. */
export function cellAt(column: BlockColumn, row: number): SqlValue {
  return 'constant' in column ? column.constant : (column.values[row] ?? null);
}

/** Result of asking for the session-scoped exclusive lock of a table. */
export type ExclusiveLock = 'acquired' | 'busy' | 'unsupported';

/**
 * What the dialect-neutral sink needs from a database connection. Adapters
 * (sqlite-sink.ts, postgres-sink.ts) are the only places that import a driver.
 * SQL uses `?` placeholders on every dialect; identifiers never contain `?`
 * because every name is validated or derived from validated parts.
 * One operation at a time: a session is one connection. Errors are SINK_FAILED.
 */
export interface SqlSession {
  readonly dialect: SqlDialect;
  /** Where the data lives, credentials redacted, for messages. */
  readonly location: string;
  /** Runs a statement; returns the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs a query and returns its rows. */
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /**
   * Runs `work` in one write transaction (SQLite: BEGIN IMMEDIATE, so the write
   * lock is taken up front and a busy database fails at BEGIN, not half-way).
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** Which of `names` exist as tables in the sink's schema. */
  existingTables(names: readonly string[]): Promise<Set<string>>;
  /** Column names of a table in the sink's schema, in order. */
  tableColumns(name: string): Promise<string[]>;
  /** A lock held by this connection until released or closed (Postgres advisory lock). */
  tryExclusive(key: string): Promise<ExclusiveLock>;
  releaseExclusive(key: string): Promise<void>;
  /** The same lock in shared mode: any number of sessions hold it together (the shards of one run), none while one holds it exclusively. */
  tryShared(key: string): Promise<ExclusiveLock>;
  releaseShared(key: string): Promise<void>;
  /** Waits for a lock on `key` held until the current transaction ends (Postgres: transaction advisory lock; SQLite: BEGIN IMMEDIATE serialises already). */
  serialize(key: string): Promise<void>;
  /** Appends rows fast (SQLite: multi-row INSERTs; Postgres: COPY). Plain inserts: a duplicate key is an error. */
  bulkInsert(table: string, columns: readonly string[], rows: RowBlock): Promise<void>;
  close(): Promise<void>;
}

/** Runs statements one after another on `session`; returns the number of rows they changed in all. */
export async function execute(session: SqlSession, statements: readonly Statement[]): Promise<number> {
  let changed = 0;
  for (const s of statements) changed += await session.run(s.sql, s.params);
  return changed;
}
