import type { Command } from 'commander';

import { isPrescoreError } from '../../errors/index.js';
import { createScoringSession, describeTensor, planInputs, planOutputs, type LoadedModel, type OutputBinding } from '../../model/index.js';
import type { CliIo } from '../cli-io.js';
import { reportersFor } from '../cli-io.js';
import { loadModel, openTable } from '../score-job.js';
import { resolveScoreOptions } from '../score-options.js';
import { sourceOptionsFrom } from '../source-env.js';

/** `prescore inspect`: what a model takes and gives, and the mapping a run would use. */
export function registerInspect(program: Command, io: CliIo): void {
  program
    .command('inspect')
    .description('Show a model’s inputs, outputs, dtypes, shapes and metadata, and with --input the column mapping a run would use')
    .argument('<model>', 'ONNX model: path or URI')
    .option('--input <uris>', 'a table whose header to map the model onto')
    .option('--id-column <name>', 'id column of that table (default: its first column)')
    .option('--features <cols>', 'ordered feature columns, as for score')
    .option('--score <output[:column]>', 'the score output, as for score')
    .option('--cache-dir <dir>', 'model cache (default ~/.cache/prescore)')
    .option('--gcs-endpoint <url>', 'GCS JSON API endpoint')
    .option('--json', 'machine-readable output')
    .action(async (model: string, flags: Record<string, unknown>) => {
      const { logger, progress } = reportersFor(io, 'text', false);
      const sources = sourceOptionsFrom(io.env, flags.gcsEndpoint as string | undefined, io.signal);
      const context = { logger, progress, signal: io.signal, sources, toolVersion: io.toolVersion, now: () => new Date() };
      const base = { ...flags, model, input: flags.input ?? '-', idColumn: flags.idColumn ?? '-', output: '-', table: '-' };
      const options = resolveScoreOptions(base, undefined, {}, io.cores);
      const loaded = await loadModel(options, context);
      // Creating a session proves the runtime can load it (opsets, locale, kernels).
      await (await createScoringSession(loaded.bytes, model)).release();
      const report: Record<string, unknown> = describeModel(loaded);
      if (typeof flags.input === 'string') {
        const table = await openTable(options, context);
        const inputs = planInputs(loaded.signature, table.header, {
          idColumn: typeof flags.idColumn === 'string' ? flags.idColumn : table.header[0]!,
          file: options.input,
          ...(options.features === undefined ? {} : { features: options.features }),
        });
        report.mapping = {
          featureSource: inputs.featureSource,
          inputs: inputs.bindings.map((b) => ({ input: b.input, dtype: b.dtype, layout: b.layout, columns: b.columns })),
          unusedColumns: inputs.unusedColumns,
          outputs: outputsOrNone(loaded, options.score),
          fixedBatch: inputs.fixedBatch ?? null,
        };
      }
      io.stdout(flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, loaded));
    });
}

/** The score mapping, or none yet when the model has several outputs and no --score was given. */
function outputsOrNone(model: LoadedModel, score: string | undefined): OutputBinding[] {
  try {
    return planOutputs(model.signature, model.classLabels, score === undefined ? {} : { score });
  } catch (error) {
    if (isPrescoreError(error) && error.code === 'MODEL_OUTPUT_AMBIGUOUS') return [];
    throw error;
  }
}

function describeModel(model: LoadedModel): Record<string, unknown> {
  return {
    file: model.file,
    sha256: model.sha256,
    producer: model.signature.producer,
    opsets: model.signature.opsets,
    inputs: model.signature.inputs,
    outputs: model.signature.outputs.map((o) => ({ ...o, ...(model.classLabels[o.name] ? { classLabels: model.classLabels[o.name] } : {}) })),
    zipMapRewritten: model.rewritten,
    metadata: model.signature.metadata,
  };
}

function formatReport(report: Record<string, unknown>, model: LoadedModel): string {
  const lines = [
    `model     ${model.file}`,
    `sha256    ${model.sha256}`,
    `producer  ${model.signature.producer || '(unknown)'}`,
    `opsets    ${Object.entries(model.signature.opsets).map(([d, v]) => `${d || 'ai.onnx'} ${v}`).join(', ')}`,
    'inputs',
    ...model.signature.inputs.map((i) => `  ${describeTensor(i)}`),
    'outputs',
    ...model.signature.outputs.map((o) => {
      const labels = model.classLabels[o.name];
      return `  ${describeTensor(o)}${labels ? `  (ZipMap rewritten to a tensor; classes ${labels.join(', ')})` : ''}`;
    }),
    'metadata',
    ...Object.entries(model.signature.metadata).map(([k, v]) => `  ${k} = ${v}`),
  ];
  const mapping = report.mapping as { featureSource: string; inputs: { input: string; dtype: string; columns: string[] }[]; unusedColumns: string[]; outputs: { column: string; output: string; index?: number }[]; fixedBatch: number | null } | undefined;
  if (mapping) {
    lines.push(`mapping (feature order from ${mapping.featureSource})`);
    for (const i of mapping.inputs) lines.push(`  ${i.input} (${i.dtype}) <- ${i.columns.join(', ')}`);
    if (mapping.outputs.length === 0) lines.push('  score: several outputs; choose one with --score OUTPUT[:COLUMN]');
    for (const o of mapping.outputs) lines.push(`  table.${o.column} <- ${o.output}${o.index === undefined ? '' : `:${o.index}`}`);
    lines.push(`  unused columns: ${mapping.unusedColumns.join(', ') || '(none)'}`);
    if (mapping.fixedBatch !== null) lines.push(`  fixed batch size: ${mapping.fixedBatch} (last batch padded)`);
  }
  return `${lines.join('\n')}\n`;
}
