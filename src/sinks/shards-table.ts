import type { InputObject, RunTotals } from './sink.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlSession, Statement } from './sql-session.js';
import { columnsSql, type TableColumn } from './table-columns.js';
import type { ProcessIdentity } from './table-lock.js';
import { REJECTS_TABLE, SHARDS_TABLE } from './table-names.js';

/** A shard's state: scoring, its rows all in staging, or stopped (a retry with the same index replaces it). */
export const SHARD_STATUSES = ['running', 'done', 'failed'] as const;
export type ShardStatus = (typeof SHARD_STATUSES)[number];

/**
 * The column of a sharded run's staging table that says which shard wrote a
 * row, so a retried shard can delete exactly its own rows. Not a valid user
 * column name (it has a space), so it never meets an `--extra` column; it is
 * dropped in the transaction that publishes, so the published table has
 * exactly the documented columns.
 */
export const SHARD_COLUMN = 'prescore shard';

/**
 * The shards table: one row per shard of a sharded run. `attempt` is a random
 * token of the process that last claimed the shard: a process whose token was
 * replaced (a retry started while it still ran) finds out at its next write and
 * stops, so a shard's rows always come from one attempt.
 */
const SHARD_COLUMNS: readonly TableColumn[] = [
  { name: 'table_name', type: 'text' },
  { name: 'run_id', type: 'text' },
  { name: 'shard', type: 'integer' },
  { name: 'shard_count', type: 'integer' },
  { name: 'status', type: 'text' },
  { name: 'attempt', type: 'text' },
  { name: 'host', type: 'text' },
  { name: 'pid', type: 'integer' },
  { name: 'started_at', type: 'text' },
  { name: 'heartbeat_at', type: 'text' },
  { name: 'finished_at', type: 'text' },
  { name: 'rows_read', type: 'integer' },
  { name: 'rows_scored', type: 'integer' },
  { name: 'rows_rejected', type: 'integer' },
  { name: 'inputs', type: 'text' },
  { name: 'error', type: 'text' },
];

/** One shard as stored. */
export interface ShardRow {
  readonly shard: number;
  readonly count: number;
  readonly status: ShardStatus;
  readonly host: string;
  readonly pid: number;
  readonly rowsRead: number;
  readonly rowsScored: number;
  readonly rowsRejected: number;
  readonly inputs: readonly InputObject[];
}

/** Who claims a shard: the process and its attempt token. */
export interface ShardClaim {
  readonly table: string;
  readonly runId: string;
  readonly shard: number;
  readonly count: number;
  readonly attempt: string;
}

/** `CREATE TABLE IF NOT EXISTS` for the shards table. */
export function shardsTableDdl(dialect: SqlDialect): string {
  return dialect.createTable(SHARDS_TABLE, columnsSql(dialect, SHARD_COLUMNS, ['table_name', 'run_id', 'shard']), { ifNotExists: true });
}

/** Claims a shard for this attempt, replacing an earlier attempt's row whatever its state. */
export function claimShard(dialect: SqlDialect, c: ShardClaim, me: ProcessIdentity): Statement {
  const now = me.now().toISOString();
  return {
    sql: `INSERT INTO ${dialect.table(SHARDS_TABLE)} (table_name, run_id, shard, shard_count, status, attempt, host, pid, started_at, heartbeat_at)
          VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)
          ON CONFLICT (table_name, run_id, shard) DO UPDATE SET shard_count = excluded.shard_count, status = 'running', attempt = excluded.attempt,
            host = excluded.host, pid = excluded.pid, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at,
            finished_at = NULL, rows_read = NULL, rows_scored = NULL, rows_rejected = NULL, inputs = NULL, error = NULL`,
    params: [c.table, c.runId, c.shard, c.count, c.attempt, me.host, me.pid, now, now],
  };
}

/** Refreshes this attempt's heartbeat; changes no row when another attempt claimed the shard since. */
export function beatShard(dialect: SqlDialect, c: ShardClaim, now: Date): Statement {
  return { sql: `UPDATE ${dialect.table(SHARDS_TABLE)} SET heartbeat_at = ? ${OWN_ROW}`, params: [now.toISOString(), ...ownRow(c)] };
}

