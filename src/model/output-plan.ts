import { PrescoreError } from '../errors/index.js';
import type { ModelSignature, TensorSpec } from './signature.js';
import type { ClassLabels } from './zipmap-rewrite.js';

/**
 * What a table, schema or column name must match: it is always quoted too, but
 * never trusted. Here because extra output columns are named when outputs are
 * planned; the sinks apply the same rule to every name they create.
 */
export const NAME_RULE = /^[A-Za-z_][A-Za-z0-9_]{0,47}$/;

/** The SQL type of one published output column. */
export const COLUMN_TYPES = ['real', 'integer', 'text'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** One published column and the model output (and column within it) it comes from. */
export interface OutputBinding {
  /** Column name in the published table (`score` for the first). */
  readonly column: string;
  readonly type: ColumnType;
  readonly output: string;
  /** Column within an [N, K] output; `undefined` for [N] or [N, 1] outputs. */
  readonly index: number | undefined;
}

export interface OutputPlanOptions {
  /** `OUTPUT[:COLUMN]` — COLUMN a 0-based index or a class label. */
  readonly score?: string;
  /** Extra published columns, each `NAME=OUTPUT[:COLUMN]`. */
  readonly extra?: readonly string[];
}

/** Column names the published table reserves for itself. */
export const RESERVED_COLUMNS = ['entity_id', 'score', 'model_version', 'run_id', 'scored_at'] as const;

/**
 * Chooses which model outputs become which published columns. A model with one
 * tensor output needs no `--score`; otherwise the user names it, because a
 * classifier's `probabilities:1` against `label` is a choice, not a guess.
 * Throws MODEL_OUTPUT_NOT_FOUND, MODEL_OUTPUT_AMBIGUOUS, MODEL_OUTPUT_COLUMN,
 * USAGE_INVALID_OPTION.
 */
export function planOutputs(signature: ModelSignature, classLabels: ClassLabels, options: OutputPlanOptions): OutputBinding[] {
  const tensors = signature.outputs.filter((o) => o.dtype !== 'non-tensor');
  const score = options.score
    ? bindSpec('score', options.score, signature, classLabels)
    : defaultScore(tensors, signature.outputs);
  const extras = (options.extra ?? []).map((entry) => {
    const eq = entry.indexOf('=');
    const column = eq > 0 ? entry.slice(0, eq) : '';
    if (!NAME_RULE.test(column) || (RESERVED_COLUMNS as readonly string[]).includes(column)) {
      throw new PrescoreError('USAGE_INVALID_OPTION', `--extra takes NAME=OUTPUT[:COLUMN] with NAME a new column name (letters, digits, _), not a reserved one`, {
        value: entry,
        hint: `Reserved: ${RESERVED_COLUMNS.join(', ')}`,
      });
    }
    return bindSpec(column, entry.slice(eq + 1), signature, classLabels);
  });
  return [score, ...extras];
}

function defaultScore(tensors: readonly TensorSpec[], all: readonly TensorSpec[]): OutputBinding {
  if (tensors.length === 1) return { column: 'score', type: columnTypeOf(tensors[0]!.dtype), output: tensors[0]!.name, index: undefined };
  throw new PrescoreError('MODEL_OUTPUT_AMBIGUOUS', `The model has ${all.length} outputs (${all.map(describe).join(', ')}); say which one is the score`, {
    hint: 'Pass --score OUTPUT[:COLUMN], for example --score probabilities:1 for the positive class of a binary classifier',
  });
}

function bindSpec(column: string, spec: string, signature: ModelSignature, classLabels: ClassLabels): OutputBinding {
  // Output names may themselves contain ':' (TensorFlow exports): a whole-name match wins.
  const whole = signature.outputs.find((o) => o.name === spec);
  const cut = spec.lastIndexOf(':');
  const output = whole ?? (cut > 0 ? signature.outputs.find((o) => o.name === spec.slice(0, cut)) : undefined);
  if (!output) {
    throw new PrescoreError('MODEL_OUTPUT_NOT_FOUND', `The model has no output "${whole || cut <= 0 ? spec : spec.slice(0, cut)}"`, {
      hint: `Outputs are: ${signature.outputs.map(describe).join(', ')}`,
    });
  }
  if (output.dtype === 'non-tensor') {
    throw new PrescoreError('MODEL_OUTPUT_NOT_FOUND', `The output "${output.name}" is not a tensor and cannot be published`, {
      hint: `Pick a tensor output: ${signature.outputs.filter((o) => o.dtype !== 'non-tensor').map(describe).join(', ')}`,
    });
  }
  const selector = whole ? undefined : spec.slice(cut + 1);
  return { column, type: columnTypeOf(output.dtype), output: output.name, index: selector === undefined ? undefined : columnOf(output, selector, classLabels) };
}

function columnOf(output: TensorSpec, selector: string, classLabels: ClassLabels): number {
  const labels = classLabels[output.name];
  const byLabel = labels?.indexOf(selector) ?? -1;
  if (byLabel >= 0) return byLabel;
  if (/^\d+$/.test(selector)) {
    const index = Number(selector);
    const width = output.shape?.[1];
    if (typeof width === 'number' && index >= width) {
      throw new PrescoreError('MODEL_OUTPUT_COLUMN', `The output "${output.name}" has ${width} columns; column ${index} does not exist`, {
        hint: `Columns are 0 to ${width - 1}${labels ? ` (classes ${labels.join(', ')})` : ''}`,
      });
    }
    return index;
  }
  throw new PrescoreError('MODEL_OUTPUT_COLUMN', `The output "${output.name}" has no column "${selector}"`, {
    hint: labels ? `Class labels are: ${labels.join(', ')} (or use a 0-based index)` : 'Use a 0-based column index',
  });
}

/** SQL type by output dtype: integers (int64 labels) stay integers; an undeclared type is taken as REAL. */
function columnTypeOf(dtype: string): ColumnType {
  if (dtype === 'string') return 'text';
  return /^(u?int\d+|bool)$/.test(dtype) ? 'integer' : 'real';
}

/** `name dtype[shape]`, the way outputs are listed in messages. */
export function describe(spec: TensorSpec): string {
  const shape = spec.shape ? `[${spec.shape.map((d) => d ?? '?').join(',')}]` : '';
  return `${spec.name} ${spec.dtype}${shape}`;
}

