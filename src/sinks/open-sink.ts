import { PrescoreError } from '../errors/index.js';
import { redactUrl } from './redact-url.js';
import type { Sink } from './sink.js';
import { openSqliteSink } from './sqlite-sink.js';
import { validateName } from './table-names.js';

/** Options of `openSink`; all optional. */
export interface SinkOptions {
  /** Postgres schema of the published, runs and locks tables (default `public`). Not for SQLite. */
  readonly schema?: string | undefined;
}

/** File name endings that make a bare `--output` path a SQLite database. */
const SQLITE_EXTENSIONS = ['.db', '.sqlite', '.sqlite3'] as const;

/**
 * Opens the sink named by `--output`: `sqlite:PATH`, a bare path ending in
 * `.db`/`.sqlite`/`.sqlite3`, or a `postgres://`/`postgresql://` URL.
 * Throws USAGE_INVALID_OPTION (unknown form, `schema` with SQLite),
 * SINK_INVALID_NAME (schema), SINK_FAILED (cannot open or connect).
 * Credentials never appear in the errors.
 */
export async function openSink(output: string, options: SinkOptions = {}): Promise<Sink> {
  if (/^postgres(ql)?:\/\//i.test(output)) {
    // Loaded only for Postgres: pg costs every SQLite run ~15 MB and ~30 ms at start-up.
    const { openPostgresSink } = await import('./postgres-sink.js');
    return openPostgresSink(output, validateName('schema', options.schema ?? 'public'));
  }
  const path = output.startsWith('sqlite:') ? output.slice('sqlite:'.length) : SQLITE_EXTENSIONS.some((e) => output.toLowerCase().endsWith(e)) ? output : undefined;
  if (path === undefined || path === '') {
    throw new PrescoreError('USAGE_INVALID_OPTION', '--output must be sqlite:PATH, a path ending in .db, .sqlite or .sqlite3, or a postgres:// URL', {
      value: redactUrl(output),
    });
  }
  if (options.schema !== undefined) {
    throw new PrescoreError('USAGE_INVALID_OPTION', '--schema applies to Postgres only', { value: options.schema, hint: 'Leave --schema out for a SQLite --output' });
  }
  return openSqliteSink(path);
}
