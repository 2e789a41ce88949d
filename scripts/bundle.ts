/**
 * Builds dist/: the command line and the scoring worker as two ES module
 * bundles sharing chunks, rather than one file per source module. Node's ESM
 * loader pays per module, and every run loads ~150 of ours on the main thread
 * and again in each worker before the first chunk is scored; bundled, a run
 * is ready to score ~150 ms sooner (BENCHMARKS.md, "The fifth AMD VM").
 * Usage: npx tsx scripts/bundle.ts (what `make build` runs)
 */
import { rm } from 'node:fs/promises';

import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
// A dist/ left by the old one-file-per-module build would otherwise sit beside the bundles.
await rm(`${root}dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  // Flat, so that the worker pool finds score-worker.js beside whichever chunk holds it.
  entryPoints: { main: 'src/cli/main.ts', 'score-worker': 'src/scoring/score-worker.ts' },
  outdir: 'dist',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies load from node_modules as before: native addons cannot be bundled, and the
  // lazily imported ones (pg, the cloud SDKs) would otherwise load with everything else.
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
