import type { Command } from 'commander';

import { isPrescoreError } from '../../errors/index.js';
import { BOOL_SPELLINGS, describeTensor, fixedBatchOf, planInputs, planOutputs, type LoadedModel, type OutputBinding } from '../../model/index.js';
import type { CliIo } from '../cli-io.js';
import { reportersFor } from '../cli-io.js';
import { probeRuntime, undeclaredNote, type RuntimeProbe } from '../runtime-probe.js';
import { loadModel, openTable } from '../job-inputs.js';
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
    .option('--fill <col=value>', 'value for the missing cells of a column, as for score (repeatable)', (v: string, all: string[] = []) => [...all, v])
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
      const runtime = await probeRuntime(loaded.bytes, model);
      const report: Record<string, unknown> = describeModel(loaded, runtime);
      if (typeof flags.input === 'string') {
        const table = await openTable(options, context);
        const inputs = planInputs(loaded.signature, table.header, {
          idColumn: typeof flags.idColumn === 'string' ? flags.idColumn : table.header[0]!,
          file: options.input,
          ...(options.features === undefined ? {} : { features: options.features }),
          fill: options.fill,
        });
        report.mapping = {
          featureSource: inputs.featureSource,
          inputs: inputs.bindings.map((b) => ({ input: b.input, dtype: b.dtype, layout: b.layout, columns: b.columns })),
          unusedColumns: inputs.unusedColumns,
          outputs: outputsOrNone(loaded, options.score),
          fixedBatch: inputs.fixedBatch ?? null,
          fills: inputs.fills.map((f) => ({ column: f.column, value: f.value })),
        };
      }
      io.stdout(flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, loaded, runtime));
      // Everything above is shown even for a model the runtime refuses; the exit code still says it cannot score.
      if ('error' in runtime) throw runtime.error;
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

function describeModel(model: LoadedModel, runtime: RuntimeProbe): Record<string, unknown> {
  const fixed = model.signature.inputs.map(fixedBatchOf).find((n) => n !== undefined);
  return {
    file: model.file,
    sha256: model.sha256,
    producer: model.signature.producer,
    opsets: model.signature.opsets,
    inputs: model.signature.inputs,
    outputs: model.signature.outputs.map((o) => ({
      ...o,
      ...(model.classLabels[o.name] ? { classLabels: model.classLabels[o.name] } : {}),
      ...(o.dtype === 'undeclared' && 'outputs' in runtime ? { runtime: runtime.outputs.find((r) => r.name === o.name) } : {}),
    })),
    fixedBatch: fixed ?? null,
    runtime: 'error' in runtime ? { loads: false, code: runtime.error.code, message: runtime.error.message } : { loads: true },
    zipMapRewritten: model.rewritten,
    metadata: model.signature.metadata,
  };
}

function formatReport(report: Record<string, unknown>, model: LoadedModel, runtime: RuntimeProbe): string {
  const lines = [
    `model     ${model.file}`,
    `sha256    ${model.sha256}`,
    `producer  ${model.signature.producer || '(unknown)'}`,
    `opsets    ${Object.entries(model.signature.opsets).map(([d, v]) => `${d || 'ai.onnx'} ${v}`).join(', ')}`,
    'inputs',
    ...model.signature.inputs.map((i) => `  ${describeTensor(i)}${i.dtype === 'bool' ? `  (cells: ${BOOL_SPELLINGS.join(', ')})` : ''}`),
    ...(report.fixedBatch === null ? [] : [`batch     fixed at ${String(report.fixedBatch)} rows per model call (a last partial batch is padded, the padding dropped)`]),
    'outputs',
    ...model.signature.outputs.map((o) => {
      const labels = model.classLabels[o.name];
      const note = labels ? `  (ZipMap rewritten to a tensor; classes ${labels.join(', ')})` : o.dtype === 'undeclared' ? `  (${undeclaredNote(runtime, o.name)})` : '';
      return `  ${describeTensor(o)}${note}`;
    }),
    `runtime   ${'error' in runtime ? `cannot load: ${runtime.error.code}` : 'loads in onnxruntime'}`,
    'metadata',
    ...Object.entries(model.signature.metadata).map(([k, v]) => `  ${k} = ${v}`),
  ];
  const mapping = report.mapping as { featureSource: string; inputs: { input: string; dtype: string; columns: string[] }[]; unusedColumns: string[]; outputs: { column: string; output: string; index?: number }[]; fixedBatch: number | null; fills: { column: string; value: number | string }[] } | undefined;
  if (mapping) {
    lines.push(`mapping (feature order from ${mapping.featureSource})`);
    for (const i of mapping.inputs) lines.push(`  ${i.input} (${i.dtype}) <- ${i.columns.join(', ')}`);
    if (mapping.outputs.length === 0) lines.push('  score: several outputs; choose one with --score OUTPUT[:COLUMN]');
    for (const o of mapping.outputs) lines.push(`  table.${o.column} <- ${o.output}${o.index === undefined ? '' : `:${o.index}`}`);
    lines.push(`  unused columns: ${mapping.unusedColumns.join(', ') || '(none)'}`);
    if (mapping.fixedBatch !== null) lines.push(`  fixed batch size: ${mapping.fixedBatch} (last batch padded)`);
    for (const f of mapping.fills) lines.push(`  missing ${f.column} <- ${JSON.stringify(f.value)}`);
  }
  return `${lines.join('\n')}\n`;
}
