import { isPrescoreError, PrescoreError } from '../errors/index.js';

/** Driver error codes of a duplicate key (better-sqlite3 code, Postgres SQLSTATE). */
const DUPLICATE_KEY = ['SQLITE_CONSTRAINT_PRIMARYKEY', '23505'];

/** Driver error codes (better-sqlite3 codes, Postgres SQLSTATEs) that have a specific hint. */
const HINTS: Readonly<Record<string, string>> = {
  SQLITE_BUSY: 'Another connection kept the database busy for over 5 s; nothing was published, run again',
  '55P03': 'Long-running queries on the table kept the publish waiting for over 5 s; nothing was published, run again',
  '3F000': 'Create the schema first, or pass an existing one with --schema',
  '42501': 'The database user lacks a privilege on this schema or table',
};

/**
 * Wraps a driver error as SINK_FAILED, keeping the driver's code (SQLSTATE for
 * Postgres) in the message and the error as `cause`. `location` must already
 * be redacted. A PrescoreError passes through unchanged.
 */
export function sinkFailed(location: string, cause: unknown, sql?: string): PrescoreError {
  if (isPrescoreError(cause)) return cause;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : undefined;
  const message = cause instanceof Error ? cause.message : String(cause);
  const statement = sql === undefined ? '' : ` in: ${shorten(sql)}`;
  const loading = sql !== undefined && /^\s*(INSERT|COPY)\b/.test(sql);
  const hint = loading && code !== undefined && DUPLICATE_KEY.includes(code) ? 'An entity id was written twice in one run; ids must be unique' : code === undefined ? undefined : HINTS[code];
  return new PrescoreError('SINK_FAILED', `${location}: ${message}${code === undefined ? '' : ` (${code})`}${statement}`, {
    hint: hint ?? 'Check that the database is reachable and writable',
    cause,
  });
}

/** Whether `error` is a driver's duplicate-key failure (wrapped by `sinkFailed` or not). */
export function isDuplicateKey(error: unknown): boolean {
  const cause = isPrescoreError(error) ? error.cause : error;
  return typeof cause === 'object' && cause !== null && 'code' in cause && DUPLICATE_KEY.includes(String(cause.code));
}

function shorten(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}
