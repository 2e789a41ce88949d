import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listObjects, openObject, type SourceOptions } from '../../src/sources/index.js';
import { GcsTestServer } from '../support/gcs-server.js';
import { readAll } from '../support/read-all.js';

let gcs: GcsTestServer;
let options: SourceOptions;
// The client never notices a dropped connection (NOTES-cloud-storage.md): only the idle watchdog
// ends those attempts, so fault tests use a short timeout; the others a long one, immune to load.
const watchdog = { idleTimeoutMs: 400 };
// Big enough to come in many TCP reads, so faults land mid-body.
const body = Buffer.from(Array.from({ length: 40_000 }, (_, i) => `${i},${(i * 0.37) % 1}\n`).join(''));
const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  gcs = await GcsTestServer.start();
  options = { gcsEndpoint: gcs.endpoint, idleTimeoutMs: 5000, retryDelayMs: 5, retries: 3 };
});
afterAll(() => gcs.close());
beforeEach(() => {
  gcs.log.length = 0;
  gcs.pageSize = 1000;
});

async function download(name: string, extra: SourceOptions = {}): Promise<{ bytes: Buffer; sha256: string | undefined }> {
  const [object] = await listObjects(`gs://b/${name}`, { ...options, ...extra });
  const read = openObject(object!, { ...options, ...extra });
  const bytes = await readAll(read.bytes);
  return { bytes, sha256: read.result().sha256 };
}

