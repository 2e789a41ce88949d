import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readChunks } from '../../src/chunking/index.js';
import { parseChunk, type ParsedChunk, type ParseSpec } from '../../src/scoring/column-parser.js';

const encoder = new TextEncoder();
const HEADER = ['id', 'x', 'name', 'y', 'skip'];
const SPEC: ParseSpec = {
  delimiter: 0x2c,
  header: HEADER,
  idColumn: 0,
  numeric: [1, 3],
  text: [2],
  naValues: ['NA'],
  maxFieldBytes: 16,
  maxIdBytes: 8,
};

function parseText(text: string | Uint8Array, spec: Partial<ParseSpec> = {}, firstLine = 2): ParsedChunk {
  const bytes = typeof text === 'string' ? encoder.encode(text) : text;
  return parseChunk({ index: 0, source: 'in.csv', firstLine, bytes }, { ...SPEC, ...spec });
}

function rejectOf(text: string | Uint8Array, spec: Partial<ParseSpec> = {}) {
  const parsed = parseText(text, spec);
  expect(parsed.rows).toBe(0);
  expect(parsed.rejects).toHaveLength(1);
  return parsed.rejects[0];
}

describe('parseChunk', () => {
  it('parses ids, numbers and text into columns with their lines', () => {
    const parsed = parseText('a,1.5,Ann,-2,zzz\nb,  39 ,"Bo, ""B""",3e2,\n');
    expect(parsed).toMatchObject({ rowsRead: 2, rows: 2, ids: ['a', 'b'], text: [['Ann', 'Bo, "B"']], rejects: [] });
    expect([...parsed.lines]).toEqual([2, 3]);
    expect(parsed.numeric.map((column) => [...column])).toEqual([
      [1.5, 39],
      [-2, 300],
    ]);
  });

  it('skips blank lines and handles CRLF, a CR at the very end, and no final newline', () => {
    const parsed = parseText('\r\na,1,t,2,s\r\n\n\r\nb,3,u,4,s\r');
    expect(parsed.ids).toEqual(['a', 'b']);
    expect([...parsed.lines]).toEqual([3, 6]);
    expect(parsed.text).toEqual([['t', 'u']]);
    expect(parsed.rowsRead).toBe(2);
    expect(parseText('a,1,t,2,s').ids).toEqual(['a']);
  });

  it('counts the lines inside quoted fields (LF and CRLF) for the rows after them', () => {
    const parsed = parseText('a,1,"two\nlines",2,"x\r\ny"\r\nb,1,t,2,s\n');
    expect([...parsed.lines]).toEqual([2, 5]);
    expect(parsed.text[0]).toEqual(['two\nlines', 't']);
  });

  it('reads empty and NA cells as NaN, quoted and padded numbers as numbers, -0 as -0', () => {
    const parsed = parseText('a,,t,NA,s\nb," 1.5\t","",-0,s\nc, NA ,t,"NA",s\n');
    const [x, y] = parsed.numeric.map((column) => [...column]);
    expect(x).toEqual([NaN, 1.5, NaN]);
    expect(Object.is(y?.[1], -0)).toBe(true);
    expect(y?.[2]).toBeNaN();
    expect(parsed.text[0]).toEqual(['t', '', 't']);
  });

  it('treats a numeric NA value as missing, fast path or not', () => {
    const parsed = parseText('a,-999,t,2,s\n', { naValues: ['-999'] });
    expect(parsed.numeric[0]?.[0]).toBeNaN();
  });

  it('compares trimmed cells with the NA values, so a value with a blank at either end never matches, fast path or not', () => {
    expect(rejectOf('a,NA ,t,2,s\n', { naValues: ['NA '] })).toMatchObject({ code: 'CSV_NOT_A_NUMBER', column: 'x' });
    expect(rejectOf('a,"\tNA",t,2,s\n', { naValues: ['\tNA'] })).toMatchObject({ code: 'CSV_NOT_A_NUMBER', column: 'x' });
  });

  it('does not trim a tab when it is the delimiter', () => {
    const parsed = parseText('a\t 1 \tt\t2\ts\n', { delimiter: 0x09 });
    expect(parsed.numeric[0]?.[0]).toBe(1);
    expect(parseText('a\t1\t\t2\ts\n', { delimiter: 0x09 }).text).toEqual([['']]);
  });

  it('never decodes nor limits skipped columns', () => {
    const bytes = Uint8Array.from([...encoder.encode('a,1,t,2,'), 0xff, 0xfe, ...encoder.encode('x'.repeat(100)), 0x0a]);
    expect(parseText(bytes).rows).toBe(1);
  });

  it('rejects a row with too few or too many fields (CSV_COLUMN_COUNT)', () => {
    expect(rejectOf('\na,1,t\n')).toEqual({
      source: 'in.csv',
      line: 3,
      column: 'y',
      columnIndex: 3,
      value: 'a,1,t',
      code: 'CSV_COLUMN_COUNT',
      reason: 'expected 5 fields, found 3',
    });
    expect(rejectOf('a,1,t,2,s,extra\r\n')).toMatchObject({ line: 2, column: '', columnIndex: 5, value: 'a,1,t,2,s,extra', code: 'CSV_COLUMN_COUNT' });
  });

  it('rejects a value that is not a finite decimal number (CSV_NOT_A_NUMBER)', () => {
    for (const value of ['0x10', 'Infinity', '1e', '1_000', 'abc', '1e400', '-', '.', '1 2', '"1"""', '0b1']) {
      const reject = rejectOf(`a,1,t,${value},s\n`);
      expect(reject, value).toMatchObject({ line: 2, column: 'y', columnIndex: 3, code: 'CSV_NOT_A_NUMBER' });
      expect(reject?.value).toBe(value.startsWith('"') ? '1"' : value);
    }
  });

  it('rejects an empty id (CSV_EMPTY_ID), quoted or not', () => {
    expect(rejectOf(',1,t,2,s\n')).toMatchObject({ line: 2, column: 'id', columnIndex: 0, value: '', code: 'CSV_EMPTY_ID' });
    expect(rejectOf('"",1,t,2,s\n')).toMatchObject({ code: 'CSV_EMPTY_ID' });
  });

  it('rejects an over-long id, text or number (CSV_FIELD_TOO_LONG)', () => {
    expect(rejectOf('abcdefghi,1,t,2,s\n')).toMatchObject({ column: 'id', value: 'abcdefghi', code: 'CSV_FIELD_TOO_LONG' });
    expect(rejectOf(`a,1,${'t'.repeat(17)},2,s\n`)).toMatchObject({ column: 'name', columnIndex: 2, code: 'CSV_FIELD_TOO_LONG' });
    expect(rejectOf(`a,${'1'.repeat(17)},t,2,s\n`)).toMatchObject({ column: 'x', columnIndex: 1, code: 'CSV_FIELD_TOO_LONG' });
    // The limit counts unquoted bytes: 16 quotes doubled are 16 bytes.
    expect(parseText(`a,1,"${'""'.repeat(16)}",2,s\n`).text[0]).toEqual(['"'.repeat(16)]);
  });

  it('cuts a long reject value after 200 bytes', () => {
    const reject = rejectOf(`a,1,${'t'.repeat(300)},2,s\n`, { maxFieldBytes: 1000, numeric: [1, 2, 3], text: [] });
    expect(reject?.value).toBe(`${'t'.repeat(200)}…`);
  });

  it('rejects invalid UTF-8 in an id or a text field (CSV_INVALID_UTF8)', () => {
    const bad = (id: string, name: string) => Uint8Array.from([...encoder.encode(`${id},1,`), ...(name === '' ? [0xc3, 0x28] : encoder.encode(name)), ...encoder.encode(',2,s\n')]);
    expect(rejectOf(bad('a', ''))).toMatchObject({ column: 'name', columnIndex: 2, value: '\ufffd(', code: 'CSV_INVALID_UTF8' });
    const badId = Uint8Array.from([0xe2, 0x82, ...encoder.encode(',1,t,2,s\n')]);
    expect(rejectOf(badId)).toMatchObject({ column: 'id', code: 'CSV_INVALID_UTF8' });
    expect(parseText('é€😀,1,"ü ""q""",2,s\n', { maxIdBytes: 9 })).toMatchObject({ ids: ['é€😀'], text: [['ü "q"']] });
  });

  it('rejects a quote inside an unquoted field or text after a closing quote (CSV_INVALID_QUOTE)', () => {
    expect(rejectOf('a,1,t"u,2,s\n')).toMatchObject({ line: 2, column: 'name', columnIndex: 2, value: 't"u', code: 'CSV_INVALID_QUOTE' });
    expect(rejectOf('a,1,"t"u,2,s\n')).toMatchObject({ column: 'name', value: '"t"u', code: 'CSV_INVALID_QUOTE' });
    expect(rejectOf('a,1, "t",2,s\n')).toMatchObject({ column: 'name', code: 'CSV_INVALID_QUOTE' });
    expect(rejectOf('a,1,"t" ,2,s\n')).toMatchObject({ column: 'name', code: 'CSV_INVALID_QUOTE' });
    expect(rejectOf('a,1,t,2,"s"\rx\n')).toMatchObject({ column: 'skip', code: 'CSV_INVALID_QUOTE' });
  });

  it('rejects once per row: a quote problem, then the field count, then the first bad field', () => {
    expect(rejectOf(',x,t"u\n')).toMatchObject({ code: 'CSV_INVALID_QUOTE' });
    expect(rejectOf(',x,t\n')).toMatchObject({ code: 'CSV_COLUMN_COUNT' });
    expect(rejectOf('a,x,t,y,s\n')).toMatchObject({ code: 'CSV_NOT_A_NUMBER', column: 'x' });
  });

  it('keeps good rows around rejected ones, with rowsRead counting both', () => {
    const parsed = parseText('a,1,t,2,s\nb,x,t,2,s\n\nc,3,t,4,s\n');
    expect(parsed).toMatchObject({ rowsRead: 3, rows: 2, ids: ['a', 'c'] });
    expect([...parsed.lines]).toEqual([2, 5]);
    expect(parsed.numeric.map((column) => [...column])).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(parsed.rejects.map((r) => r.line)).toEqual([3]);
  });

  it('grows its columns past the first allocation', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `r${i},${i},t${i},${i / 4},s`);
    const parsed = parseText(`${rows.join('\n')}\n`, { maxIdBytes: 8 });
    expect(parsed.rows).toBe(1000);
    expect(parsed.numeric[1]?.[999]).toBe(999 / 4);
    expect(parsed.lines[999]).toBe(1001);
    expect(parsed.numeric[0]).toHaveLength(1000);
  });

  it('parses more plain records than the fast path takes in one call, with records it cannot take at the boundaries', () => {
    // The fast path takes at most 4,096 records a call; records 4,095, 4,096 and 8,191 have a doubled quote, which it leaves to the record loop.
    const special = new Set([4095, 4096, 8191]);
    const rows = Array.from({ length: 10_000 }, (_, i) => (special.has(i) ? `r${i},${i},"t""${i}",${i / 4},s` : `r${i},${i},t${i},${i / 4},s`));
    const parsed = parseText(`${rows.join('\n')}\n`, { maxIdBytes: 8 });
    expect(parsed.rows).toBe(10_000);
    expect(parsed.ids).toEqual(rows.map((_, i) => `r${i}`));
    expect(parsed.text[0]).toEqual(rows.map((_, i) => (special.has(i) ? `t"${i}` : `t${i}`)));
    expect([...parsed.numeric[0]!]).toEqual(rows.map((_, i) => i));
    expect([...parsed.numeric[1]!]).toEqual(rows.map((_, i) => i / 4));
    expect([...parsed.lines]).toEqual(rows.map((_, i) => i + 2));
  });

  it('refuses a spec that gives a column two roles or names one out of range (INTERNAL)', () => {
    expect(() => parseText('a,1,t,2,s\n', { text: [1] })).toThrowError(expect.objectContaining({ code: 'INTERNAL' }));
    expect(() => parseText('a,1,t,2,s\n', { numeric: [1, 5] })).toThrowError(expect.objectContaining({ code: 'INTERNAL' }));
  });

  it('throws CSV_UNCLOSED_QUOTE on bytes the splitter would not produce', () => {
    expect(() => parseText('a,1,"t,2,s\n')).toThrowError(expect.objectContaining({ code: 'CSV_UNCLOSED_QUOTE', line: 2 }));
  });
});

