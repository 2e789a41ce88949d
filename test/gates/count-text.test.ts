import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { countText } from '../../src/gates/index.js';

describe('countText', () => {
  it('writes integers as toLocaleString("en-US") does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.integer({ min: -2000, max: 2000 })), (n) => {
        expect(countText(n)).toBe(n.toLocaleString('en-US'));
      }),
    );
    expect([0, 999, 1000, 1_000_000, -1234].map(countText)).toEqual(['0', '999', '1,000', '1,000,000', '-1,234']);
  });

  it('rounds to an integer first, and leaves non-finite values as String does', () => {
    expect(countText(1234.5)).toBe('1,235');
    expect(countText(999.4)).toBe('999');
    expect([NaN, Infinity, -Infinity].map(countText)).toEqual(['NaN', 'Infinity', '-Infinity']);
  });
});
