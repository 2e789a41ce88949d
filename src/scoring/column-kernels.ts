import { COLUMN_KERNELS_WASM } from './column-kernels-wasm.js';
import { instantiateWasm, reserveWasmMemory, type WasmMemory } from './wasm-instance.js';

interface Exports {
  readonly memory: WasmMemory;
  stats(p: number, n: number, shift: number, out: number): void;
  interleave(input: number, rows: number, width: number, out: number): void;
}

/** Where the columns go in memory, after the stats' five results. */
const COLUMNS_AT = 64;

/** A numeric column's sums over its present values, deviations taken from `shift` (feature-stats.ts). */
export interface ColumnSums {
  readonly count: number;
  readonly sum: number;
  readonly squares: number;
  /** Infinity when no value is present. */
  readonly min: number;
  /** -Infinity when no value is present. */
  readonly max: number;
}

/**
 * The loops over parsed columns that a worker runs on every value, in
 * WebAssembly (column-kernels.wat says why): the input profile's sums and the
 * float32 tensor's fill. Each call copies its columns into the module's
 * memory, a memmove that costs a fraction of the loop it replaces. One
 * instance per thread, used by one call at a time.
 */
export class ColumnKernels {
  private static shared: ColumnKernels | undefined;
  private readonly exports: Exports;
  private f64!: Float64Array;
  private f32!: Float32Array;

  private constructor() {
    this.exports = instantiateWasm(COLUMN_KERNELS_WASM) as Exports;
    this.views();
  }

  /** This thread's instance. */
  static get(): ColumnKernels {
    return (ColumnKernels.shared ??= new ColumnKernels());
  }

  /** The sums of `column`'s present (not NaN) values. */
  sums(column: Float64Array, shift: number): ColumnSums {
    this.reserve(COLUMNS_AT + column.length * 8);
    this.f64.set(column, COLUMNS_AT / 8);
    this.exports.stats(COLUMNS_AT, column.length, shift, 0);
    const f64 = this.f64;
    return { count: f64[0]!, sum: f64[1]!, squares: f64[2]!, min: f64[3]!, max: f64[4]! };
  }

  /**
   * Writes rows `[start, start + count)` of `columns` into `into` as float32
   * rows, `into[r * columns.length + f] = columns[f][start + r]`, from its start.
   */
  interleave(columns: readonly Float64Array[], start: number, count: number, into: Float32Array): void {
    const width = columns.length;
    const out = COLUMNS_AT + width * count * 8;
    this.reserve(out + width * count * 4);
    columns.forEach((column, f) => this.f64.set(column.subarray(start, start + count), COLUMNS_AT / 8 + f * count));
    this.exports.interleave(COLUMNS_AT, count, width, out);
    into.set(this.f32.subarray(out / 4, out / 4 + width * count));
  }

  private reserve(bytes: number): void {
    if (reserveWasmMemory(this.exports.memory, bytes)) this.views();
  }

  private views(): void {
    const { buffer } = this.exports.memory;
    this.f64 = new Float64Array(buffer);
    this.f32 = new Float32Array(buffer);
  }
}