/* ------------------------------------------------------------------------------------------------
 * Property: the fast path agrees with csv-parse. Random CSVs are split by the chunk reader (random
 * chunk targets and stream piece sizes), every chunk goes through parseChunk, and the result must be
 * what csv-parse/sync gives on the whole text with
 *   { bom: true, skip_empty_lines: true, relax_column_count: true, info: true }
 * (record delimiter auto-detected, as by default), after our cell rules: numbers are Number() of
 * the cell trimmed of spaces/tabs when it is a finite decimal, '' and NA are NaN. Lines: csv-parse's
 * info.lines is the line a record ends on, so its first line is that minus the LFs inside it.
 * Embedded newlines here are LF only: csv-parse counts a CR inside quotes as a line too.
 * ---------------------------------------------------------------------------------------------- */

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NA_VALUES = ['NA', 'null'];

interface Cell {
  readonly value: string;
  readonly quote: boolean;
  /** A malformed field written as is: a quote inside an unquoted field, or text after a closing quote. */
  readonly bad?: string | undefined;
}

const numberText = fc.oneof(
  fc.double({ noNaN: true }).map(String),
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc.tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 8 })).map(([v, d]) => v.toFixed(d)),
  fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 21 })).map(([v, p]) => v.toPrecision(p)),
  fc.constantFrom('', 'NA', 'null', ' 39', '39 ', '\t1.5\t', '0x10', 'Infinity', '1e', '.', '-', '+.5', '5.', '1e400', '1_0', 'abc', '00012', '-0', '  ', 'NaN', '1,5', '"2"'),
);
const textUnit = fc.constantFrom('a', 'b', ' ', '\t', ',', '"', '\n', 'é', '€', '😀', '1', '-');
const textValue = fc.string({ unit: textUnit, maxLength: 8 });
const idValue = fc.oneof({ arbitrary: fc.string({ unit: textUnit, minLength: 1, maxLength: 6 }), weight: 9 }, { arbitrary: fc.constant(''), weight: 1 });

