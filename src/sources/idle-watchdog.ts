import { TransientError } from './transient-error.js';

/**
 * Awaits the next chunk of a download for at most `idleMs` milliseconds. On a stall it aborts
 * `attempt` (so the store tears the connection down) and throws TransientError at once, without
 * waiting for the iterator to settle: the GCS client's stream never settles when the connection
 * drops mid-body (NOTES-cloud-storage.md), and its own `timeout` only covers the headers. Only time
 * spent waiting on the store counts, never time the consumer spends on a chunk.
 */
export async function nextWithin<T>(chunks: AsyncIterator<T>, idleMs: number, attempt: AbortController): Promise<IteratorResult<T>> {
  const next = chunks.next();
  next.catch(() => undefined); // the loser of the race must not become an unhandled rejection
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new TransientError(`no data received for ${idleMs} ms`);
      attempt.abort(error);
      reject(error);
    }, idleMs);
  });
  try {
    return await Promise.race([next, stalled]);
  } finally {
    clearTimeout(timer);
  }
}
