import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchModel, listObjects, openObject, type SourceOptions } from '../../src/sources/index.js';
import { HttpFileServer } from '../support/http-file-server.js';
import { readAll } from '../support/read-all.js';

let server: HttpFileServer;
const options: SourceOptions = { idleTimeoutMs: 5000, retryDelayMs: 5, retries: 3 };
const body = Buffer.from(Array.from({ length: 40_000 }, (_, i) => `${i},${i % 7}\n`).join(''));
const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  server = await HttpFileServer.start();
});
afterAll(() => server.close());
beforeEach(() => {
  server.log.length = 0;
  server.ranges = true;
});

async function download(path: string): Promise<{ bytes: Buffer; sha256: string | undefined }> {
  const [object] = await listObjects(server.url(path), options);
  const read = openObject(object!, options);
  return { bytes: await readAll(read.bytes), sha256: read.result().sha256 };
}

describe('http(s):// sources', () => {
  it('describes a URL by its size and ETag, and reads it', async () => {
    server.put('/t.csv', body);
    const [object] = await listObjects(server.url('/t.csv'), options);
    expect(object).toEqual({ uri: server.url('/t.csv'), size: body.length, version: `"${createHash('md5').update(body).digest('hex')}"` });
    const { bytes, sha256: digest } = await download('/t.csv');
    expect(bytes.equals(body)).toBe(true);
    expect(digest).toBe(sha256(body));
  });

  it('resumes with Range and If-Range after a drop mid-body', async () => {
    server.put('/drop.csv', body);
    server.dropAfter('/drop.csv', 100_000);
    expect((await download('/drop.csv')).bytes.equals(body)).toBe(true);
    const resumed = server.log.filter((r) => r.path === '/drop.csv').at(-1)!;
    expect(resumed).toMatchObject({ status: 206, ifRange: expect.stringMatching(/^"/) });
    expect(Number(/^bytes=(\d+)-$/.exec(resumed.range!)![1])).toBeGreaterThan(0);
  });

  it('fails with SOURCE_INTEGRITY when a server without ranges drops mid-body', async () => {
    server.put('/norange.csv', body);
    server.ranges = false;
    server.dropAfter('/norange.csv', 100_000, 2); // the first-byte probe gets the whole file too: it takes one

    await expect(download('/norange.csv')).rejects.toMatchObject({ code: 'SOURCE_INTEGRITY', message: expect.stringContaining('cannot be resumed') });
  });

  it('retries 503s, follows redirects and gunzips', async () => {
    server.put('/data/t.csv.gz', gzipSync(body));
    server.redirect('/latest.csv.gz', '/data/t.csv.gz');
    server.failTimes('/data/t.csv.gz', 2, 503);
    expect((await download('/latest.csv.gz')).bytes.equals(body)).toBe(true);
  });

  it('maps 404 and 403 to SOURCE_NOT_FOUND and SOURCE_FORBIDDEN without retrying', async () => {
    await expect(listObjects(server.url('/missing.csv'), options)).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    server.put('/private.csv', body);
    server.failTimes('/private.csv', 1, 403);
    await expect(listObjects(server.url('/private.csv'), options)).rejects.toMatchObject({ code: 'SOURCE_FORBIDDEN', message: expect.stringContaining('/private.csv') });
    expect(server.log.map((r) => r.status)).toEqual([404, 403]);
  });

  it('fetches a model (not cached without a cache-worthy store) and reads an empty file', async () => {
    server.put('/model.onnx', 'onnx');
    const model = await fetchModel(server.url('/model.onnx'), { ...options, cacheDir: '/nonexistent/never-written' });
    expect(model.object).toMatchObject({ size: 4, sha256: sha256(Buffer.from('onnx')) });
    server.put('/empty.csv', '');
    expect((await download('/empty.csv')).bytes.length).toBe(0);
  });
});