const badField = fc.constantFrom('x"y', '"x"y', '"x" ', ' "x"', '1"');

/**
 * Plain records, the kind FastRows takes (fast-rows.wat): numbers with 1 to 19
 * digits and a few just past it, any double's round-trip text (subnormals and
 * ±308 exponents included), ASCII ids and text, few quotes and few bad
 * fields, so that most records go through the fast path and the rest test
 * the hand-over between the two.
 */
const plainNumber = fc.oneof(
  { arbitrary: fc.integer({ min: -1e6, max: 1e6 }).map(String), weight: 3 },
  { arbitrary: fc.tuple(fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.integer({ min: 0, max: 10 })).map(([v, d]) => v.toFixed(d)), weight: 4 },
  { arbitrary: fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map(String), weight: 1 },
  { arbitrary: fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.nat({ max: 21 })).map(([v, d]) => `${v}`.padStart(d + 1, '0').replace(new RegExp(`(\\d{${d}})$`), '.$1')), weight: 2 },
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String), weight: 2 },
  {
    arbitrary: fc
      .tuple(fc.integer({ min: -99_999, max: 99_999 }), fc.nat({ max: 4 }), fc.constantFrom('e', 'E', 'e+', 'e-', 'E-0'), fc.integer({ min: 0, max: 30 }))
      .map(([m, d, e, k]) => `${(m / 10 ** d).toFixed(d)}${e}${k}`),
    weight: 2,
  },
  { arbitrary: fc.constantFrom('-0', '+.5', '5.', '-.25', '+7', '0.000', '1e5', '1e', '2E+', '3e1000', 'NA', '', '-', '.'), weight: 1 },
);
const plainUnit = fc.constantFrom('a', 'b', 'Z', '1', '-', '_', ' ', '.');
const plainText = fc.oneof({ arbitrary: fc.string({ unit: plainUnit, maxLength: 8 }), weight: 9 }, { arbitrary: textValue, weight: 1 });
const plainId = fc.oneof({ arbitrary: fc.string({ unit: plainUnit, minLength: 1, maxLength: 6 }), weight: 19 }, { arbitrary: idValue, weight: 1 });

