/**
 * Regenerates the committed WebAssembly modules (`src/…/*-wasm.ts`) from their `.wat` sources:
 * `npx tsx scripts/build-wasm.ts` (make wasm). test/scoring/fast-rows.test.ts fails while a
 * committed module is not the build of its source.
 */
import { writeFileSync } from 'node:fs';

import { WASM_MODULES, wasmModuleText } from './wasm/wasm-module.js';

const root = new URL('../', import.meta.url);
for (const module of WASM_MODULES) {
  const text = await wasmModuleText(root, module);
  writeFileSync(new URL(module.target, root), text);
  console.log(`${module.target} (${text.length} bytes)`);
}
