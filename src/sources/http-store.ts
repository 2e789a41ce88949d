import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { PrescoreError } from '../errors/index.js';
import type { ObjectStore } from './object-store.js';
import { withRetries } from './retry-policy.js';
import type { ResolvedSourceOptions } from './source-options.js';
import type { StoredObject } from './stored-object.js';
import { isTransientNetworkError, isTransientStatus, TransientError } from './transient-error.js';

const MAX_REDIRECTS = 5;

/**
 * `http://` and `https://` through node:http, which hands over the bytes as sent: fetch would
 * decompress a `Content-Encoding: gzip` body behind our back and break size checks and ranges.
 * `stat` asks for the first byte (`Range: bytes=0-0`) rather than HEAD, which presigned URLs refuse;
 * the version is the ETag. A resumed read sends `Range: bytes=N-` with `If-Range` on a strong ETag
 * (RFC 9110 §13.1.5), so a changed object comes back whole (200) and is reported instead of spliced.
 * Redirects are followed (up to 5); no credentials are sent; URLs cannot be listed or globbed.
 */
export function createHttpStore(options: ResolvedSourceOptions): ObjectStore {
  return {
    description: 'HTTP (anonymous)',
    resumesShortReads: true,
    stat: (location) =>
      withRetries(`reading ${location.key}`, async () => {
        const response = await send(location.key, { range: 'bytes=0-0' }, options.idleTimeoutMs, options.signal);
        response.destroy(); // only the headers are wanted
        if (response.statusCode === 404 || response.statusCode === 410) return undefined;
        if (response.statusCode === 416) return describe(location.key, response.headers, /\/(\d+)$/.exec(response.headers['content-range'] ?? ''));
        checkStatus(response, location.key);
        const total = response.statusCode === 206 ? /\/(\d+)$/.exec(response.headers['content-range'] ?? '') : /^(\d+)$/.exec(response.headers['content-length'] ?? '');
        return describe(location.key, response.headers, total);
      }, options),
    list() {
      throw new PrescoreError('SOURCE_UNSUPPORTED_URI', 'HTTP URLs cannot be listed or globbed: name each file');
    },
    async *read(object, start, signal) {
      const headers: Record<string, string> = {};
      if (start > 0) headers.range = `bytes=${start}-`;
      if (start > 0 && object.version !== undefined && !object.version.startsWith('W/')) headers['if-range'] = object.version;
      const response = await send(object.uri, headers, options.idleTimeoutMs, signal);
      try {
        checkStatus(response, object.uri);
        if (start > 0 && response.statusCode !== 206) {
          throw new PrescoreError('SOURCE_INTEGRITY', `${object.uri} cannot be resumed at byte ${start}: the server answered ${response.statusCode} to a range request`, {
            hint: 'The object changed while being read, or the server does not support ranges: run again',
          });
        }
        yield* response;
      } catch (error) {
        throw failure(error, object.uri);
      } finally {
        response.destroy();
      }
    },
  };
}

function describe(url: string, headers: IncomingHttpHeaders, total: RegExpExecArray | null): StoredObject {
  return { uri: url, size: total === null ? -1 : Number(total[1]), ...(headers.etag === undefined ? {} : { version: headers.etag }) };
}

/** Sends a GET, following redirects. Throws TransientError for network failures worth retrying. */
async function send(url: string, headers: Record<string, string>, timeoutMs: number, signal: AbortSignal | undefined): Promise<IncomingMessage> {
  let target = new URL(url);
  for (let redirects = 0; ; redirects++) {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, {
        headers: { ...headers, 'accept-encoding': 'identity' },
        timeout: timeoutMs,
        ...(signal === undefined ? {} : { signal }),
      });
      // A socket idle past the timeout (no headers, or a silent body) is a stall: retried like a reset.
      request.on('timeout', () => request.destroy(new TransientError(`no data received for ${timeoutMs} ms`)));
      request.on('response', resolve);
      request.on('error', (error) => reject(failure(error, url)));
      request.end();
    });
    const location = response.headers.location;
    if (response.statusCode === undefined || response.statusCode < 300 || response.statusCode > 399 || location === undefined) return response;
    response.destroy();
    if (redirects === MAX_REDIRECTS) throw new PrescoreError('SOURCE_READ_FAILED', `${url} redirects more than ${MAX_REDIRECTS} times`);
    target = new URL(location, target);
  }
}

function checkStatus(response: IncomingMessage, url: string): void {
  const status = response.statusCode ?? 0;
  if (status >= 200 && status <= 299) return;
  const what = `${url} answered ${status} ${response.statusMessage ?? ''}`.trim();
  if (status === 404 || status === 410) throw new PrescoreError('SOURCE_NOT_FOUND', what);
  if (status === 401 || status === 403) throw new PrescoreError('SOURCE_FORBIDDEN', `${what} (no credentials are sent over HTTP)`, { hint: 'Use a public or presigned URL' });
  if (isTransientStatus(status)) throw new TransientError(what);
  throw new PrescoreError('SOURCE_READ_FAILED', what);
}

function failure(error: unknown, url: string): Error {
  if (error instanceof PrescoreError || error instanceof TransientError) return error;
  if (isTransientNetworkError(error)) return new TransientError((error as Error).message, { cause: error });
  return new PrescoreError('SOURCE_READ_FAILED', `cannot read ${url}: ${(error as Error).message}`, { cause: error });
}