interface CellKinds {
  readonly numeric: fc.Arbitrary<string>;
  readonly id: fc.Arbitrary<string>;
  readonly text: fc.Arbitrary<string>;
  readonly quoted: fc.Arbitrary<boolean>;
  /** One cell in this many is malformed. */
  readonly badFreq: number;
  readonly maxRows: number;
}

const MIXED: CellKinds = { numeric: numberText, id: idValue, text: textValue, quoted: fc.boolean(), badFreq: 30, maxRows: 16 };
const PLAIN: CellKinds = { numeric: plainNumber, id: plainId, text: plainText, quoted: fc.constantFrom(false, false, false, false, false, false, false, false, false, true), badFreq: 200, maxRows: 40 };

function cellOf(value: fc.Arbitrary<string>, cells: CellKinds): fc.Arbitrary<Cell> {
  // Not fc.option: its `freq` sets how rarely the cell is *not* malformed.
  const bad = fc.oneof({ arbitrary: fc.constant(undefined), weight: cells.badFreq - 1 }, { arbitrary: badField, weight: 1 });
  return fc.record({ value, quote: cells.quoted, bad });
}

function tableOf(cells: CellKinds) {
  return fc
    .record({
      kinds: fc.array(fc.constantFrom('numeric', 'numeric', 'text', 'skip'), { minLength: 0, maxLength: 5 }),
      idAt: fc.nat(),
      names: fc.array(fc.constantFrom('c', 'a,b', 'q"', 'ü', ' s'), { minLength: 5, maxLength: 5 }),
    })
    .chain(({ kinds, idAt, names }) => {
      const width = kinds.length + 1;
      const idColumn = idAt % width;
      const columns = [...kinds.slice(0, idColumn), 'id', ...kinds.slice(idColumn)];
      const row = fc
        .tuple(fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 1), cellOf(cells.text, cells), fc.integer({ min: 0, max: 9 }))
        .chain(([delta, extra, blank]) =>
          blank === 0
            ? fc.constant<Cell[]>([])
            : fc.tuple(...columns.map((kind) => cellOf(kind === 'numeric' ? cells.numeric : kind === 'id' ? cells.id : cells.text, cells))).map((row) =>
                delta < 0 ? row.slice(0, Math.max(1, row.length - 1)) : delta > 0 ? [...row, extra] : row,
              ),
        );
      return fc.record({
        header: fc.constant(columns.map((_, i) => `${names[i % names.length]}${i}`)),
        columns: fc.constant(columns),
        rows: fc.array(row, { maxLength: cells.maxRows }),
        crlf: fc.boolean(),
        bom: fc.boolean(),
        finalNewline: fc.boolean(),
        leadingBlank: fc.boolean(),
        maxFieldBytes: fc.oneof({ arbitrary: fc.integer({ min: 3, max: 12 }), weight: 1 }, { arbitrary: fc.constant(64), weight: 3 }),
        maxIdBytes: fc.oneof({ arbitrary: fc.integer({ min: 2, max: 12 }), weight: 1 }, { arbitrary: fc.constant(64), weight: 3 }),
        target: fc.integer({ min: 1, max: 200 }),
        piece: fc.integer({ min: 1, max: 64 }),
      });
    });
}

