/**
 * Regenerates the committed fixtures in `fixtures/`: `npx tsx scripts/make-fixtures.ts`.
 * Deterministic, so a run on unchanged code leaves `git status` clean.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFixtures } from './fixtures/fixture-set.js';

const root = fileURLToPath(new URL('../fixtures/', import.meta.url));
for (const file of buildFixtures()) {
  const target = root + file.path;
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, file.bytes);
  console.log(`fixtures/${file.path} (${file.bytes.length} bytes)`);
}