/** Records this attempt done with its totals; changes no row when another attempt claimed the shard since. */
export function shardDone(dialect: SqlDialect, c: ShardClaim, totals: RunTotals, now: Date): Statement {
  const at = now.toISOString();
  return {
    sql: `UPDATE ${dialect.table(SHARDS_TABLE)} SET status = 'done', finished_at = ?, heartbeat_at = ?, rows_read = ?, rows_scored = ?, rows_rejected = ?, inputs = ? ${OWN_ROW}`,
    params: [at, at, totals.rowsRead, totals.rowsScored, totals.rowsRejected, JSON.stringify(totals.inputs ?? []), ...ownRow(c)],
  };
}

/** Records this attempt failed with `error`. */
export function shardFailed(dialect: SqlDialect, c: ShardClaim, error: string, now: Date): Statement {
  return { sql: `UPDATE ${dialect.table(SHARDS_TABLE)} SET status = 'failed', finished_at = ?, error = ? ${OWN_ROW}`, params: [now.toISOString(), error, ...ownRow(c)] };
}

/** Forgets every shard of a run: a run started afresh under an id used before. */
export function deleteShards(dialect: SqlDialect, table: string, runId: string): Statement {
  return { sql: `DELETE FROM ${dialect.table(SHARDS_TABLE)} WHERE table_name = ? AND run_id = ?`, params: [table, runId] };
}

/** Deletes the rejects an earlier attempt of this shard recorded (a shard numbers its rejects `seq ≡ shard mod count`). */
export function deleteShardRejects(dialect: SqlDialect, c: ShardClaim): Statement {
  return { sql: `DELETE FROM ${dialect.table(REJECTS_TABLE)} WHERE table_name = ? AND run_id = ? AND seq % ? = ?`, params: [c.table, c.runId, c.count, c.shard] };
}

/** The shards of a run, by index. Throws SINK_FAILED. */
export async function loadShards(session: SqlSession, table: string, runId: string): Promise<ShardRow[]> {
  const rows = await session.all<Record<string, unknown>>(
    `SELECT shard, shard_count, status, host, pid, rows_read, rows_scored, rows_rejected, inputs FROM ${session.dialect.table(SHARDS_TABLE)} WHERE table_name = ? AND run_id = ? ORDER BY shard`,
    [table, runId],
  );
  return rows.map((row) => ({
    shard: Number(row.shard),
    count: Number(row.shard_count),
    status: String(row.status) as ShardStatus,
    host: String(row.host),
    pid: Number(row.pid),
    rowsRead: Number(row.rows_read ?? 0),
    rowsScored: Number(row.rows_scored ?? 0),
    rowsRejected: Number(row.rows_rejected ?? 0),
    inputs: row.inputs == null ? [] : (JSON.parse(String(row.inputs)) as InputObject[]),
  }));
}

/**
 * The run's totals from its shards' rows: row counts summed, every object any
 * shard read once (by URI, in URI order; shards that split by id all read
 * every object). Score statistics are left null for the caller. Pure.
 */
export function sumShards(shards: readonly ShardRow[]): RunTotals {
  const inputs = new Map<string, InputObject>();
  for (const shard of shards) for (const input of shard.inputs) if (!inputs.has(input.uri)) inputs.set(input.uri, input);
  return {
    inputs: [...inputs.values()].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0)),
    rowsRead: shards.reduce((n, s) => n + s.rowsRead, 0),
    rowsScored: shards.reduce((n, s) => n + s.rowsScored, 0),
    rowsRejected: shards.reduce((n, s) => n + s.rowsRejected, 0),
    scoreMin: null,
    scoreMean: null,
    scoreMax: null,
  };
}

const OWN_ROW = 'WHERE table_name = ? AND run_id = ? AND shard = ? AND attempt = ?';

function ownRow(c: ShardClaim): (string | number)[] {
  return [c.table, c.runId, c.shard, c.attempt];
}