const table = tableOf(MIXED);
const plainTable = tableOf(PLAIN);

type TableCase = typeof table extends fc.Arbitrary<infer T> ? T : never;

function serialize(cells: readonly Cell[]): string {
  return cells
    .map(({ value, quote, bad }) => bad ?? (quote || /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value))
    .join(',');
}

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
}

describe('parseChunk against csv-parse', () => {
  it('gives csv-parse’s ids, numbers, strings and lines on random CSVs split at random', async () => {
    await fc.assert(
      fc.asyncProperty(table, (t) => agreesWithCsvParse(t, [t.target])),
      { numRuns: 1000 },
    );
  });

  it('gives the same for every chunk size, from one byte to the whole file', async () => {
    await fc.assert(
      fc.asyncProperty(table, (t) => agreesWithCsvParse(t, 'every')),
      { numRuns: 40 },
    );
  });

  it('gives the same on mostly plain records, which the fast path takes, split at random and at every size', async () => {
    await fc.assert(
      fc.asyncProperty(plainTable, (t) => agreesWithCsvParse(t, [t.target])),
      { numRuns: 1000 },
    );
    await fc.assert(
      fc.asyncProperty(plainTable, (t) => agreesWithCsvParse(t, 'every')),
      { numRuns: 30 },
    );
  });
});

