import { Option, type Command } from 'commander';

import { countText } from '../../gates/index.js';
import type { CliIo, LogFormat } from '../cli-io.js';
import { LOG_FORMATS, reportersFor } from '../cli-io.js';
import { dryRun } from '../dry-run.js';
import { readJobFile } from '../job-file.js';
import { withRunMetrics } from '../run-metrics-file.js';
import { runScoreJob } from '../score-job.js';
import { resolveScoreOptions } from '../score-options.js';
import { shardLine } from '../shard-job.js';
import { sourceOptionsFrom } from '../source-env.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `prescore score`: the main job, model + table → published scores. */
export function registerScore(program: Command, io: CliIo): void {
  program
    .command('score')
    .description('Score a table with an ONNX model and publish one score per entity, atomically')
    .option('--model <uri>', 'ONNX model: path, file://, gs://, s3:// or https://')
    .option('--model-sha256 <hex>', 'refuse the model unless its sha256 is this')
    .option('--model-version <text>', 'written into every row (default: metadata model_version, else sha256:<12 hex>)')
    .option('--input <uris>', 'CSV table (.gz too): comma-separated paths/URIs, globs, prefixes')
    .option('--id-column <name>', 'column holding the entity id (the published primary key)')
    .option('--output <target>', 'sqlite:PATH, PATH.db, or postgres://… (default: $DATABASE_URL)')
    .option('--table <name>', 'published table name')
    .option('--schema <name>', 'Postgres schema (default public)')
    .option('--features <cols>', 'ordered feature columns for a single [N,F] model input')
    .option('--score <output[:column]>', 'model output (and column or class label) published as score')
    .option('--extra <name=output[:column]>', 'also publish an output as column NAME (repeatable)', collect)
    .option('--fill <col=value>', 'value for the missing cells of a column (repeatable; else int, bool and string inputs reject the row)', collect)
    .option('--mode <mode>', 'replace (default) or upsert')
    .option('--workers <n>', 'scoring threads (default: number of cores)')
    .option('--delimiter <char>', 'field delimiter (default ,)')
    .option('--na-values <list>', 'numeric cells meaning missing (default: ,NA,N/A,NaN,nan,null,NULL,None)')
    .option('--max-reject-rate <fraction>', 'publish nothing when more rows than this are rejected (default 0)')
    .option('--max-rejects <n>', 'publish nothing when more rows than this are rejected')
    .option('--rejects-file <path>', 'also write the rejected rows to this CSV file')
    .option('--on-duplicate <rule>', 'a repeated entity id: error (default), or keep its first or last occurrence')
    .option('--min-rows <n>', 'gate: publish nothing when fewer rows are scored (default 1)')
    .option('--max-nan-rate <fraction>', 'gate: publish nothing when more scores than this are NaN or infinite (default 0)')
    .option('--max-row-change <fraction>', 'gate: publish nothing when the row count moves more than this against the previous run (default 0.1)')
    .option('--psi-warn <psi>', 'gate: warn when the score PSI against the previous run reaches this (default 0.1)')
    .option('--psi-fail <psi>', 'gate: publish nothing when the score PSI against the previous run reaches this (default 0.25)')
    .option('--force', 'publish even when a gate fails (recorded with the run)')
    .option('--metrics-file <path>', 'write Prometheus text metrics here after the run (node_exporter textfile collector)')
    .option('--run-id <id>', 'run id (default: time + random; for shards, derived from model, inputs and options)')
    .option('--shard <i/n>', 'score shard I (0-based) of N into one Postgres run; the last shard to finish publishes')
    .option('--shards <n>', 'shard count, with the index from JOB_COMPLETION_INDEX (Kubernetes Indexed Job)')
    .option('--cache-dir <dir>', 'model cache (default ~/.cache/prescore)')
    .option('--gcs-endpoint <url>', 'GCS JSON API endpoint (emulators, private endpoints)')
    .option('--chunk-bytes <n>', 'bytes per chunk handed to a worker (default 1048576)')
    .option('--batch-rows <n>', 'rows per model call (default 8192)')
    .option('--config <file>', 'job file (YAML or JSON) with any of these options')
    .option('--dry-run', 'check the mapping, score the first 100 rows, print them, write nothing')
    .addOption(new Option('--log-format <format>', 'auto: text on a terminal, JSON lines otherwise').choices(LOG_FORMATS))
    .option('--verbose', 'debug logs and stack traces')
    .action(async (flags: Record<string, unknown>) => {
      const file = typeof flags.config === 'string' ? readJobFile(flags.config) : undefined;
      const options = resolveScoreOptions(flags, file, io.env, io.cores);
      const { logger, progress, json } = reportersFor(io, (flags.logFormat as LogFormat | undefined) ?? 'auto', flags.verbose === true);
      const context = { logger, progress, signal: io.signal, sources: sourceOptionsFrom(io.env, options.gcsEndpoint, io.signal), toolVersion: io.toolVersion, now: () => new Date() };
      if (flags.dryRun === true) {
        const result = await dryRun(options, context);
        if (json) io.stdout(`${JSON.stringify({ status: 'dry-run', ...result })}\n`);
        else {
          io.stdout(`inputs:\n${result.inputs.map((i) => `  ${i}\n`).join('')}unused columns: ${result.unusedColumns.join(', ') || '(none)'}\n\n`);
          io.stdout([result.columns, ...result.rows].map((row) => row.join('\t')).join('\n') + '\n');
          for (const r of result.rejects) io.stdout(`rejected ${r.source}:${r.line}:${r.columnIndex + 1} ${r.code} ${r.reason}\n`);
        }
        return;
      }
      const summary = await withRunMetrics(options.metricsFile, options.table, logger, (observe) => runScoreJob(options, { ...context, observe }));
      if (json) io.stdout(`${JSON.stringify(summary)}\n`);
      else {
        const s = summary.score;
        if (summary.shard) io.stdout(shardLine(summary.shard));
        io.stdout(
          `${summary.status === 'published' ? 'published' : 'staged'} ${countText(summary.rowsScored)} scores to ${summary.output} table ${summary.table} (run ${summary.runId})\n` +
            `  rows read ${summary.rowsRead}, rejected ${summary.rowsRejected}; score min ${s.min} mean ${s.mean} max ${s.max}; ${summary.seconds.toFixed(2)} s, ${countText(summary.rowsPerSecond)} rows/s\n` +
            `  gates: ${Object.entries(summary.gates).map(([gate, status]) => `${gate} ${status}`).join(', ') || 'run by the shard that completes the run'}${summary.forced ? ' — failed gates overridden by --force' : ''}\n`,
        );
      }
    });
}
