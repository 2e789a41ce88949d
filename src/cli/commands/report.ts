import { writeFileSync } from 'node:fs';

import type { Command } from 'commander';

import { PrescoreError } from '../../errors/index.js';
import { baselineRun } from '../../gates/index.js';
import { readRunDetails, renderHtmlReport } from '../../report/index.js';
import type { RunRecord } from '../../sinks/index.js';
import type { CliIo } from '../cli-io.js';
import { withSink } from './history.js';

/** `prescore report`: one self-contained HTML page about a run. */
export function registerReport(program: Command, io: CliIo): void {
  program
    .command('report')
    .description('Write one self-contained HTML page about a run: gates, score histogram over the previous run, input drift, rejects, timings, lineage')
    .option('--output <target>', 'sqlite:PATH, PATH.db, or postgres://… (default: $DATABASE_URL)')
    .requiredOption('--table <name>', 'published table name')
    .option('--schema <name>', 'Postgres schema (default public)')
    .option('--run <runId>', 'the run to report (default: the newest, published or not)')
    .requiredOption('--out <file>', 'the HTML file to write')
    .action(async (flags: { output?: string; table: string; schema?: string; run?: string; out: string }) => {
      const runs = await withSink(io, flags, (sink) => sink.runs(flags.table));
      const { run, previous } = reportedRuns(runs, flags.table, flags.run);
      const page = renderHtmlReport({ run, previous, generatedAt: new Date(), toolVersion: io.toolVersion });
      try {
        writeFileSync(flags.out, page);
      } catch (cause) {
        throw new PrescoreError('USAGE_INVALID_OPTION', `--out: cannot write the report: ${(cause as Error).message}`, { value: flags.out, cause });
      }
      io.stdout(`wrote ${flags.out}: run ${run.runId} of ${flags.table} (${run.status})${previous === null ? '' : `, compared with run ${previous.runId}`}\n`);
    });
}

/**
 * The run to report (`runId`, else the newest) and the run it was compared
 * with: the baseline its gates recorded, else the one they would pick among
 * the older runs. Throws USAGE_INVALID_OPTION when the table has no such run.
 */
export function reportedRuns(runs: readonly RunRecord[], table: string, runId: string | undefined): { run: RunRecord; previous: RunRecord | null } {
  const index = runId === undefined ? 0 : runs.findIndex((r) => r.runId === runId);
  const run = runs[index];
  if (run === undefined) {
    throw new PrescoreError('USAGE_INVALID_OPTION', runId === undefined ? `Table "${table}" has no runs` : `--run: table "${table}" has no run ${runId}`, {
      hint: `See its runs with: prescore runs --table ${table}`,
    });
  }
  const recorded = readRunDetails(run.details)?.baselineRunId;
  const previous = recorded === undefined ? baselineRun(runs.slice(index + 1)) : (runs.find((r) => r.runId === recorded) ?? null);
  return { run, previous };
}
