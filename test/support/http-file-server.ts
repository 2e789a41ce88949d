import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { FaultQueue, sendBody, type BodyFault } from './body-faults.js';
import { parseRange } from './byte-range.js';
import { baseUrlOf, closeServer, listenLocally } from './local-http-server.js';

/** One request the server answered. */
export interface HttpRequestRecord {
  readonly path: string;
  readonly range: string | undefined;
  readonly ifRange: string | undefined;
  readonly status: number;
}

/**
 * A static file server for tests: in-memory files with strong ETags, single ranges (`Accept-Ranges:
 * bytes`, honouring `If-Range`), redirects, a request log and planned faults per path.
 */
export class HttpFileServer {
  readonly log: HttpRequestRecord[] = [];
  /** When false the server ignores Range headers and always answers 200 with the whole file. */
  ranges = true;
  private readonly files = new Map<string, Buffer>();
  private readonly redirects = new Map<string, string>();
  private readonly statusFaults = new FaultQueue<number>();
  private readonly bodyFaults = new FaultQueue<BodyFault>();

  private readonly server = createServer((request, response) => this.handle(request, response));

  static async start(): Promise<HttpFileServer> {
    const files = new HttpFileServer();
    await listenLocally(files.server);
    return files;
  }

  /** The URL of a path on this server. */
  url(path: string): string {
    return `${baseUrlOf(this.server)}${path}`;
  }

  put(path: string, data: string | Buffer): void {
    this.files.set(path, Buffer.from(data));
  }

  /** `from` answers 302 to `to`. */
  redirect(from: string, to: string): void {
    this.redirects.set(from, to);
  }

  failTimes(path: string, times: number, status: number): void {
    this.statusFaults.add(path, status, times);
  }

  dropAfter(path: string, afterBytes: number, times = 1): void {
    this.bodyFaults.add(path, { kind: 'drop', afterBytes }, times);
  }

  async close(): Promise<void> {
    await closeServer(this.server);
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const status = this.answer(path, request, response);
    this.log.push({ path, range: request.headers.range, ifRange: request.headers['if-range']?.toString(), status });
  }

  private answer(path: string, request: IncomingMessage, response: ServerResponse): number {
    const file = this.files.get(path);
    const redirect = this.redirects.get(path);
    const failure = this.statusFaults.take(path);
    response.statusCode = redirect !== undefined ? 302 : failure ?? (file === undefined ? 404 : 200);
    if (redirect !== undefined) response.setHeader('location', redirect);
    if (file === undefined || response.statusCode !== 200) {
      response.end();
      return response.statusCode;
    }
    const etag = `"${createHash('md5').update(file).digest('hex')}"`;
    response.setHeader('etag', etag);
    if (this.ranges) response.setHeader('accept-ranges', 'bytes');
    const ifRangeHolds = request.headers['if-range'] === undefined || request.headers['if-range'] === etag;
    const range = this.ranges && ifRangeHolds ? parseRange(request.headers.range, file.length) : undefined;
    if (range === 'unsatisfiable') {
      response.statusCode = 416;
      response.setHeader('content-range', `bytes */${file.length}`);
      response.end();
      return 416;
    }
    const body = range === undefined ? file : file.subarray(range.start, range.end);
    if (range !== undefined) {
      response.statusCode = 206;
      response.setHeader('content-range', `bytes ${range.start}-${range.end - 1}/${file.length}`);
    }
    response.setHeader('content-length', body.length);
    // A drop after K bytes only bites a body longer than K: probes for the first byte pass through.
    sendBody(response, body, this.bodyFaults.take(path, (fault) => body.length > fault.afterBytes));
    return response.statusCode;
  }
}
