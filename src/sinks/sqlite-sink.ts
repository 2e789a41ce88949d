import Database from 'better-sqlite3';
import type { Sink } from './sink.js';
import { sinkFailed } from './sink-failure.js';
import { SQLITE_DIALECT, sqliteLiteral } from './sql-dialect.js';
import { cellAt, type BlockColumn, type ExclusiveLock, type RowBlock, type SqlSession, type SqlValue } from './sql-session.js';
import { columnList } from './table-columns.js';
import { TableSink } from './table-sink.js';
import type { ProcessIdentity } from './table-lock.js';

/**
 * Rows per INSERT statement. One row per statement costs 2.5x more CPU (see
 * DESIGN.md, "Where the time goes"); beyond ~150 the gain flattens.
 */
const ROWS_PER_STATEMENT = 150;

/** SQLITE_MAX_VARIABLE_NUMBER of the SQLite that better-sqlite3 bundles. */
const MAX_PARAMS = 32_766;

/** How long a statement waits for another connection's write lock before SQLITE_BUSY (ms). */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * better-sqlite3 blocks the thread while it waits for another connection's
 * write lock, so if two connections of this process interleaved their
 * transactions, the waiting one would stall the event loop the holder needs
 * to finish: a deadlock until busy_timeout. All writes of this process take
 * turns instead.
 */
let writeTurn: Promise<unknown> = Promise.resolve();

function takeTurn<T>(work: () => Promise<T>): Promise<T> {
  const result = writeTurn.then(work);
  writeTurn = result.catch(() => undefined);
  return result;
}

/**
 * Opens (creating if needed) a SQLite database file as a sink. WAL mode lets
 * production readers keep reading during loads and see a publish as one
 * atomic commit. Throws SINK_FAILED.
 */
export async function openSqliteSink(path: string, me?: ProcessIdentity): Promise<Sink> {
  const location = `SQLite database ${path}`;
  let db: Database.Database;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // In WAL mode NORMAL cannot corrupt the database; a power cut may undo the last commits, never half of one.
    db.pragma('synchronous = NORMAL');
  } catch (error) {
    throw sinkFailed(location, error);
  }
  return TableSink.open(new SqliteSession(db, location), me);
}

/** The better-sqlite3 adapter. Its calls are synchronous; the promises only fit the shared interface. */
class SqliteSession implements SqlSession {
  readonly dialect = SQLITE_DIALECT;
  /** Multi-row INSERTs, prepared once per (table, columns, row count). */
  private readonly inserts = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    readonly location: string,
  ) {}

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const write = async (): Promise<number> => this.guard(sql, () => this.db.prepare(sql).run(params).changes);
    return this.db.inTransaction ? write() : takeTurn(write);
  }

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.guard(sql, () => this.db.prepare(sql).all(params) as T[]);
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    return takeTurn(async () => {
      this.guard('BEGIN IMMEDIATE', () => this.db.exec('BEGIN IMMEDIATE'));
      try {
        const result = await work();
        this.guard('COMMIT', () => this.db.exec('COMMIT'));
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  async existingTables(names: readonly string[]): Promise<Set<string>> {
    if (names.length === 0) return new Set();
    const rows = await this.all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (${names.map(() => '?').join(', ')})`, names);
    return new Set(rows.map((r) => r.name));
  }

  async tableColumns(name: string): Promise<string[]> {
    // table_xinfo, not table_info: a replace run's constant columns are generated (sql-dialect.ts). Hidden 1 is a virtual table's.
    return (await this.all<{ name: string }>('SELECT name FROM pragma_table_xinfo(?) WHERE hidden <> 1', [name])).map((r) => r.name);
  }

  /** SQLite has no session locks: the locks row alone decides, with pid and heartbeat checks. */
  async tryExclusive(): Promise<ExclusiveLock> {
    return 'unsupported';
  }

  async releaseExclusive(): Promise<void> {}

  async tryShared(): Promise<ExclusiveLock> {
    return 'unsupported';
  }

  async releaseShared(): Promise<void> {}

  async serialize(): Promise<void> {}

  async bulkInsert(table: string, columns: readonly string[], rows: RowBlock): Promise<void> {
    // Columns constant for the whole run (run id, model version, time) are written as SQL
    // literals in the statement: binding them for every row cost ~35% of the insert CPU.
    const literals = rows.columns.map((c) => ('constant' in c ? sqliteLiteral(c.constant) : undefined));
    const varying = rows.columns.filter((_, i) => literals[i] === undefined);
    const width = varying.length;
    const step = Math.max(1, Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_PARAMS / Math.max(1, width))));
    const params: SqlValue[] = new Array<SqlValue>(step * width);
    let row = 0;
    // Parameters as arguments, not one array: better-sqlite3 reads an array's elements through V8's
    // object API, ~10% of the sink's instructions per row (bench/sink-run.ts under callgrind).
    this.guard(`INSERT INTO ${table}`, () => {
      const full = this.insertStatement(table, columns, literals, step);
      for (; row + step <= rows.rowCount; row += step) full.run(...fill(params, varying, row, step));
      const rest = rows.rowCount - row;
      if (rest > 0) this.insertStatement(table, columns, literals, rest).run(...fill(new Array<SqlValue>(rest * width), varying, row, rest));
    });
  }

  async close(): Promise<void> {
    this.guard('close', () => this.db.close());
  }

  private insertStatement(table: string, columns: readonly string[], literals: readonly (string | undefined)[], count: number): Database.Statement {
    const tuple = `(${literals.map((literal) => literal ?? '?').join(', ')})`;
    const key = `${table}\u0000${columns.join(',')}\u0000${tuple}\u0000${count}`;
    let statement = this.inserts.get(key);
    if (statement === undefined) {
      // Statements of finished runs' staging tables are useless; keep the cache from growing with every run.
      if (this.inserts.size >= 16) this.inserts.clear();
      statement = this.db.prepare(`INSERT INTO ${this.dialect.table(table)} (${columnList(this.dialect, columns)}) VALUES ${new Array<string>(count).fill(tuple).join(', ')}`);
      this.inserts.set(key, statement);
    }
    return statement;
  }

  private guard<T>(sql: string, action: () => T): T {
    try {
      return action();
    } catch (error) {
      throw sinkFailed(this.location, error, sql);
    }
  }
}

/** Row-major parameters of the varying columns for rows [start, start + count). */
function fill(params: SqlValue[], columns: readonly BlockColumn[], start: number, count: number): SqlValue[] {
  let k = 0;
  for (let r = start; r < start + count; r++) {
    for (const column of columns) params[k++] = cellAt(column, r);
  }
  return params;
}
