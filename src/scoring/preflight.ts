import type { Chunk } from '../chunking/index.js';
import { PrescoreError } from '../errors/index.js';
import { boolOf, isMissingCell, trimCell, type InputBinding } from '../model/index.js';
import { parseChunk, type ParsedChunk } from './column-parser.js';
import { parseDecimal } from './number-parser.js';
import type { WorkerSetup } from './worker-protocol.js';

/** What a cell is, for the type of the input it feeds. */
type CellFit = 'fits' | 'missing' | 'misfit';

/**
 * Checks the first chunk of a table against the mapping before any row is
 * scored: a column none of whose present cells fits the input it feeds (text
 * in a float column, fractions in an integer one, words in a bool one) is
 * the wrong column or the wrong type, not a few bad rows, and stops the run
 * with the first such cell's file, line, column and value. A column with
 * some cells that fit is left to the row checks and the reject gate. Reads
 * every input column as text: one parse of one chunk, on the calling
 * thread. Throws CSV_DTYPE_MISMATCH.
 */
export function preflightChunk(setup: Pick<WorkerSetup, 'parse' | 'inputs'>, chunk: Chunk): void {
  const columns = [...setup.parse.numeric, ...setup.parse.text].sort((a, b) => a - b);
  const parsed = parseChunk(chunk, { ...setup.parse, numeric: [], text: columns });
  const checked = new Set<number>();
  for (const binding of setup.inputs.bindings) {
    if (binding.dtype === 'string') continue;
    for (const index of binding.columnIndexes) {
      if (checked.has(index)) continue;
      checked.add(index);
      const cells = parsed.text[columns.indexOf(index)]!;
      let first = -1;
      let fits = false;
      for (let r = 0; r < cells.length && !fits; r++) {
        const fit = fitOf(cells[r]!, binding, setup.parse.naValues);
        if (fit === 'fits') fits = true;
        else if (fit === 'misfit' && first < 0) first = r;
      }
      if (!fits && first >= 0) throw mismatch(binding, setup.parse.header[index]!, index, chunk.source, parsed.lines[first]!, cells[first]!, cells.length);
    }
  }
}

/**
 * `preflightChunk`, answered first from the chunk's own parse: a column with a
 * fitting value among the rows the parser kept passes without a second parse.
 * Only when some column has none does the whole check run, so the outcome is
 * `preflightChunk`'s; the common case costs one pass over a few values
 * instead of every cell of the chunk decoded as text (~90 ms of a 1 MiB chunk).
 */
export function preflightParsed(setup: Pick<WorkerSetup, 'parse' | 'inputs'>, chunk: Chunk, parsed: ParsedChunk): void {
  if (!everyColumnFits(setup, parsed)) preflightChunk(setup, chunk);
}

function everyColumnFits({ parse, inputs }: Pick<WorkerSetup, 'parse' | 'inputs'>, parsed: ParsedChunk): boolean {
  const checked = new Set<number>();
  for (const binding of inputs.bindings) {
    if (binding.dtype === 'string') continue;
    for (const index of binding.columnIndexes) {
      if (checked.has(index)) continue;
      checked.add(index);
      const slot = parse.numeric.indexOf(index);
      if (slot >= 0 ? !someValueFits(parsed.numeric[slot]!, parsed.rows, binding) : !someCellFits(parsed.text[parse.text.indexOf(index)]!, binding, parse.naValues)) return false;
    }
  }
  return true;
}

/** The parser keeps a number only by `fitOf`'s rule, and reads a missing one as NaN. */
function someValueFits(values: Float64Array, rows: number, binding: InputBinding): boolean {
  const integer = binding.dtype === 'int32' || binding.dtype === 'int64';
  for (let r = 0; r < rows; r++) {
    const value = values[r]!;
    if (Number.isFinite(value) && (!integer || Number.isInteger(value))) return true;
  }
  return false;
}

function someCellFits(cells: readonly string[], binding: InputBinding, naValues: readonly string[]): boolean {
  return cells.some((cell) => fitOf(cell, binding, naValues) === 'fits');
}

const scratch = new Float64Array(1);

function fitOf(cell: string, binding: InputBinding, naValues: readonly string[]): CellFit {
  if (isMissingCell(cell, naValues)) return 'missing';
  if (binding.dtype === 'bool') return boolOf(cell) === undefined ? 'misfit' : 'fits';
  // The parser's own number rule, so that the preflight and the workers agree on every cell.
  const bytes = Buffer.from(trimCell(cell));
  if (parseDecimal(bytes, 0, scratch, 0) !== bytes.length || !Number.isFinite(scratch[0])) return 'misfit';
  const integer = binding.dtype === 'int32' || binding.dtype === 'int64';
  return integer && !Number.isInteger(scratch[0]) ? 'misfit' : 'fits';
}

function mismatch(binding: InputBinding, column: string, index: number, file: string, line: number, value: string, rows: number): PrescoreError {
  const wants = binding.dtype === 'bool' ? 'a bool (true/false, 1/0)' : binding.dtype.startsWith('int') ? 'an integer' : 'a number';
  return new PrescoreError('CSV_DTYPE_MISMATCH', `The column "${column}" feeds the model input "${binding.input}" (${binding.dtype}), but none of its values in the first ${rows} rows is ${wants}`, {
    file,
    line,
    column: index + 1,
    value,
    hint: `Check the mapping with prescore inspect MODEL --input TABLE: this column holds another type than the input takes (a wrong --features entry, or a model exported with another type for "${binding.input}")`,
  });
}
