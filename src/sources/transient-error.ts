/**
 * A failure worth retrying (408, 429, 5xx, a reset or dropped connection, a stalled body).
 * Internal to the sources stage: stores throw it, the retry loops catch it, and what leaves the
 * stage is always a PrescoreError (SOURCE_READ_FAILED once retries are exhausted).
 */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

const TRANSIENT_STATUSES = new Set([408, 429]);
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

/** Whether an HTTP status is worth retrying: 408, 429 and every 5xx (the rule GCS and S3 both document). */
export function isTransientStatus(status: number): boolean {
  return TRANSIENT_STATUSES.has(status) || (status >= 500 && status <= 599);
}

// node-fetch (under the GCS client) marks its timeouts with a `type` rather than a `code`.
const TRANSIENT_FETCH_TYPES = new Set(['request-timeout', 'body-timeout']);

/** Whether an error (or one of its causes) is a network failure worth retrying, judged by its `code` or node-fetch `type`. */
export function isTransientNetworkError(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const { code, type } = current as { code?: unknown; type?: unknown };
    if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return true;
    if (typeof type === 'string' && TRANSIENT_FETCH_TYPES.has(type)) return true;
  }
  return false;
}
