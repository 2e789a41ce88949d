import { PrescoreError } from '../errors/index.js';
import type { OutputBinding, PlainTensor } from '../model/index.js';
import type { ScoreColumn } from '../sinks/index.js';

/**
 * Collects one published column per output binding across the batches of a
 * chunk. Dims come from the returned tensors, never from the declared shapes,
 * which some exporters get wrong.
 */
export class OutputColumns {
  private readonly columns: (Float64Array | BigInt64Array | string[] | undefined)[];

  constructor(
    private readonly bindings: readonly OutputBinding[],
    private readonly rows: number,
  ) {
    this.columns = bindings.map(() => undefined);
  }

  /** Output names to fetch from the session. */
  static fetches(bindings: readonly OutputBinding[]): string[] {
    return [...new Set(bindings.map((b) => b.output))];
  }

  /**
   * Copies rows `[0, count)` of this batch's outputs to rows `[offset, offset + count)`.
   * Throws MODEL_OUTPUT_COLUMN when the output's width does not fit the binding.
   */
  add(results: Readonly<Record<string, PlainTensor>>, offset: number, count: number): void {
    this.bindings.forEach((binding, i) => {
      const tensor = results[binding.output];
      if (!tensor) throw new PrescoreError('MODEL_RUN_FAILED', `The model returned no output "${binding.output}"`);
      const width = widthOf(tensor, binding);
      const column = binding.index ?? 0;
      if (binding.index === undefined ? width !== 1 : column >= width) {
        throw new PrescoreError(
          'MODEL_OUTPUT_COLUMN',
          `The output "${binding.output}" has ${width} columns (dims [${tensor.dims.join(',')}]), so "${binding.output}${binding.index === undefined ? '' : `:${column}`}" does not name one`,
          { hint: `Pick a column with --score ${binding.output}:0 … ${binding.output}:${width - 1}` },
        );
      }
      const target = (this.columns[i] ??= allocate(tensor, this.rows));
      copyColumn(tensor.data, width, column, target, offset, count);
    });
  }

  /** The finished columns, aligned with the chunk's kept rows. */
  result(): ScoreColumn[] {
    return this.columns.map((c) => c ?? new Float64Array(0));
  }
}

function widthOf(tensor: PlainTensor, binding: OutputBinding): number {
  const batch = tensor.dims[0] ?? 1;
  if (batch === 0) return 1;
  const width = tensor.data.length / batch;
  if (!Number.isInteger(width)) {
    throw new PrescoreError('MODEL_RUN_FAILED', `The output "${binding.output}" has dims [${tensor.dims.join(',')}] that do not fit its data`);
  }
  return width;
}

function allocate(tensor: PlainTensor, rows: number): Float64Array | BigInt64Array | string[] {
  if (tensor.data instanceof BigInt64Array) return new BigInt64Array(rows);
  if (Array.isArray(tensor.data)) return new Array<string>(rows);
  return new Float64Array(rows);
}

function copyColumn(data: PlainTensor['data'], width: number, column: number, target: Float64Array | BigInt64Array | string[], offset: number, count: number): void {
  if (target instanceof Float64Array) {
    const source = data as ArrayLike<number>;
    for (let r = 0; r < count; r++) target[offset + r] = source[r * width + column]!;
  } else if (target instanceof BigInt64Array) {
    const source = data as BigInt64Array;
    for (let r = 0; r < count; r++) target[offset + r] = source[r * width + column]!;
  } else {
    for (let r = 0; r < count; r++) target[offset + r] = String(data[r * width + column]);
  }
}
