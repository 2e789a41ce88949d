import { PrescoreError } from '../errors/index.js';
import type { InputObject } from '../sinks/index.js';
import { hasWildcard } from './glob-pattern.js';
import { ModelCache } from './model-cache.js';
import { parseLocation } from './object-location.js';
import { readStoredBytes } from './read-stored-bytes.js';
import { resolveSourceOptions, type SourceOptions } from './source-options.js';
import { storeFor } from './store-for.js';

/** Options of `fetchModel`: where to reach the store, where to cache, what to expect. */
export interface FetchModelOptions extends SourceOptions {
  /** Directory of the model cache, created when missing. Local models are never copied into it. */
  readonly cacheDir: string;
  /** The sha256 the model's bytes must have: 64 hex digits, optionally prefixed `sha256:`. */
  readonly expectedSha256?: string;
}

/** A model's bytes and what they are. */
export interface FetchedModel {
  readonly bytes: Uint8Array;
  /** URI, size, sha256 (of the bytes as stored) and version (generation, ETag, mtime). */
  readonly object: InputObject;
  /** Whether the bytes came from the cache rather than the store. */
  readonly cached: boolean;
}

/**
 * Reads a model, as stored (no gzip decoding): local files in place; remote ones from the cache while
 * the store reports the same version (one metadata request, no download), else downloaded with the
 * checks and retries of `readStoredBytes` and cached. Throws SOURCE_NOT_FOUND, SOURCE_FORBIDDEN,
 * SOURCE_INTEGRITY, SOURCE_READ_FAILED, SOURCE_UNSUPPORTED_URI (a glob or prefix), USAGE_INVALID_OPTION
 * (a malformed `expectedSha256`) and MODEL_SHA256_MISMATCH.
 */
export async function fetchModel(uri: string, options: FetchModelOptions): Promise<FetchedModel> {
  const resolved = resolveSourceOptions(options);
  const expected = expectedDigest(options.expectedSha256);
  const location = parseLocation(uri);
  if (location.kind !== 'http' && (hasWildcard(location.key) || location.key === '' || location.key.endsWith('/'))) {
    throw new PrescoreError('SOURCE_UNSUPPORTED_URI', `a model URI must name one object, got ${uri}`);
  }
  const store = storeFor(location.kind, resolved);
  const object = await store.stat(location);
  if (object === undefined) throw new PrescoreError('SOURCE_NOT_FOUND', `model ${uri} does not exist in ${store.description}`);
  const cache = location.kind === 'file' ? undefined : new ModelCache(options.cacheDir);
  let model: FetchedModel | undefined;
  const hit = await cache?.get(object);
  if (hit !== undefined) model = { ...hit, cached: true };
  else {
    const read = readStoredBytes(object, store, resolved);
    const chunks: Uint8Array[] = [];
    for await (const chunk of read.bytes) chunks.push(chunk);
    model = { bytes: Buffer.concat(chunks), object: read.result(), cached: false };
    await cache?.put(model.object, model.bytes);
  }
  if (expected !== undefined && model.object.sha256 !== expected) {
    throw new PrescoreError('MODEL_SHA256_MISMATCH', `model ${uri} has sha256 ${String(model.object.sha256)}, expected ${expected}`, {
      hint: 'The model changed since it was pinned: check that it is the one you meant, then update the pin',
    });
  }
  return model;
}

function expectedDigest(pin: string | undefined): string | undefined {
  if (pin === undefined) return undefined;
  const hex = pin.trim().toLowerCase().replace(/^sha256:/, '');
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new PrescoreError('USAGE_INVALID_OPTION', `expectedSha256 must be 64 hex digits (optionally prefixed sha256:), got ${JSON.stringify(pin)}`);
  }
  return hex;
}
