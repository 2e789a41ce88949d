import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

import Database from 'better-sqlite3';

import { customerCsvPieces } from '../../scripts/fixtures/tables.js';

/** The feature columns of fixtures/models/logreg.onnx and trees.onnx. */
export const FEATURES = ['age', 'income', 'tenure_months', 'balance', 'num_products', 'support_calls'] as const;

/** What a reader of a SQLite output sees: the published table, the runs table, and every table name. */
export interface SqliteState {
  /** sha256 of every row of the published table, every column, in entity id order: equal digests, equal tables. */
  readonly digest: string;
  readonly rowCount: number;
  /** Rows of the published table per run id that wrote them. */
  readonly rowsByRun: Readonly<Record<string, number>>;
  readonly runs: readonly Record<string, unknown>[];
  readonly tables: readonly string[];
}

/** Reads `table`, its runs (by run id) and all table names, through a separate read-only connection. */
export function sqliteState(path: string, table: string): SqliteState {
  const db = new Database(path, { readonly: true });
  try {
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    const hash = createHash('sha256');
    const rowsByRun: Record<string, number> = {};
    let rowCount = 0;
    if (tables.includes(table)) {
      for (const row of db.prepare(`SELECT * FROM "${table}" ORDER BY entity_id`).raw().iterate() as Iterable<unknown[]>) {
        hash.update(`${JSON.stringify(row)}\n`);
        rowCount++;
      }
      for (const r of db.prepare(`SELECT run_id, COUNT(*) AS n FROM "${table}" GROUP BY run_id`).all() as { run_id: string; n: number }[]) rowsByRun[r.run_id] = r.n;
    }
    const runs = tables.includes('prescore_runs') ? (db.prepare('SELECT * FROM prescore_runs WHERE table_name = ? ORDER BY run_id').all(table) as Record<string, unknown>[]) : [];
    return { digest: hash.digest('hex'), rowCount, rowsByRun, runs, tables };
  } finally {
    db.close();
  }
}

/** Writes a generated customer table (see customerCsvPieces) without missing values, so every logreg score is finite. */
export async function writeCustomerCsv(path: string, options: ({ readonly rows: number } | { readonly ids: readonly string[] }) & { readonly seed: number }): Promise<void> {
  const out = createWriteStream(path);
  for (const piece of customerCsvPieces({ features: FEATURES, emptyRate: 0, ...options })) {
    if (!out.write(piece)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}