describe('gs:// downloads through the real client', () => {
  it('reads an object with its generation, checksums and sha256', async () => {
    const generation = gcs.put('b', 'data/table.csv', body);
    const [object] = await listObjects('gs://b/data/table.csv', options);
    expect(object).toMatchObject({ uri: 'gs://b/data/table.csv', size: body.length, version: generation });
    expect(object?.md5).toBe(createHash('md5').update(body).digest('base64'));
    const read = openObject(object!, options);
    expect((await readAll(read.bytes)).equals(body)).toBe(true);
    expect(read.result()).toEqual({ uri: 'gs://b/data/table.csv', size: body.length, sha256: sha256(body), version: generation });
    expect(gcs.requests('media', 'data/table.csv').map((r) => r.query.generation)).toEqual([generation]);
  });

  it('retries a 503 twice, then succeeds', async () => {
    gcs.put('b', 'flaky.csv', body);
    gcs.failTimes('b', 'flaky.csv', 2, 503);
    expect((await download('flaky.csv')).bytes.equals(body)).toBe(true);
    expect(gcs.requests('media', 'flaky.csv').map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('resumes with a ranged read after the connection drops mid-body', async () => {
    gcs.put('b', 'dropped.csv', body);
    gcs.dropAfter('b', 'dropped.csv', 100_000);
    const { bytes, sha256: digest } = await download('dropped.csv', watchdog);
    expect(bytes.equals(body)).toBe(true);
    expect(digest).toBe(sha256(body));
    const media = gcs.requests('media', 'dropped.csv');
    expect(media).toHaveLength(2);
    expect(media[1]!.range).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(media[1]!.range!)![0])).toBeGreaterThan(0);
  });

  it('aborts a stalled body with the idle watchdog and resumes', async () => {
    gcs.put('b', 'stalled.csv', body);
    gcs.stallAfter('b', 'stalled.csv', 200_000);
    const started = Date.now();
    expect((await download('stalled.csv', watchdog)).bytes.equals(body)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(gcs.requests('media', 'stalled.csv')[1]?.range).toMatch(/^bytes=\d+-$/);
  });

  it('fails with SOURCE_READ_FAILED once retries are exhausted', async () => {
    gcs.put('b', 'down.csv', body);
    gcs.failTimes('b', 'down.csv', 10, 500);
    await expect(download('down.csv', { retries: 2 })).rejects.toMatchObject({ code: 'SOURCE_READ_FAILED', message: expect.stringContaining('gs://b/down.csv') });
    expect(gcs.requests('media', 'down.csv')).toHaveLength(3);
  });

  it('fails with SOURCE_INTEGRITY when the bytes do not match the reported checksum', async () => {
    gcs.put('b', 'corrupt.csv', body);
    gcs.serveWrongChecksum('b', 'corrupt.csv');
    await expect(download('corrupt.csv')).rejects.toMatchObject({ code: 'SOURCE_INTEGRITY', message: expect.stringContaining('MD5') });
  });

  it('checks CRC32C over resumed ranges when there is no MD5 (composite objects)', async () => {
    gcs.put('b', 'composite.csv', body, { composite: true });
    gcs.dropAfter('b', 'composite.csv', 50_000);
    expect((await download('composite.csv', watchdog)).bytes.equals(body)).toBe(true);
    gcs.serveWrongChecksum('b', 'composite.csv');
    gcs.dropAfter('b', 'composite.csv', 50_000);
    await expect(download('composite.csv', watchdog)).rejects.toMatchObject({ code: 'SOURCE_INTEGRITY', message: expect.stringContaining('CRC32C') });
  });

  it('fails at once with SOURCE_NOT_FOUND when the object vanished, without retrying', async () => {
    gcs.put('b', 'vanishing.csv', body);
    const [object] = await listObjects('gs://b/vanishing.csv', options);
    gcs.delete('b', 'vanishing.csv');
    await expect(readAll(openObject(object!, options).bytes)).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND', message: expect.stringContaining('gs://b/vanishing.csv') });
    expect(gcs.requests('media', 'vanishing.csv')).toHaveLength(1);
  });

  it('fails with SOURCE_INTEGRITY when the object is replaced before a resumed read', async () => {
    gcs.put('b', 'replaced.csv', body);
    gcs.dropAfter('b', 'replaced.csv', 100_000);
    const [object] = await listObjects('gs://b/replaced.csv', options);
    const read = openObject(object!, { ...options, ...watchdog });
    const iterator = read.bytes[Symbol.asyncIterator]();
    await iterator.next();
    gcs.put('b', 'replaced.csv', 'new content\n');
    await expect(readAll({ [Symbol.asyncIterator]: () => iterator })).rejects.toMatchObject({ code: 'SOURCE_INTEGRITY', message: expect.stringContaining('replaced') });
  });

  it('fails at once with SOURCE_FORBIDDEN naming the object and the credentials', async () => {
    gcs.put('b', 'secret.csv', body);
    gcs.deny('b', 'secret.csv', 403);
    await expect(listObjects('gs://b/secret.csv', options)).rejects.toMatchObject({
      code: 'SOURCE_FORBIDDEN',
      message: expect.stringMatching(/gs:\/\/b\/secret\.csv.*anonymous/),
    });
    expect(gcs.requests('metadata', 'secret.csv')).toHaveLength(1);
  });

  it('gunzips a gzip object', async () => {
    gcs.put('b', 'export/part-9.csv.gz', gzipSync(body), { contentEncoding: 'gzip' });
    const { bytes, sha256: digest } = await download('export/part-9.csv.gz');
    expect(bytes.equals(body)).toBe(true);
    expect(digest).toBe(sha256(gzipSync(body)));
  });
});

describe('gs:// listings', () => {
  it('expands a prefix over 3 pages, skipping markers and subfolders', async () => {
    for (let i = 0; i < 5; i++) gcs.put('b', `paged/part-0000${i}.csv`, `${i}\n`);
    gcs.put('b', 'paged/_SUCCESS', '');
    gcs.put('b', 'paged/nested/part-00009.csv', '9\n');
    gcs.pageSize = 3;
    const objects = await listObjects('gs://b/paged/', options);
    expect(objects.map((o) => o.uri)).toEqual([0, 1, 2, 3, 4].map((i) => `gs://b/paged/part-0000${i}.csv`));
    expect(gcs.requests('list').map((r) => r.query.pageToken === undefined)).toEqual([true, false, false]);
    expect((await listObjects('gs://b/paged', options)).length).toBe(5);
  });

  it('expands a glob ordered by name', async () => {
    for (const name of ['part-2.csv', 'part-10.csv', 'part-1.csv', 'other.csv', 'part-3.txt']) gcs.put('b', `glob/${name}`, 'x\n');
    const objects = await listObjects('gs://b/glob/part-*.csv', options);
    expect(objects.map((o) => o.uri)).toEqual(['gs://b/glob/part-1.csv', 'gs://b/glob/part-10.csv', 'gs://b/glob/part-2.csv']);
    expect(gcs.requests('list')[0]?.query.prefix).toBe('glob/part-');
  });

  it('reports SOURCE_NOT_FOUND, naming the credentials, when a glob or a name matches nothing', async () => {
    await expect(listObjects('gs://b/nothing-here/*.csv', options)).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    await expect(listObjects('gs://b/missing.csv', options)).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND', message: expect.stringContaining('anonymous') });
  });

  it('retries a metadata request that gets no answer within the idle timeout', async () => {
    gcs.put('b', 'hanging.csv', body);
    gcs.hang('b', 'hanging.csv', 1);
    expect(await listObjects('gs://b/hanging.csv', { ...options, ...watchdog })).toHaveLength(1);
    expect(gcs.requests('metadata', 'hanging.csv').map((r) => r.status)).toEqual([0, 200]);
  });

  it('speaks the emulator-host path form (no /storage/v1 prefix)', async () => {
    gcs.put('b', 'emulated.csv', body);
    const emulator = { gcsEmulatorHost: gcs.endpoint, retryDelayMs: 5 };
    const [object] = await listObjects('gs://b/emulated.csv', emulator);
    expect((await readAll(openObject(object!, emulator).bytes)).equals(body)).toBe(true);
    expect(gcs.log.map((r) => [r.kind, r.path, r.status])).toEqual([
      ['metadata', '/b/b/o/emulated.csv', 200],
      ['media', '/b/b/o/emulated.csv', 200],
    ]);
  });
});