/** Chunks a generated table's CSV at each target size (`every`: 1 byte up to the whole text) and checks every result against csv-parse on the whole text. */
async function agreesWithCsvParse(t: TableCase, targets: readonly number[] | 'every'): Promise<void> {
  const eol = t.crlf ? '\r\n' : '\n';
  const header = t.header.map((value) => ({ value, quote: false }));
  const lines = [serialize(header), ...t.rows.map(serialize)];
  // Records as csv-parse sees them (it drops blank lines), and where each has its first malformed field.
  const badAt = t.rows.filter((cells) => serialize(cells) !== '').map((cells) => cells.findIndex((cell) => cell.bad !== undefined));
  const text = `${t.bom ? '\ufeff' : ''}${t.leadingBlank ? eol : ''}${lines.join(eol)}${t.finalNewline ? eol : ''}`;
  // relax_quotes keeps csv-parse going past a malformed field (reading the quote as data, as the
  // splitter does), where by default it would throw; those rows must be CSV_INVALID_QUOTE rejects.
  const records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true, info: true }) as unknown as {
    record: string[];
    info: { lines: number };
  }[];
  expect(records.length - 1).toBe(badAt.length);

  const bytes = encoder.encode(text);
  for (const target of targets === 'every' ? Array.from({ length: bytes.length }, (_, i) => i + 1) : targets) {
    const csv = await readChunks(pieces(bytes, t.piece), { source: 'p.csv', targetChunkBytes: target });
    expect(csv.header).toEqual(records[0]?.record);
    const spec: ParseSpec = {
      delimiter: 0x2c,
      header: csv.header,
      idColumn: t.columns.indexOf('id'),
      numeric: t.columns.flatMap((kind, i) => (kind === 'numeric' ? [i] : [])),
      text: t.columns.flatMap((kind, i) => (kind === 'text' ? [i] : [])),
      naValues: NA_VALUES,
      maxFieldBytes: t.maxFieldBytes,
      maxIdBytes: t.maxIdBytes,
    };
    const actual = { rowsRead: 0, ids: [] as string[], lines: [] as number[], numeric: spec.numeric.map(() => [] as number[]), text: spec.text.map(() => [] as string[]), rejects: [] as unknown[] };
    for await (const chunk of csv.chunks) {
      const parsed = parseChunk(chunk, spec);
      actual.rowsRead += parsed.rowsRead;
      actual.ids.push(...parsed.ids);
      actual.lines.push(...parsed.lines);
      parsed.numeric.forEach((column, k) => actual.numeric[k]?.push(...column));
      parsed.text.forEach((column, k) => actual.text[k]?.push(...column));
      actual.rejects.push(...parsed.rejects.map(({ line, code, columnIndex, column, value }) => ({ line, code, columnIndex, column, ...(code === 'CSV_COLUMN_COUNT' || code === 'CSV_INVALID_QUOTE' ? {} : { value }) })));
    }
    expect(normalize(actual), `chunk target ${target} bytes`).toEqual(normalize(expected(records.slice(1), badAt, spec)));
  }
}

