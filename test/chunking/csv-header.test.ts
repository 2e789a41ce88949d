import { describe, expect, it } from 'vitest';
import { parseHeader } from '../../src/chunking/csv-header.js';

const encoder = new TextEncoder();
const options = { delimiter: 0x2c, source: 'in.csv' };

function header(text: string | Uint8Array, extra: Partial<typeof options & { line: number }> = {}): string[] {
  return parseHeader(typeof text === 'string' ? encoder.encode(text) : text, { ...options, ...extra });
}

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('parseHeader', () => {
  it('splits names, with or without the record terminator, trimming nothing', () => {
    expect(header('id, x ,y\n')).toEqual(['id', ' x ', 'y']);
    expect(header('id,x\r\n')).toEqual(['id', 'x']);
    expect(header('id,x')).toEqual(['id', 'x']);
    expect(header('id,')).toEqual(['id', '']);
  });

  it('unquotes names, un-doubling quotes and keeping delimiters and newlines inside', () => {
    expect(header('"a,b","say ""hi""","two\nlines",""\n')).toEqual(['a,b', 'say "hi"', 'two\nlines', '']);
  });

  it('strips a UTF-8 BOM and decodes UTF-8', () => {
    expect(header('\ufeff"id",ü€\n')).toEqual(['id', 'ü€']);
  });

  it('uses the given delimiter', () => {
    expect(header('a;b,c\n', { delimiter: 0x3b })).toEqual(['a', 'b,c']);
  });

  it('throws CSV_EMPTY for an empty header', () => {
    expect(errorOf(() => header('\r\n', { line: 3 }))).toMatchObject({ code: 'CSV_EMPTY', file: 'in.csv', line: 3 });
    expect(errorOf(() => header('\ufeff'))).toMatchObject({ code: 'CSV_EMPTY' });
  });

  it('throws CSV_DUPLICATE_HEADER naming both positions', () => {
    const error = errorOf(() => header('id,x,y,x\n', { line: 2 }));
    expect(error).toMatchObject({ code: 'CSV_DUPLICATE_HEADER', file: 'in.csv', line: 2, column: 4, value: 'x' });
    expect((error as Error).message).toContain('columns 2 and 4');
  });

  it('throws CSV_INVALID_UTF8', () => {
    expect(errorOf(() => header(Uint8Array.of(0x61, 0xff, 0x0a)))).toMatchObject({ code: 'CSV_INVALID_UTF8', file: 'in.csv', line: 1 });
  });

  it('throws CSV_INVALID_QUOTE and CSV_UNCLOSED_QUOTE for malformed quoting', () => {
    expect(errorOf(() => header('id,a"b\n'))).toMatchObject({ code: 'CSV_INVALID_QUOTE', column: 2 });
    expect(errorOf(() => header('"id"x,b\n'))).toMatchObject({ code: 'CSV_INVALID_QUOTE', column: 1 });
    expect(errorOf(() => header('id,"b\n'))).toMatchObject({ code: 'CSV_UNCLOSED_QUOTE', column: 2 });
  });
});
