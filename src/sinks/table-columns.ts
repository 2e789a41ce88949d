import { PrescoreError } from '../errors/index.js';
import { RESERVED_COLUMNS } from '../model/index.js';
import type { SqlDialect } from './sql-dialect.js';
import type { ColumnType, OutputColumn, RunStart } from './sink.js';
import { validateName } from './table-names.js';

/** One column of a table prescore creates. */
export interface TableColumn {
  readonly name: string;
  readonly type: ColumnType;
  /** This value in every row, kept once in the table's schema (SqlDialect.constantColumn): rows are not written with it. */
  readonly constant?: string;
}

/** The published columns a run writes with the same value in every row. */
export function runConstants(run: Pick<RunStart, 'modelVersion' | 'runId' | 'startedAt'>): Readonly<Record<string, string>> {
  return { model_version: run.modelVersion, run_id: run.runId, scored_at: run.startedAt };
}

/**
 * The staging columns of a run: for a replace run, its constants become
 * schema-level constant columns where the dialect has them (SQLite), so that
 * no row stores them: a table 3.4× smaller, and a third less of the main
 * thread's SQLite work (BENCHMARKS.md, "Constant columns"). An upsert keeps earlier
 * runs' rows, with their own values, so it stores them per row.
 */
export function withRunConstants(dialect: SqlDialect, run: RunStart, columns: readonly TableColumn[]): TableColumn[] {
  if (run.mode !== 'replace') return [...columns];
  const constants = runConstants(run);
  return columns.map((c) => {
    const value = constants[c.name];
    return value !== undefined && dialect.constantColumn(c.name, c.type, value) !== undefined ? { ...c, constant: value } : c;
  });
}

/**
 * The columns of a published (and staging) table: `entity_id, score,
 * model_version, run_id, scored_at`, then one per output after the first (the
 * first output is `score`, always REAL). Throws SINK_INVALID_NAME for a bad or
 * reserved extra name, SINK_FAILED when there is no output.
 */
export function publishedColumns(outputs: readonly OutputColumn[]): TableColumn[] {
  if (outputs.length === 0) throw new PrescoreError('SINK_FAILED', 'A run must publish at least one output column (score)');
  const extras = outputs.slice(1).map((column) => {
    validateName('column', column.name);
    if ((RESERVED_COLUMNS as readonly string[]).includes(column.name)) {
      throw new PrescoreError('SINK_INVALID_NAME', `Column name "${column.name}" is reserved`, {
        hint: `Reserved: ${RESERVED_COLUMNS.join(', ')}`,
      });
    }
    return { name: column.name, type: column.type };
  });
  const names = new Set(extras.map((c) => c.name));
  if (names.size !== extras.length) throw new PrescoreError('SINK_INVALID_NAME', 'Output column names repeat', { value: extras.map((c) => c.name).join(',') });
  return [
    { name: 'entity_id', type: 'text' },
    { name: 'score', type: 'real' },
    { name: 'model_version', type: 'text' },
    { name: 'run_id', type: 'text' },
    { name: 'scored_at', type: 'text' },
    ...extras,
  ];
}

/** The column list of a CREATE TABLE, ending with the primary key. */
export function columnsSql(dialect: SqlDialect, columns: readonly TableColumn[], primaryKey: readonly string[]): string {
  const defs = columns.map((c) => (c.constant === undefined ? undefined : dialect.constantColumn(c.name, c.type, c.constant)) ?? `${dialect.quote(c.name)} ${dialect.type(c.type)}`);
  return [...defs, `PRIMARY KEY (${primaryKey.map((k) => dialect.quote(k)).join(', ')})`].join(', ');
}

/** A comma-separated, quoted column list. */
export function columnList(dialect: SqlDialect, names: readonly string[]): string {
  return names.map((n) => dialect.quote(n)).join(', ');
}