/** What parseChunk must give for csv-parse's data records, by the rules in its doc comment. */
function expected(records: readonly { record: string[]; info: { lines: number } }[], badAt: readonly number[], spec: ParseSpec) {
  const out = { rowsRead: records.length, ids: [] as string[], lines: [] as number[], numeric: spec.numeric.map(() => [] as number[]), text: spec.text.map(() => [] as string[]), rejects: [] as unknown[] };
  const bytes = (s: string) => encoder.encode(s).length;
  records.forEach(({ record, info }, r) => {
    const line = info.lines - record.join('').split('\n').length + 1;
    const reject = (code: string, columnIndex: number, value?: string) =>
      out.rejects.push({ line, code, columnIndex, column: spec.header[columnIndex] ?? '', ...(value === undefined ? {} : { value }) });
    const bad = badAt[r] as number;
    if (bad !== -1) {
      reject('CSV_INVALID_QUOTE', bad);
      return;
    }
    if (record.length !== spec.header.length) {
      reject('CSV_COLUMN_COUNT', Math.min(record.length, spec.header.length));
      return;
    }
    const numbers: number[] = [];
    let fault = false;
    for (let i = 0; i < record.length && !fault; i++) {
      const cell = record[i] as string;
      fault = true;
      if (i === spec.idColumn) {
        if (cell === '') reject('CSV_EMPTY_ID', i, cell);
        else if (bytes(cell) > spec.maxIdBytes) reject('CSV_FIELD_TOO_LONG', i, cell);
        else fault = false;
      } else if (spec.numeric.includes(i)) {
        const trimmed = cell.replace(/^[ \t]+|[ \t]+$/g, '');
        const value = trimmed === '' || spec.naValues.includes(trimmed) ? NaN : DECIMAL.test(trimmed) ? Number(trimmed) : undefined;
        if (bytes(cell) > spec.maxFieldBytes) reject('CSV_FIELD_TOO_LONG', i, cell);
        else if (value === undefined || value === Infinity || value === -Infinity) reject('CSV_NOT_A_NUMBER', i, cell);
        else {
          fault = false;
          numbers.push(value);
        }
      } else if (spec.text.includes(i)) {
        if (bytes(cell) > spec.maxFieldBytes) reject('CSV_FIELD_TOO_LONG', i, cell);
        else fault = false;
      } else {
        fault = false;
      }
    }
    if (fault) return;
    out.ids.push(record[spec.idColumn] as string);
    out.lines.push(line);
    numbers.forEach((value, k) => out.numeric[k]?.push(value));
    spec.text.forEach((column, k) => out.text[k]?.push(record[column] as string));
  });
  return out;
}

/** Makes NaN and -0 comparable by toEqual. */
function normalize<T extends { numeric: number[][] }>(result: T): T {
  return { ...result, numeric: result.numeric.map((column) => column.map((v) => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : v))) };
}
