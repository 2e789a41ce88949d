import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { PrescoreError, isPrescoreError } from '../errors/index.js';
import { parseLocation } from './object-location.js';
import { READ_CHUNK_BYTES } from './read-chunk-bytes.js';
import { readStoredBytes, type ObjectRead } from './read-stored-bytes.js';
import { resolveSourceOptions, type SourceOptions } from './source-options.js';
import { storeFor } from './store-for.js';
import type { StoredObject } from './stored-object.js';

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * Streams one object's content, gunzipped when it is gzip: by its first two bytes (1f 8b, RFC 1952),
 * whatever its name; a name ending in `.gz` without them is an error. Concatenated gzip members
 * decode as one stream. Size and checksum are verified on the stored bytes, with retries and ranged
 * resumption as in `readStoredBytes`; `result()` describes the stored bytes (size, sha256, version).
 * With `reuseBuffers` a yielded buffer may be read into again once two more have been asked for (see
 * `ObjectStore.read`): for a consumer that copies what it keeps, as `readChunks` does.
 * Throws (from iterating `bytes`) SOURCE_INTEGRITY, SOURCE_READ_FAILED (also for a broken gzip stream),
 * SOURCE_NOT_FOUND, SOURCE_FORBIDDEN, SOURCE_UNSUPPORTED_URI, or the signal's reason.
 */
export function openObject(object: StoredObject, options: SourceOptions = {}, reuseBuffers = false): ObjectRead {
  const resolved = resolveSourceOptions(options);
  const stored = readStoredBytes(object, storeFor(parseLocation(object.uri).kind, resolved), resolved, reuseBuffers);
  return { bytes: decoded(object, stored.bytes, reuseBuffers), result: stored.result };
}

async function* decoded(object: StoredObject, stored: AsyncIterable<Uint8Array>, reused: boolean): AsyncGenerator<Uint8Array> {
  const chunks = stored[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  while (headBytes < GZIP_MAGIC.length) {
    const next = await chunks.next();
    if (next.done === true) break;
    head.push(next.value);
    headBytes += next.value.length;
  }
  const first = Buffer.concat(head, Math.min(headBytes, GZIP_MAGIC.length)); // copies two bytes, not the chunk
  const replay = (async function* () {
    yield* head;
    yield* { [Symbol.asyncIterator]: () => chunks }; // delegating forwards an early return() to the download
  })();
  if (first[0] !== GZIP_MAGIC[0] || first[1] !== GZIP_MAGIC[1]) {
    if (/\.gz$/i.test(object.uri)) {
      await chunks.return?.();
      throw new PrescoreError('SOURCE_READ_FAILED', `${object.uri} is named .gz but is not gzip`, { hint: 'Rename it, or recompress it' });
    }
    yield* replay;
    return;
  }
  const gunzip = createGunzip({ chunkSize: READ_CHUNK_BYTES });
  // zlib may still hold a buffer when the next ones are read: it gets copies of buffers the store reuses.
  const input = reused ? copies(replay) : replay;
  const done = pipeline(Readable.from(input, { objectMode: false }), gunzip);
  done.catch(() => undefined); // its error also ends the iteration of `gunzip` below
  try {
    yield* gunzip;
    await done;
  } catch (error) {
    if (isPrescoreError(error)) throw error;
    throw new PrescoreError('SOURCE_READ_FAILED', `${object.uri} is not valid gzip: ${(error as Error).message}`, {
      hint: 'The file is truncated or damaged; recompress it',
      cause: error,
    });
  }
}

async function* copies(buffers: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const buffer of buffers) yield Buffer.from(buffer);
}
