import { describe, expect, it } from 'vitest';
import { copyField, copyText } from '../../src/sinks/copy-text.js';

describe('COPY text format', () => {
  it('escapes backslash, tab, newline and carriage return, writes NaN as NULL (as SQLite does), and spells the infinities as Postgres reads them', () => {
    expect(copyField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField(null)).toBe('\\N');
    expect([Number.NaN, Infinity, -Infinity, 0.1, -0, 1e-300].map(copyField)).toEqual(['\\N', 'Infinity', '-Infinity', '0.1', '0', '1e-300']);
    expect(copyField(-(2n ** 63n))).toBe('-9223372036854775808');
  });

  it('emits one line per row in pieces, constants repeated', () => {
    const ids = Array.from({ length: 4_500 }, (_, i) => `id${i}`);
    const pieces = [...copyText({ rowCount: ids.length, columns: [{ values: ids }, { constant: 'run\t1' }] })];
    expect(pieces).toHaveLength(9);
    const lines = pieces.join('').split('\n');
    expect(lines).toHaveLength(4_501);
    expect(lines[4_499]).toBe('id4499\trun\\t1');
    expect(lines[4_500]).toBe('');
  });
});
