/**
 * What a model asks for and gives back, as plain data: the one description of a
 * model that crosses stages (mapping, workers, inspect).
 */

/** Tensor element types prescore can feed from a table column. */
export const INPUT_DTYPES = ['float32', 'float64', 'int32', 'int64', 'bool', 'string'] as const;
export type InputDtype = (typeof INPUT_DTYPES)[number];

/** A dimension: a fixed size, or a symbolic/unnamed one (`null` for unnamed). */
export type Dim = number | string | null;

export interface TensorSpec {
  readonly name: string;
  /**
   * onnxruntime's type name (`float32`, `int64`, `string`, …); `'non-tensor'`
   * for sequences and maps; `'undeclared'` when the model declares no type and
   * leaves it to the runtime (published as REAL; `inspect` shows what the runtime infers).
   */
  readonly dtype: string;
  /** Declared shape; `undefined` when the model declares none (outputs sometimes lie: trust runtime dims). */
  readonly shape: readonly Dim[] | undefined;
}

export interface ModelSignature {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** The model's `metadata_props`. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly producer: string;
  /** Opset imports, by domain (`''` is the default ONNX domain). */
  readonly opsets: Readonly<Record<string, number>>;
}

/** Whether `dtype` is one prescore can build a tensor of from CSV cells. */
export function isInputDtype(dtype: string): dtype is InputDtype {
  return (INPUT_DTYPES as readonly string[]).includes(dtype);
}

/** The fixed batch size an input imposes (its first dim when fixed), if any. */
export function fixedBatchOf(spec: TensorSpec): number | undefined {
  const first = spec.shape?.[0];
  return typeof first === 'number' && first > 0 ? first : undefined;
}
