import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `../shared` beside the repository: real models and tables, read in place, never copied. */
export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const SHARED_MODELS = `${SHARED_DIR}models/`;
export const SHARED_DATA = `${SHARED_DIR}data/`;

/**
 * Whether ../shared is here. Tests that need it skip with a printed reason
 * when it is absent, except in CI, where it is always present and its absence
 * is a failure.
 */
export function sharedAvailable(): boolean {
  if (existsSync(SHARED_MODELS)) return true;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${SHARED_DIR} is missing: the real-model tests cannot run`);
  console.warn(`skipping real-model tests: ${SHARED_DIR} is absent`);
  return false;
}
