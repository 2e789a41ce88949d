import { PrescoreError } from '../errors/index.js';
import { featureLists, type FeatureLists, type FeatureSource } from './feature-lists.js';
import { resolveFills, type ColumnFill } from './fill-values.js';
import { fixedBatchOf, INPUT_DTYPES, isInputDtype, type InputDtype, type ModelSignature, type TensorSpec } from './signature.js';

/** How table columns fill one model input. */
export interface InputBinding {
  readonly input: string;
  readonly dtype: InputDtype;
  /** `matrix`: [N, F] from a list of F columns; `column`: [N, 1] from the column of its name; `vector`: [N]. */
  readonly layout: 'matrix' | 'column' | 'vector';
  /** Table columns in the order the model expects them. */
  readonly columns: readonly string[];
  /** Their positions in the table header. */
  readonly columnIndexes: readonly number[];
}

/** The full mapping a run uses: plain data, sent to every worker. */
export interface InputPlan {
  readonly bindings: readonly InputBinding[];
  readonly featureSource: FeatureSource;
  /** Header positions parsed as numbers (columns of float and integer inputs). */
  readonly numericColumns: readonly number[];
  /** Header positions kept as text (columns of string inputs, and of bool inputs, read by spelling). */
  readonly textColumns: readonly number[];
  readonly idColumnIndex: number;
  /** Header columns no input uses (besides the id), listed for the user. */
  readonly unusedColumns: readonly string[];
  /** The batch size every run must have, when an input fixes it. */
  readonly fixedBatch: number | undefined;
  /** Values for missing cells, per column (`--fill`). */
  readonly fills: readonly ColumnFill[];
}

export interface InputPlanOptions {
  /**
   * Ordered feature columns (flag or job file): for a model with one input, or
   * `INPUT=col1,col2` groups naming the input they feed.
   */
  readonly features?: readonly string[];
  readonly idColumn: string;
  /** The table's name, for error positions. */
  readonly file: string;
  /** Values for missing cells by column (`--fill COL=VALUE`). */
  readonly fill?: Readonly<Record<string, string>>;
}

/** Input element types read from a cell's text rather than parsed as a number. */
const TEXT_DTYPES: readonly InputDtype[] = ['string', 'bool'];

