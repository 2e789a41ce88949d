import { setTimeout as delay } from 'node:timers/promises';
import { PrescoreError } from '../errors/index.js';
import type { ResolvedSourceOptions } from './source-options.js';
import { TransientError } from './transient-error.js';

/**
 * Runs `operation`, retrying it while it throws TransientError, up to `options.retries` times with
 * exponential backoff and jitter. Other errors pass through untouched. Throws SOURCE_READ_FAILED
 * naming `what` when retries are exhausted, or the signal's reason when it aborts.
 */
export async function withRetries<T>(what: string, operation: () => Promise<T>, options: ResolvedSourceOptions): Promise<T> {
  for (let failures = 0; ; ) {
    options.signal?.throwIfAborted();
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
      failures += 1;
      await backOff(what, failures, error, options);
    }
  }
}

/**
 * Waits before retry number `failures` (1-based) after `error`: `retryDelayMs × 2^(failures-1)`, capped
 * at `retryMaxDelayMs`, times a random factor in [0.5, 1) so that parallel shards do not retry in step.
 * Throws SOURCE_READ_FAILED when `failures` exceeds `options.retries`.
 */
export async function backOff(what: string, failures: number, error: TransientError, options: ResolvedSourceOptions): Promise<void> {
  if (failures > options.retries) {
    throw new PrescoreError('SOURCE_READ_FAILED', `${what}: ${error.message}; gave up after ${failures} attempts`, {
      hint: 'The store kept failing; check the network, or raise the retry count',
      cause: error,
    });
  }
  const ceiling = Math.min(options.retryMaxDelayMs, options.retryDelayMs * 2 ** (failures - 1));
  try {
    await delay(ceiling * (0.5 + Math.random() / 2), undefined, { signal: options.signal });
  } catch (aborted) {
    options.signal?.throwIfAborted(); // rethrows the caller's own reason rather than node's AbortError
    throw aborted;
  }
}
