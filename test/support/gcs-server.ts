import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { CRC32C } from '@google-cloud/storage';
import { FaultQueue, sendBody, type BodyFault } from './body-faults.js';
import { parseRange } from './byte-range.js';
import { baseUrlOf, closeServer, listenLocally } from './local-http-server.js';

/** One request the server answered. */
export interface GcsRequest {
  /** The URL path as sent: `/storage/v1/b/…` (apiEndpoint) or `/b/…` (emulator host). */
  readonly path: string;
  readonly kind: 'metadata' | 'media' | 'list';
  readonly bucket: string;
  /** Object name (metadata, media) or prefix (list). */
  readonly name: string;
  readonly range: string | undefined;
  readonly query: Record<string, string>;
  readonly status: number;
}

/** How `put` stores an object. */
export interface PutOptions {
  /** Stored Content-Encoding, e.g. 'gzip'. */
  readonly contentEncoding?: string;
  /** Composite objects have a CRC32C but no MD5. */
  readonly composite?: boolean;
}

interface StoredGcsObject extends PutOptions {
  readonly data: Buffer;
  readonly generation: number;
  readonly updated: string;
  wrongChecksum: boolean;
}

/**
 * A stand-in for the GCS JSON API subset the @google-cloud/storage client uses (NOTES-cloud-storage.md):
 * object metadata, `alt=media` downloads with `x-goog-hash` and ranges, paged listings, JSON errors.
 * Answers both `/storage/v1/b/…` (apiEndpoint) and `/b/…` (STORAGE_EMULATOR_HOST). Objects live in
 * memory; every request is logged; faults are planned per object.
 */
export class GcsTestServer {
  /** Every request answered, in order. */
  readonly log: GcsRequest[] = [];
  /** Items per listing page. */
  pageSize = 1000;
  private readonly objects = new Map<string, StoredGcsObject>();
  private readonly statusFaults = new FaultQueue<number>();
  private readonly bodyFaults = new FaultQueue<BodyFault>();
  private readonly denied = new Map<string, number>();
  private nextGeneration = 1_700_000_000_000_001;

  private readonly server = createServer((request, response) => this.handle(request, response));

  /** Starts a server on 127.0.0.1 with a free port. */
  static async start(): Promise<GcsTestServer> {
    const gcs = new GcsTestServer();
    await listenLocally(gcs.server);
    return gcs;
  }

  /** `http://127.0.0.1:PORT`. */
  get endpoint(): string {
    return baseUrlOf(this.server);
  }

  /** Stores (or replaces, with a new generation) an object. Returns its generation. */
  put(bucket: string, name: string, data: string | Buffer, options: PutOptions = {}): string {
    const generation = this.nextGeneration++;
    this.objects.set(key(bucket, name), { ...options, data: Buffer.from(data), generation, updated: new Date().toISOString(), wrongChecksum: false });
    return String(generation);
  }

  delete(bucket: string, name: string): void {
    this.objects.delete(key(bucket, name));
  }

  /** The next `times` requests of that kind for the object answer `status` with a JSON error. */
  failTimes(bucket: string, name: string, times: number, status: number, on: 'metadata' | 'media' = 'media'): void {
    this.statusFaults.add(`${on} ${key(bucket, name)}`, status, times);
  }

  /** The next `times` requests of that kind for the object get no answer at all (status 0 in the log). */
  hang(bucket: string, name: string, times: number, on: 'metadata' | 'media' = 'metadata'): void {
    this.statusFaults.add(`${on} ${key(bucket, name)}`, 0, times);
  }

  /** The next `times` downloads of the object send `afterBytes` bytes of the body, then drop the connection. */
  dropAfter(bucket: string, name: string, afterBytes: number, times = 1): void {
    this.bodyFaults.add(key(bucket, name), { kind: 'drop', afterBytes }, times);
  }

  /** The next `times` downloads of the object send `afterBytes` bytes of the body, then go silent. */
  stallAfter(bucket: string, name: string, afterBytes: number, times = 1): void {
    this.bodyFaults.add(key(bucket, name), { kind: 'stall', afterBytes }, times);
  }

  /** Metadata and `x-goog-hash` report checksums of other bytes from now on. */
  serveWrongChecksum(bucket: string, name: string): void {
    const object = this.objects.get(key(bucket, name));
    if (object !== undefined) object.wrongChecksum = true;
  }

  /** Every request for the object answers `status` (403, 404) from now on. */
  deny(bucket: string, name: string, status: number): void {
    this.denied.set(key(bucket, name), status);
  }

  /** The logged requests of one kind for one object (or prefix). */
  requests(kind: GcsRequest['kind'], name?: string): GcsRequest[] {
    return this.log.filter((entry) => entry.kind === kind && (name === undefined || entry.name === name));
  }

