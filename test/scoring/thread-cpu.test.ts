import { describe, expect, it } from 'vitest';

import { threadCpuMs } from '../../src/scoring/thread-cpu.js';

describe.runIf(process.platform === 'linux')('threadCpuMs', () => {
  it("counts this thread's time on a CPU: it advances while the thread works, not while it sleeps", async () => {
    const start = threadCpuMs()!;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(threadCpuMs()! - start).toBeLessThan(50);
    // Work until the clock has counted 100 ms: it does advance, and never faster than the wall
    // (beyond one 4 ms scheduler tick, its unit), however many threads share the cores meanwhile.
    const wallStart = performance.now();
    const busyStart = threadCpuMs()!;
    let busy = 0;
    while (busy < 100) busy = threadCpuMs()! - busyStart;
    expect(performance.now() - wallStart).toBeGreaterThan(busy - 10);
  });
});
