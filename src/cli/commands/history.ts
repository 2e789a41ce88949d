import type { Command } from 'commander';

import { PrescoreError } from '../../errors/index.js';
import { runCells } from '../../report/index.js';
import { openSink, type RunRecord, type Sink } from '../../sinks/index.js';
import type { CliIo } from '../cli-io.js';

/** `prescore runs` and `prescore rollback`: a table's history, and undoing its last publish. */
export function registerHistory(program: Command, io: CliIo): void {
  program
    .command('runs')
    .description('List the runs of a table, newest first')
    .option('--output <target>', 'sqlite:PATH, PATH.db, or postgres://… (default: $DATABASE_URL)')
    .requiredOption('--table <name>', 'published table name')
    .option('--schema <name>', 'Postgres schema (default public)')
    .option('--json', 'one JSON array')
    .action(async (flags: { output?: string; table: string; schema?: string; json?: boolean }) => {
      const runs = await withSink(io, flags, (sink) => sink.runs(flags.table));
      io.stdout(flags.json ? `${JSON.stringify(runs)}\n` : formatRuns(runs));
    });

  program
    .command('rollback')
    .description('Publish again the version before the current one (or --to RUN_ID), atomically')
    .option('--output <target>', 'sqlite:PATH, PATH.db, or postgres://… (default: $DATABASE_URL)')
    .requiredOption('--table <name>', 'published table name')
    .option('--schema <name>', 'Postgres schema (default public)')
    .option('--to <runId>', 'the run whose version to restore')
    .action(async (flags: { output?: string; table: string; schema?: string; to?: string }) => {
      const restored = await withSink(io, flags, (sink) => sink.rollback(flags.table, flags.to));
      io.stdout(`${flags.table} now serves run ${restored}\n`);
    });
}

/** Opens the sink `--output` (or `$DATABASE_URL`) names, runs `use`, closes it. Throws USAGE_MISSING_OPTION, the sink's errors. */
export async function withSink<T>(io: CliIo, flags: { output?: string; schema?: string }, use: (sink: Sink) => Promise<T>): Promise<T> {
  const sink = await openSink(outputOf(io, flags.output), flags.schema === undefined ? {} : { schema: flags.schema });
  try {
    return await use(sink);
  } finally {
    await sink.close();
  }
}

function outputOf(io: CliIo, output: string | undefined): string {
  const target = output ?? io.env.DATABASE_URL ?? io.env.PRESCORE_OUTPUT;
  if (!target) throw new PrescoreError('USAGE_MISSING_OPTION', 'Missing --output', { hint: 'Pass --output sqlite:PATH or postgres://…, or set DATABASE_URL' });
  return target;
}

function formatRuns(runs: readonly RunRecord[]): string {
  const header = ['run_id', 'status', 'mode', 'rows_scored', 'rejected', 'score_mean', 'p10/p50/p90', 'histogram', 'gates', 'model_version', 'started_at', 'finished_at'];
  const rows = runs.map((r) => {
    const c = runCells(r);
    return [r.runId, r.status, r.mode, r.rowsScored ?? '', r.rowsRejected ?? '', r.scoreMean?.toFixed(6) ?? '', c.quantiles, c.histogram, c.gates, r.modelVersion, r.startedAt, r.finishedAt ?? ''].map(String);
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const kept = runs.filter((r) => r.keptStaging !== undefined).map((r) => `run ${r.runId}: its scored rows are kept in table ${r.keptStaging} until the next run publishes\n`);
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n' + kept.join('');
}
