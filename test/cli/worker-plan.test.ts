import { describe, expect, it } from 'vitest';

import { workersToKeepUp } from '../../src/cli/worker-plan.js';

describe('workersToKeepUp', () => {
  it('feeds one worker on 2 cores while a chunk costs a worker less than 1.5 times what it costs the main thread', () => {
    // The logistic benchmark: ~4.6 ms in a worker, ~3.6 on the main thread.
    expect(workersToKeepUp(4.6, 3.6, 2)).toBe(1);
    expect(workersToKeepUp(1, 3, 2)).toBe(1);
    expect(workersToKeepUp(1.45, 1, 2)).toBe(1);
    expect(workersToKeepUp(1.55, 1, 2)).toBe(2);
    // The tree model: ~22 ms in a worker, ~4 on the main thread.
    expect(workersToKeepUp(22, 4, 2)).toBe(2);
  });

  it('on more cores, feeds as many workers as keep up with the main thread without crowding the cores', () => {
    // Three threads fit 4 cores: a second worker no longer costs the main thread its core.
    expect(workersToKeepUp(4.6, 3.6, 4)).toBe(2);
    expect(workersToKeepUp(22, 4, 4)).toBe(3);
    expect(workersToKeepUp(7, 3.6, 8)).toBe(2);
    // Eight workers and the main thread on 8 cores: the eighth costs more than it adds.
    expect(workersToKeepUp(100, 1, 8)).toBe(7);
  });

  it('keeps every worker when a cost is unknown, and one on one core', () => {
    expect(workersToKeepUp(0, 3, 2)).toBe(2);
    expect(workersToKeepUp(Number.NaN, 3, 2)).toBe(2);
    expect(workersToKeepUp(5, 0, 4)).toBe(4);
    expect(workersToKeepUp(50, 1, 1)).toBe(1);
  });
});
