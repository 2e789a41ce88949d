import { FAST_ROWS_WASM, POWERS_OF_FIVE } from './fast-rows-wasm.js';
import { POW10 } from './number-parser.js';
import { instantiateWasm, reserveWasmMemory, type WasmMemory } from './wasm-instance.js';

/** Records per call of the module: the height of its output columns. */
const STRIDE = 4096;
/** The Eisel–Lemire table (fast-rows.wat), and where it goes: after the powers of ten. */
const POWERS = Buffer.from(POWERS_OF_FIVE, 'base64');
const POWERS_AT = 256;
/** Where the layout starts, after the tables. */
const LAYOUT_START = POWERS_AT + POWERS.length;

/** Column kinds as ChunkParser numbers them; the module reads the same bytes. */
export const KIND = { skip: 0, numeric: 1, text: 2, id: 3 } as const;

/**
 * The largest chunk the module takes: its memory can grow but never shrink, so
 * one huge record must not hold a worker's memory up for the rest of the run.
 * Chunks are ~1 MiB (DEFAULT_TARGET_CHUNK_BYTES) unless a record is larger.
 */
const MAX_CHUNK_BYTES = 16 << 20;

/** Delimiters the module cannot tell from a number's or a record's own bytes. */
const UNSAFE_DELIMITERS = new Set([...'0123456789+-.eE"\r\n'].map((c) => c.charCodeAt(0)));

interface Exports {
  readonly memory: WasmMemory;
  configure(width: number, delimiter: number, maxField: number, maxId: number, kinds: number, slots: number, numbers: number, strings: number, stride: number, na: number): void;
  taken(): number;
  rows(input: number, p: number, n: number, limit: number): number;
  pack(input: number, slot: number, count: number, out: number, ends: number): number;
}

/** What a chunk's plain records need: the columns' roles and the limits on their fields. */
export interface PlainLayout {
  readonly delimiter: number;
  /** Per column: its KIND. */
  readonly kinds: Uint8Array;
  /** Per column: its numeric slot, or its text slot for a text column (ids have one slot). */
  readonly slots: Int32Array;
  readonly numericCount: number;
  readonly textCount: number;
  readonly maxFieldBytes: number;
  readonly maxIdBytes: number;
  /** The NA spellings of numeric cells, none of them a number nor empty; the module leaves cells equal to one longer than 255 bytes to the caller. */
  readonly naValues: readonly Uint8Array[];
}

/**
 * The parser's fast path, in WebAssembly (fast-rows.wat says what it takes):
 * about 2x faster on plain numbers than the same loop in JavaScript, where
 * every byte load pays for a bounds and a type check. It copies a chunk into
 * its memory and parses plain records into output columns there; the
 * JavaScript parser copies them out and takes every other record itself.
 * One instance per thread, used by one chunk at a time.
 */
export class FastRows {
  private static shared: FastRows | undefined;
  private readonly exports: Exports;
  private f64!: Float64Array;
  private i32!: Int32Array;
  /** The memory as bytes: a Buffer, for its one-call latin1 decode in `packed`. */
  private memoryBytes!: Buffer;
  /** Where the output columns and the chunk start in memory, and the chunk's length. */
  private numbers = 0;
  private strings = 0;
  private input = 0;
  private length = 0;
  /** The last `take`'s limit. */
  private limit = 0;
  /** Where `packed` puts a slot's fields (never more bytes than the chunk's) and their ends. */
  private packAt = 0;
  private endsAt = 0;

  private constructor() {
    this.exports = instantiateWasm(FAST_ROWS_WASM) as Exports;
    this.views();
    this.f64.set(POW10);
    this.memoryBytes.set(POWERS, POWERS_AT);
  }

  /**
   * This thread's instance, set up for `layout` and loaded with `bytes`, or
   * undefined when the delimiter could be part of a number or a record end,
   * or the chunk is over MAX_CHUNK_BYTES.
   */
  static load(layout: PlainLayout, bytes: Uint8Array): FastRows | undefined {
    if (UNSAFE_DELIMITERS.has(layout.delimiter) || layout.delimiter >= 0x80 || layout.kinds.length === 0) return undefined;
    if (bytes.length > MAX_CHUNK_BYTES) return undefined;
    FastRows.shared ??= new FastRows();
    FastRows.shared.prepare(layout, bytes);
    return FastRows.shared;
  }

