import { PrescoreError } from '../errors/index.js';
import { fixedBatchOf, isInputDtype, type InputDtype, type ModelSignature, type TensorSpec } from './signature.js';

/** How table columns fill one model input. */
export interface InputBinding {
  readonly input: string;
  readonly dtype: InputDtype;
  /** `matrix`: [N, F] from F columns; `column`: [N, 1]; `vector`: [N]. */
  readonly layout: 'matrix' | 'column' | 'vector';
  /** Table columns in the order the model expects them. */
  readonly columns: readonly string[];
  /** Their positions in the table header. */
  readonly columnIndexes: readonly number[];
}

/** Where a `[N, F]` input's ordered feature list came from. */
export const FEATURE_SOURCES = ['flag', 'metadata', 'input-names'] as const;
export type FeatureSource = (typeof FEATURE_SOURCES)[number];

/** The full mapping a run uses: plain data, sent to every worker. */
export interface InputPlan {
  readonly bindings: readonly InputBinding[];
  readonly featureSource: FeatureSource;
  /** Header positions parsed as numbers (every non-string input column). */
  readonly numericColumns: readonly number[];
  /** Header positions kept as text (string input columns). */
  readonly textColumns: readonly number[];
  readonly idColumnIndex: number;
  /** Header columns no input uses (besides the id), listed for the user. */
  readonly unusedColumns: readonly string[];
  /** The batch size every run must have, when an input fixes it. */
  readonly fixedBatch: number | undefined;
}

export interface InputPlanOptions {
  /** Ordered feature list for a single `[N, F]` input (flag or job file). */
  readonly features?: readonly string[];
  readonly idColumn: string;
  /** The table's name, for error positions. */
  readonly file: string;
}

/** metadata_props keys read for an ordered feature list, first match wins. */
export const FEATURE_METADATA_KEYS = ['prescore.features', 'feature_names'] as const;

/**
 * Maps table columns onto model inputs without ever guessing an order: one
 * `[N, F]` input takes an explicit feature list (`features`, else the model's
 * metadata); otherwise every input maps to the header column of its name.
 * Throws CSV_MISSING_ID_COLUMN, MODEL_FEATURES_REQUIRED, MODEL_FEATURE_COUNT,
 * MODEL_MISSING_COLUMN, MODEL_UNSUPPORTED_INPUT, MODEL_BATCH_CONFLICT, MODEL_NO_INPUTS.
 */
export function planInputs(signature: ModelSignature, header: readonly string[], options: InputPlanOptions): InputPlan {
  const position = new Map(header.map((name, i) => [name, i] as const));
  const idColumnIndex = position.get(options.idColumn);
  if (idColumnIndex === undefined) {
    throw new PrescoreError('CSV_MISSING_ID_COLUMN', `The id column "${options.idColumn}" is not in the table header`, {
      file: options.file,
      line: 1,
      hint: `Columns are: ${header.join(', ')}. Pass --id-column with one of them`,
    });
  }
  const inputs = signature.inputs;
  if (inputs.length === 0) throw new PrescoreError('MODEL_NO_INPUTS', 'The model declares no inputs');
  for (const input of inputs) checkDtype(input);

  const single = inputs.length === 1 ? inputs[0]! : undefined;
  const matrix = single && isMatrix(single) && !position.has(single.name) ? single : undefined;
  const listed = matrix ? featureList(signature, options) : undefined;
  const bindings = matrix
    ? [bindMatrix(matrix, listed!.features, position, options.file)]
    : inputs.map((input) => bindByName(input, position, options.file));

  const used = new Set(bindings.flatMap((b) => b.columns));
  const numeric = new Set<number>();
  const text = new Set<number>();
  for (const binding of bindings) {
    for (const index of binding.columnIndexes) (binding.dtype === 'string' ? text : numeric).add(index);
  }
  return {
    bindings,
    featureSource: listed?.source ?? 'input-names',
    numericColumns: [...numeric].sort((a, b) => a - b),
    textColumns: [...text].sort((a, b) => a - b),
    idColumnIndex,
    unusedColumns: header.filter((name) => name !== options.idColumn && !used.has(name)),
    fixedBatch: commonFixedBatch(inputs),
  };
}