/**
 * Maps table columns onto model inputs without ever guessing an order: an
 * input with a feature list (`--features`, `INPUT=…` groups, or the model's
 * metadata for a one-input model) takes those columns in that order; any
 * other input takes the header column of its own name. An [N, F] input with
 * no list is refused. Throws CSV_MISSING_ID_COLUMN, MODEL_FEATURES_REQUIRED,
 * MODEL_FEATURE_COUNT, MODEL_MISSING_COLUMN, MODEL_UNSUPPORTED_INPUT,
 * MODEL_BATCH_CONFLICT, MODEL_NO_INPUTS, USAGE_INVALID_OPTION.
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
  for (const input of inputs) checkInput(input);

  const lists = featureLists(signature, options.features);
  const bindings = inputs.map((input) => bind(input, lists, position, options.file));
  const numeric = new Set<number>();
  const text = new Set<number>();
  for (const binding of bindings) {
    for (const index of binding.columnIndexes) (TEXT_DTYPES.includes(binding.dtype) ? text : numeric).add(index);
  }
  checkColumnUse(bindings, header, numeric, text, idColumnIndex);
  const used = new Set(bindings.flatMap((b) => b.columns));
  return {
    bindings,
    featureSource: lists.sourceOf(bindings.map((b) => b.input)),
    numericColumns: [...numeric].sort((a, b) => a - b),
    textColumns: [...text].sort((a, b) => a - b),
    idColumnIndex,
    unusedColumns: header.filter((name) => name !== options.idColumn && !used.has(name)),
    fixedBatch: commonFixedBatch(inputs),
    fills: resolveFills(bindings, options.fill ?? {}),
  };
}

function bind(input: TensorSpec, lists: FeatureLists, position: ReadonlyMap<string, number>, file: string): InputBinding {
  const dtype = input.dtype as InputDtype;
  const rank = input.shape?.length ?? 2;
  const list = lists.listFor(input.name);
  if (list) {
    const width = rank === 1 ? 1 : input.shape?.[1];
    if (typeof width === 'number' && width !== list.length) {
      throw new PrescoreError(
        'MODEL_FEATURE_COUNT',
        `The model input "${input.name}" takes ${width} feature${width === 1 ? '' : 's'} but the feature list names ${list.length} (${list.join(', ')})`,
        { hint: 'Fix --features (or the model metadata) to list exactly the training columns, in order' },
      );
    }
    const columnIndexes = list.map((name) => columnIndex(name, input.name, position, file));
    return { input: input.name, dtype, layout: rank === 1 ? 'vector' : 'matrix', columns: list, columnIndexes };
  }
  const width = input.shape?.[1];
  if (input.shape !== undefined && rank === 2 && width !== 1) {
    throw new PrescoreError(
      'MODEL_FEATURES_REQUIRED',
      `The model input "${input.name}" takes ${typeof width === 'number' ? width : 'F'} features at once, and nothing says which columns in which order`,
      {
        hint: `Pass --features ${lists.single ? '' : `${input.name}=`}col1,col2,… in training order (or "features:" in the job file)${lists.single ? ', or store the list in the model\'s metadata_props under "prescore.features"' : ''}. prescore never guesses column order`,
      },
    );
  }
  return { input: input.name, dtype, layout: rank === 1 ? 'vector' : 'column', columns: [input.name], columnIndexes: [columnIndex(input.name, input.name, position, file)] };
}

function columnIndex(column: string, input: string, position: ReadonlyMap<string, number>, file: string): number {
  const index = position.get(column);
  if (index !== undefined) return index;
  const near = [...position.keys()].filter((name) => name.toLowerCase() === column.toLowerCase());
  const hint = near.length > 0 ? `Did you mean "${near[0]}"? Column names are case-sensitive` : `Columns are: ${[...position.keys()].join(', ')}`;
  throw new PrescoreError('MODEL_MISSING_COLUMN', `The model input "${input}" needs the column "${column}", which the table does not have`, {
    file,
    line: 1,
    hint: column === input ? `${hint}; or name the column to feed it with --features ${input}=COLUMN` : hint,
  });
}

function checkInput(input: TensorSpec): void {
  if (!isInputDtype(input.dtype)) {
    throw new PrescoreError('MODEL_UNSUPPORTED_INPUT', `The model input "${input.name}" has type ${input.dtype}, which cannot be fed from a table column`, {
      hint: `Supported input types: ${INPUT_DTYPES.join(', ')}`,
    });
  }
  const rank = input.shape?.length ?? 2;
  if (rank < 1 || rank > 2) {
    throw new PrescoreError('MODEL_UNSUPPORTED_INPUT', `The model input "${input.name}" has rank ${rank}; a table row can feed only [N] or [N, F] inputs`, {
      hint: 'Images, sequences and scalars cannot come from CSV columns: re-export the model with a flat feature input',
    });
  }
}

/** One column is read once, one way: as the id, as text, or as a number. */
function checkColumnUse(bindings: readonly InputBinding[], header: readonly string[], numeric: Set<number>, text: Set<number>, idColumnIndex: number): void {
  const users = (index: number) => bindings.filter((b) => b.columnIndexes.includes(index)).map((b) => `"${b.input}" (${b.dtype})`);
  if (numeric.has(idColumnIndex) || text.has(idColumnIndex)) {
    throw new PrescoreError('USAGE_INVALID_OPTION', `The id column "${header[idColumnIndex]}" also feeds the model input ${users(idColumnIndex).join(', ')}`, {
      hint: 'Choose another --id-column, or add a copy of the column under another name for the id',
    });
  }
  for (const index of numeric) {
    if (!text.has(index)) continue;
    throw new PrescoreError('MODEL_UNSUPPORTED_INPUT', `The column "${header[index]}" feeds inputs of different kinds: ${users(index).join(', ')}`, {
      hint: 'A column can feed numeric inputs or string/bool inputs, not both: add a copy of the column under another name',
    });
  }
}

function commonFixedBatch(inputs: readonly TensorSpec[]): number | undefined {
  const sizes = new Set(inputs.map(fixedBatchOf).filter((n): n is number => n !== undefined));
  if (sizes.size > 1) {
    throw new PrescoreError('MODEL_BATCH_CONFLICT', `The model's inputs fix different batch sizes (${[...sizes].join(', ')})`);
  }
  return sizes.values().next().value;
}
