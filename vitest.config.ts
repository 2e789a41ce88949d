import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: test files that start worker pools compete for them, so keep
    // file-level parallelism low to avoid timing flakiness.
    maxWorkers: 2,
  },
});