/** Parses a feature list written as a JSON array or a comma-separated string. */
export function parseFeatureList(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const parsed: unknown = JSON.parse(trimmed);
    if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
  }
  return trimmed.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function featureList(signature: ModelSignature, options: InputPlanOptions): { features: readonly string[]; source: FeatureSource } {
  if (options.features && options.features.length > 0) return { features: options.features, source: 'flag' };
  for (const key of FEATURE_METADATA_KEYS) {
    const value = signature.metadata[key];
    if (value !== undefined) return { features: parseFeatureList(value), source: 'metadata' };
  }
  const input = signature.inputs[0]!;
  const width = input.shape?.[1];
  throw new PrescoreError(
    'MODEL_FEATURES_REQUIRED',
    `The model takes one tensor "${input.name}" of ${typeof width === 'number' ? width : 'F'} features, and nothing says which columns in which order`,
    {
      hint: `Pass --features col1,col2,… in training order (or "features:" in the job file), or store the list in the model's metadata_props under "${FEATURE_METADATA_KEYS[0]}". prescore never guesses column order`,
    },
  );
}

function bindMatrix(input: TensorSpec, features: readonly string[], position: ReadonlyMap<string, number>, file: string): InputBinding {
  const width = input.shape?.[1];
  if (typeof width === 'number' && width !== features.length) {
    throw new PrescoreError(
      'MODEL_FEATURE_COUNT',
      `The model input "${input.name}" takes ${width} features but the feature list names ${features.length} (${features.join(', ')})`,
      { hint: 'Fix --features (or the model metadata) to list exactly the training columns, in order' },
    );
  }
  return {
    input: input.name,
    dtype: input.dtype as InputDtype,
    layout: 'matrix',
    columns: features,
    columnIndexes: features.map((name) => columnIndex(name, input.name, position, file)),
  };
}

function bindByName(input: TensorSpec, position: ReadonlyMap<string, number>, file: string): InputBinding {
  if (isMatrix(input)) {
    throw new PrescoreError(
      'MODEL_UNSUPPORTED_INPUT',
      `The model has several inputs and "${input.name}" takes ${String(input.shape?.[1] ?? 'F')} columns at once; prescore maps several inputs by name, one column each`,
      { hint: 'Re-export the model with one input per column, or with a single [N, F] input and a feature list' },
    );
  }
  const index = columnIndex(input.name, input.name, position, file);
  return {
    input: input.name,
    dtype: input.dtype as InputDtype,
    layout: (input.shape?.length ?? 2) === 1 ? 'vector' : 'column',
    columns: [input.name],
    columnIndexes: [index],
  };
}

function columnIndex(column: string, input: string, position: ReadonlyMap<string, number>, file: string): number {
  const index = position.get(column);
  if (index !== undefined) return index;
  const near = [...position.keys()].filter((name) => name.toLowerCase() === column.toLowerCase());
  throw new PrescoreError('MODEL_MISSING_COLUMN', `The model input "${input}" needs the column "${column}", which the table does not have`, {
    file,
    line: 1,
    hint: near.length > 0 ? `Did you mean "${near[0]}"? Column names are case-sensitive` : `Columns are: ${[...position.keys()].join(', ')}`,
  });
}

function checkDtype(input: TensorSpec): void {
  if (isInputDtype(input.dtype)) return;
  throw new PrescoreError('MODEL_UNSUPPORTED_INPUT', `The model input "${input.name}" has type ${input.dtype}, which cannot be fed from a table column`, {
    hint: 'Supported input types: float32, float64, int32, int64, bool, string',
  });
}

/** A rank-2 input whose second dim is not 1: it takes several columns at once. */
function isMatrix(input: TensorSpec): boolean {
  const shape = input.shape;
  return shape !== undefined && shape.length === 2 && shape[1] !== 1;
}

function commonFixedBatch(inputs: readonly TensorSpec[]): number | undefined {
  const sizes = new Set(inputs.map(fixedBatchOf).filter((n): n is number => n !== undefined));
  if (sizes.size > 1) {
    throw new PrescoreError('MODEL_BATCH_CONFLICT', `The model's inputs fix different batch sizes (${[...sizes].join(', ')})`);
  }
  return sizes.values().next().value;
}

