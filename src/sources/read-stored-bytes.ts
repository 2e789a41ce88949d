import { PrescoreError, isPrescoreError } from '../errors/index.js';
import type { InputObject } from '../sinks/index.js';
import { nextWithin } from './idle-watchdog.js';
import type { ObjectStore } from './object-store.js';
import { backOff } from './retry-policy.js';
import type { ResolvedSourceOptions } from './source-options.js';
import { StoredBytesDigest } from './stored-bytes-digest.js';
import type { StoredObject } from './stored-object.js';
import { TransientError } from './transient-error.js';

/** A download in progress: its bytes, then what was read. */
export interface ObjectRead {
  /** The bytes, once. An error ends the iteration instead of its last step when a check fails. */
  readonly bytes: AsyncIterable<Uint8Array>;
  /** What was read: canonical URI, stored size, sha256 and version. Throws INTERNAL before `bytes` is exhausted. */
  result(): InputObject;
}

/**
 * Streams an object's stored bytes (no decoding). A transient failure — an error status worth retrying,
 * a dropped connection, a body that stalls for `idleTimeoutMs`, a body that ends short of the size the
 * store reported — is retried with backoff, resuming from the first byte not yet received; an attempt
 * that received bytes resets the failure count. At the end the size and the reported checksum are
 * verified over all the bytes, whichever attempts they came from. `reuseBuffers`: see
 * `ObjectStore.read`. Throws SOURCE_INTEGRITY,
 * SOURCE_READ_FAILED (retries exhausted), SOURCE_NOT_FOUND, SOURCE_FORBIDDEN, or the signal's reason.
 */
export function readStoredBytes(object: StoredObject, store: ObjectStore, options: ResolvedSourceOptions, reuseBuffers = false): ObjectRead {
  const digest = new StoredBytesDigest(object);
  let sha256: string | undefined;
  async function* bytes(): AsyncGenerator<Uint8Array> {
    for (let failures = 0; ; ) {
      options.signal?.throwIfAborted();
      const attempt = new AbortController();
      const cancel = (): void => attempt.abort(options.signal?.reason);
      options.signal?.addEventListener('abort', cancel, { once: true });
      const chunks = store.read(object, digest.size, attempt.signal, reuseBuffers)[Symbol.asyncIterator]();
      try {
        for (let next = await nextWithin(chunks, options.idleTimeoutMs, attempt); next.done !== true; ) {
          digest.update(next.value);
          failures = 0;
          yield next.value;
          next = await nextWithin(chunks, options.idleTimeoutMs, attempt);
        }
        if (object.size >= 0 && digest.size < object.size) {
          const short = `the body ended after ${digest.size} of ${object.size} bytes`;
          if (store.resumesShortReads) throw new TransientError(short);
          throw new PrescoreError('SOURCE_INTEGRITY', `${object.uri} changed while being read: ${short}`, { hint: 'Run again once it is no longer being written' });
        }
        sha256 = digest.finish();
        return;
      } catch (error) {
        options.signal?.throwIfAborted();
        if (!(error instanceof TransientError)) throw asSourceError(error, object);
        failures += 1;
        await backOff(`reading ${object.uri}`, failures, error, options);
      } finally {
        options.signal?.removeEventListener('abort', cancel);
        attempt.abort(); // frees the connection of an attempt that failed or was abandoned
        chunks.return?.().catch(() => undefined);
      }
    }
  }
  return {
    bytes: bytes(),
    result() {
      if (sha256 === undefined) throw new PrescoreError('INTERNAL', `result of ${object.uri} asked before its bytes were all read`);
      return { uri: object.uri, size: digest.size, sha256, ...(object.version === undefined ? {} : { version: object.version }) };
    },
  };
}

function asSourceError(error: unknown, object: StoredObject): PrescoreError {
  if (isPrescoreError(error)) return error;
  return new PrescoreError('SOURCE_READ_FAILED', `cannot read ${object.uri}: ${(error as Error).message}`, { cause: error });
}
