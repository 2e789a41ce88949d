import type { InputBinding, InputDtype, InputPlan, PlainTensor, TensorData } from '../model/index.js';
import { ColumnKernels } from './column-kernels.js';

/** The parsed columns of a chunk, keyed by header position. */
export interface ColumnStore {
  readonly numeric: ReadonlyMap<number, Float64Array>;
  readonly text: ReadonlyMap<number, readonly string[]>;
}

/**
 * Builds the model feeds for rows `[start, start + count)`, padded to `size`
 * rows by repeating the last row (models with a fixed batch dimension refuse a
 * short batch; the padded outputs are dropped by the caller). Pure.
 */
export function buildFeeds(plan: InputPlan, store: ColumnStore, start: number, count: number, size: number): Record<string, PlainTensor> {
  const feeds: Record<string, PlainTensor> = {};
  for (const binding of plan.bindings) feeds[binding.input] = buildTensor(binding, store, start, count, size);
  return feeds;
}

/** Rows of a tensor filled column by column: 64 rows of 32 features are 8 to 16 KiB, well within L1. */
const BLOCK_ROWS = 64;

function buildTensor(binding: InputBinding, store: ColumnStore, start: number, count: number, size: number): PlainTensor {
  const width = binding.columnIndexes.length;
  const dims = binding.layout === 'vector' ? [size] : [size, width];
  if (binding.dtype === 'string') {
    const values = new Array<string>(size * width);
    binding.columnIndexes.forEach((index, f) => {
      const column = store.text.get(index)!;
      for (let r = 0; r < size; r++) values[r * width + f] = column[start + Math.min(r, count - 1)]!;
    });
    return { dtype: 'string', data: values, dims };
  }
  const data = allocate(binding.dtype, size * width);
  const columns = binding.columnIndexes.map((index) => store.numeric.get(index)!);
  if (data instanceof BigInt64Array) {
    columns.forEach((column, f) => {
      for (let r = 0; r < size; r++) data[r * width + f] = BigInt(column[start + Math.min(r, count - 1)]!);
    });
  } else {
    if (data instanceof Float32Array) {
      ColumnKernels.get().interleave(columns, start, count, data);
    } else {
      // A column at a time over blocks of rows, as the float32 kernel does.
      for (let r0 = 0; r0 < count; r0 += BLOCK_ROWS) {
        const end = start + Math.min(count, r0 + BLOCK_ROWS);
        for (let f = 0; f < width; f++) {
          const column = columns[f]!;
          for (let i = start + r0, at = r0 * width + f; i < end; i++, at += width) data[at] = column[i]!;
        }
      }
    }
    // Rows past `count` repeat the last real row: valid values the model accepts.
    for (let r = count; r < size; r++) data.copyWithin(r * width, (count - 1) * width, count * width);
  }
  return { dtype: binding.dtype, data, dims };
}

function allocate(dtype: Exclude<InputDtype, 'string'>, length: number): Exclude<TensorData, string[]> {
  switch (dtype) {
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'int64':
      return new BigInt64Array(length);
    case 'bool':
      return new Uint8Array(length);
  }
}