  /**
   * Takes plain records from byte `p` of the loaded chunk, at most `limit`
   * (capped at the module's stride). Returns where it stopped: the chunk's end,
   * or the start of a record that is not plain, or of the next one after `limit`.
   */
  take(p: number, limit: number): number {
    this.limit = Math.min(limit, STRIDE);
    return Math.min(this.exports.rows(this.input, p, this.length, this.limit), this.length);
  }

  /** Whether the last `take` stopped at its limit, not at a record it could not take. */
  get full(): boolean {
    return this.exports.taken() === this.limit;
  }

  /** How many records the last `take` parsed. */
  get taken(): number {
    return this.exports.taken();
  }

  /** The numbers of numeric slot `slot` for the first `count` records the last `take` parsed. */
  numbersOf(slot: number, count: number): Float64Array {
    const at = (this.numbers >> 3) + slot * STRIDE;
    return this.f64.subarray(at, at + count);
  }

  /** Where record `row`'s field of string slot `slot` (0 the id, 1 + k text column k) starts in the chunk. */
  start(slot: number, row: number): number {
    return this.i32[(this.strings >> 2) + (slot * STRIDE + row) * 2]!;
  }

  /** Where that field ends (exclusive). */
  end(slot: number, row: number): number {
    return this.i32[(this.strings >> 2) + (slot * STRIDE + row) * 2 + 1]! & 0x7fff_ffff;
  }

  /** Whether that field is all ASCII (else it is well-formed UTF-8): its bytes are then its UTF-16 code units. */
  ascii(slot: number, row: number): boolean {
    return this.i32[(this.strings >> 2) + (slot * STRIDE + row) * 2 + 1]! >= 0;
  }

  /**
   * String slot `slot` (as in `start`) of the first `count` records the last
   * `take` parsed, as one string of the fields one after another, `packedEnd`
   * telling where each ends; or undefined when one of them is not all ASCII.
   * Decoding a slot in one call, then cutting it in JavaScript, costs a third
   * of a decoding call per field (bench/id-decoding.mjs).
   */
  packed(slot: number, count: number): string | undefined {
    const length = this.exports.pack(this.input, slot, count, this.packAt, this.endsAt);
    return length < 0 ? undefined : this.memoryBytes.toString('latin1', this.packAt, this.packAt + length);
  }

  /** Where field `row` of the last `packed` string ends. */
  packedEnd(row: number): number {
    return this.i32[(this.endsAt >> 2) + row]!;
  }

  private prepare(layout: PlainLayout, bytes: Uint8Array): void {
    const width = layout.kinds.length;
    const slots = align(LAYOUT_START + width, 8);
    const na = slots + width * 4;
    const spellings = layout.naValues.filter((value) => value.length <= 255);
    this.numbers = align(na + spellings.reduce((n, value) => n + 1 + value.length, 1), 8);
    this.strings = this.numbers + layout.numericCount * STRIDE * 8;
    this.input = this.strings + (1 + layout.textCount) * STRIDE * 8;
    this.length = bytes.length;
    this.packAt = align(this.input + bytes.length + 4, 8);
    this.endsAt = align(this.packAt + bytes.length, 8);
    // The chunk, an LF that ends its last record if nothing else does, and bytes the CR and UTF-8 checks may read; then `packed`'s room.
    const needed = this.endsAt + STRIDE * 4;
    if (reserveWasmMemory(this.exports.memory, needed)) this.views();
    this.memoryBytes.set(layout.kinds, LAYOUT_START);
    for (let c = 0; c < width; c++) this.i32[(slots >> 2) + c] = layout.kinds[c] === KIND.text ? layout.slots[c]! + 1 : layout.slots[c]!;
    let at = na;
    for (const value of spellings) {
      this.memoryBytes[at] = value.length;
      this.memoryBytes.set(value, at + 1);
      at += 1 + value.length;
    }
    this.memoryBytes[at] = 0;
    this.memoryBytes.set(bytes, this.input);
    this.memoryBytes[this.input + bytes.length] = 0x0a;
    this.memoryBytes.fill(0, this.input + bytes.length + 1, this.input + bytes.length + 4);
    this.exports.configure(width, layout.delimiter, layout.maxFieldBytes, layout.maxIdBytes, LAYOUT_START, slots, this.numbers, this.strings, STRIDE, na);
  }

  private views(): void {
    const { buffer } = this.exports.memory;
    this.f64 = new Float64Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.memoryBytes = Buffer.from(buffer);
  }
}

function align(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}
