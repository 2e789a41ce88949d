import { describe, expect, it } from 'vitest';

import type { RejectedRow } from '../../src/errors/index.js';
import { RejectTally } from '../../src/gates/index.js';

const reject = (line: number, code: RejectedRow['code'] = 'CSV_NOT_A_NUMBER'): RejectedRow => ({
  source: 'file:///t.csv',
  line,
  column: 'age',
  columnIndex: 1,
  value: 'forty',
  code,
  reason: 'not a number',
});

describe('RejectTally', () => {
  it('stops at the first reject with its own code and position when no limit allows any', () => {
    const tally = new RejectTally(0, undefined);
    tally.add(10, []);
    expect(() => tally.add(10, [reject(17, 'CSV_EMPTY_ID'), reject(18)])).toThrow(
      expect.objectContaining({ code: 'CSV_EMPTY_ID', exitCode: 3, file: 'file:///t.csv', line: 17, column: 2, value: 'forty' }),
    );
  });

  it('passes a rate within --max-reject-rate and fails one above it, pointing at the first reject', () => {
    const within = new RejectTally(0.1, undefined);
    within.add(100, [reject(5)]);
    within.add(100, [reject(150)]);
    expect(() => within.check()).not.toThrow();
    const above = new RejectTally(0.01, undefined);
    above.add(100, [reject(5), reject(6)]);
    above.add(100, [reject(150)]);
    expect(() => above.check()).toThrow(
      expect.objectContaining({ code: 'CSV_TOO_MANY_REJECTS', line: 5, column: 2, message: expect.stringContaining('3 rows rejected (1.50% of rows, above --max-reject-rate 0.01)') }),
    );
  });

  it('fails as soon as --max-rejects is passed, without waiting for the end', () => {
    const tally = new RejectTally(0, 2);
    tally.add(100, [reject(3), reject(4)]);
    expect(tally.rejected).toBe(2);
    expect(() => tally.add(100, [reject(120)])).toThrow(expect.objectContaining({ code: 'CSV_TOO_MANY_REJECTS', line: 3, message: expect.stringContaining('more than --max-rejects 2') }));
  });
});
