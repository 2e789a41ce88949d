import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: end-to-end tests start real processes, and CI shares 2 cores with them all.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Two cores: test files that start worker pools compete for them, so keep
    // file-level parallelism low to avoid timing flakiness.
    maxWorkers: 2,
  },
});