  async close(): Promise<void> {
    await closeServer(this.server);
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = /^(?:\/storage\/v1)?\/b\/([^/]+)\/o(?:\/(.+))?$/.exec(url.pathname);
    const query = Object.fromEntries(url.searchParams);
    if (match === null || request.method !== 'GET') {
      sendError(response, 400, 'badRequest', `unsupported request ${request.method} ${url.pathname}`);
      return;
    }
    const bucket = decodeURIComponent(match[1]!);
    if (match[2] === undefined) {
      this.list(url.pathname, bucket, query, response);
      return;
    }
    const name = decodeURIComponent(match[2]);
    const kind = query.alt === 'media' ? 'media' : 'metadata';
    const status = this.serveObject(bucket, name, kind, query, request, response);
    this.log.push({ path: url.pathname, kind, bucket, name, range: request.headers.range, query, status });
  }

  private serveObject(bucket: string, name: string, kind: 'metadata' | 'media', query: Record<string, string>, request: IncomingMessage, response: ServerResponse): number {
    const id = key(bucket, name);
    const object = this.objects.get(id);
    const denied = this.denied.get(id);
    if (denied !== undefined) return sendError(response, denied, denied === 403 ? 'forbidden' : 'notFound', `denied: ${name}`);
    if (object === undefined || (query.generation !== undefined && query.generation !== String(object.generation))) {
      return sendError(response, 404, 'notFound', `No such object: ${bucket}/${name}`);
    }
    const failure = this.statusFaults.take(`${kind} ${id}`);
    if (failure === 0) return 0; // hang: the response is never written
    if (failure !== undefined) return sendError(response, failure, 'backendError', 'injected failure');
    const hashes = checksums(object.wrongChecksum ? Buffer.concat([object.data, Buffer.from('x')]) : object.data);
    if (kind === 'metadata') {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(metadata(bucket, name, object, hashes)));
      return 200;
    }
    const range = parseRange(request.headers.range, object.data.length);
    if (range === 'unsatisfiable') return sendError(response, 416, 'requestedRangeNotSatisfiable', 'bad range');
    const body = range === undefined ? object.data : object.data.subarray(range.start, range.end);
    response.statusCode = range === undefined ? 200 : 206;
    if (range !== undefined) response.setHeader('content-range', `bytes ${range.start}-${range.end - 1}/${object.data.length}`);
    response.setHeader('content-length', body.length);
    response.setHeader('x-goog-hash', `crc32c=${hashes.crc32c},md5=${hashes.md5}`);
    response.setHeader('x-goog-stored-content-encoding', object.contentEncoding ?? 'identity');
    response.setHeader('x-goog-generation', String(object.generation));
    if (object.contentEncoding !== undefined) response.setHeader('content-encoding', object.contentEncoding);
    sendBody(response, body, this.bodyFaults.take(id));
    return response.statusCode;
  }

  private list(path: string, bucket: string, query: Record<string, string>, response: ServerResponse): void {
    const prefix = query.prefix ?? '';
    const names = [...this.objects.keys()]
      .filter((id) => id.startsWith(`${bucket}/${prefix}`))
      .map((id) => id.slice(bucket.length + 1))
      .sort();
    const start = query.pageToken === undefined ? 0 : names.findIndex((name) => name > Buffer.from(query.pageToken!, 'base64url').toString());
    const page = (start === -1 ? [] : names.slice(start, start + Math.min(this.pageSize, Number(query.maxResults ?? Infinity))));
    const last = page.at(-1);
    const more = last !== undefined && names.at(-1) !== last;
    const items = page.map((name) => metadata(bucket, name, this.objects.get(key(bucket, name))!, checksums(this.objects.get(key(bucket, name))!.data)));
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ kind: 'storage#objects', items, ...(more ? { nextPageToken: Buffer.from(last).toString('base64url') } : {}) }));
    this.log.push({ path, kind: 'list', bucket, name: prefix, range: undefined, query, status: 200 });
  }
}

function key(bucket: string, name: string): string {
  return `${bucket}/${name}`;
}

function checksums(data: Buffer): { md5: string; crc32c: string } {
  const crc = new CRC32C();
  crc.update(data);
  return { md5: createHash('md5').update(data).digest('base64'), crc32c: crc.toString() };
}

function metadata(bucket: string, name: string, object: StoredGcsObject, hashes: { md5: string; crc32c: string }): Record<string, string> {
  return {
    kind: 'storage#object',
    id: `${bucket}/${name}/${object.generation}`,
    name,
    bucket,
    generation: String(object.generation),
    metageneration: '1',
    size: String(object.data.length),
    contentType: 'application/octet-stream',
    ...(object.contentEncoding === undefined ? {} : { contentEncoding: object.contentEncoding }),
    ...(object.composite === true ? {} : { md5Hash: hashes.md5 }),
    crc32c: hashes.crc32c,
    timeCreated: object.updated,
    updated: object.updated,
    etag: `C${object.generation}`,
  };
}

function sendError(response: ServerResponse, status: number, reason: string, message: string): number {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify({ error: { code: status, message, errors: [{ reason, message }] } }));
  return status;
}
