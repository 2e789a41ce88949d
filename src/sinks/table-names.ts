import { createHash } from 'node:crypto';
import { PrescoreError } from '../errors/index.js';
import { NAME_RULE } from '../model/index.js';

export { NAME_RULE };

/** What a run id must match; it becomes part of table names once sanitized. */
export const RUN_ID_RULE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** The runs table, one per database (Postgres: per schema). */
export const RUNS_TABLE = 'prescore_runs';

/** The locks table, one row per table being written. */
export const LOCKS_TABLE = 'prescore_locks';

/** The rejects table: rejected input rows of the recent runs, beside the runs table. */
export const REJECTS_TABLE = 'prescore_rejects';

/** The shards table: one row per shard of a run spread over several processes. */
export const SHARDS_TABLE = 'prescore_shards';

/** Postgres truncates identifiers beyond 63 bytes (NAMEDATALEN - 1); derived names stay within it on every dialect. */
const MAX_IDENTIFIER = 63;

/**
 * Checks a user-given name (`what` says which: "table", "schema", "column") and
 * returns it. Throws SINK_INVALID_NAME naming the value and the rule.
 */
export function validateName(what: string, value: string): string {
  if (!NAME_RULE.test(value)) {
    throw new PrescoreError('SINK_INVALID_NAME', `Invalid ${what} name: it must match ${NAME_RULE.source}`, {
      value,
      hint: 'Use 1 to 48 ASCII letters, digits and underscores, not starting with a digit',
    });
  }
  return value;
}

/** Checks a run id and returns it. Throws SINK_INVALID_NAME naming the value and the rule. */
export function validateRunId(runId: string): string {
  if (!RUN_ID_RULE.test(runId)) {
    throw new PrescoreError('SINK_INVALID_NAME', `Invalid run id: it must match ${RUN_ID_RULE.source}`, {
      value: runId,
      hint: 'Use up to 64 ASCII letters, digits and . _ : -',
    });
  }
  return runId;
}

/** The staging table of a run: `<table>__staging_<runId sanitized>`. */
export function stagingTableName(table: string, runId: string): string {
  return derivedName(table, '__staging_', runId);
}

/** The table a published run's version is kept in once superseded: `<table>__v_<runId sanitized>`. */
export function versionTableName(table: string, runId: string): string {
  return derivedName(table, '__v_', runId);
}

/**
 * Run ids that are already identifier-safe and short enough are used as they
 * are, so an operator can read the run from the table name. Others (with `.`,
 * `:`, `-`, or too long) get a hash suffix so that `a-b` and `a.b` cannot
 * collide and the name stays under Postgres' identifier limit.
 */
function derivedName(table: string, marker: string, runId: string): string {
  const full = `${table}${marker}${runId.replace(/[^A-Za-z0-9_]/g, '_')}`;
  if (/^[A-Za-z0-9_]+$/.test(runId) && full.length <= MAX_IDENTIFIER) return full;
  const hash = createHash('sha256').update(`${table}${marker}${runId}`).digest('hex').slice(0, 8);
  return `${full.slice(0, MAX_IDENTIFIER - 9)}_${hash}`;
}
