import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchModel, listObjects, openObject } from '../../src/sources/index.js';
import { readAll } from '../support/read-all.js';

let dir: string;
const csv = 'id,x\n1,0.5\n2,0.25\n';
const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
const uri = (name: string): string => pathToFileURL(path.join(dir, name)).href;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'prescore-local-'));
  await mkdir(path.join(dir, 'export', 'sub'), { recursive: true });
  await writeFile(path.join(dir, 'export', 'part-00001.csv'), csv);
  await writeFile(path.join(dir, 'export', 'part-00000.csv'), csv);
  await writeFile(path.join(dir, 'export', 'part-00002.csv.gz'), gzipSync(csv));
  await writeFile(path.join(dir, 'export', '_SUCCESS'), '');
  await writeFile(path.join(dir, 'export', '.part-00000.csv.crc'), 'x');
  await writeFile(path.join(dir, 'export', 'sub', 'part-00009.csv'), csv);
  await writeFile(path.join(dir, 'plain.csv'), csv);
  await writeFile(path.join(dir, 'disguised.csv'), Buffer.concat([gzipSync('id\n'), gzipSync('7\n')]));
  await writeFile(path.join(dir, 'fake.csv.gz'), csv);
  await writeFile(path.join(dir, 'truncated.csv.gz'), gzipSync(csv).subarray(0, 20));
  await writeFile(path.join(dir, 'model.onnx'), 'model bytes');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('listObjects on local files', () => {
  it('describes a path with its file URI, size and mtime version', async () => {
    const [object, ...rest] = await listObjects(path.join(dir, 'plain.csv'));
    expect(rest).toEqual([]);
    expect(object).toMatchObject({ uri: uri('plain.csv'), size: csv.length });
    expect(object?.version).toMatch(/^\d+$/);
    expect(await listObjects(uri('plain.csv'))).toEqual([object]);
  });

  it('expands a glob within one segment, ordered by name', async () => {
    const objects = await listObjects(`${path.join(dir, 'export')}/part-*.csv*`);
    expect(objects.map((o) => o.uri)).toEqual(['part-00000.csv', 'part-00001.csv', 'part-00002.csv.gz'].map((n) => uri(`export/${n}`)));
    const nested = await listObjects(`${pathToFileURL(dir).href}/*/sub/part-0000?.csv`);
    expect(nested.map((o) => o.uri)).toEqual([uri('export/sub/part-00009.csv')]);
  });

  it('expands a directory to the files directly in it, skipping _ and . markers', async () => {
    const expected = ['part-00000.csv', 'part-00001.csv', 'part-00002.csv.gz'].map((n) => uri(`export/${n}`));
    expect((await listObjects(path.join(dir, 'export'))).map((o) => o.uri)).toEqual(expected);
    expect((await listObjects(`${path.join(dir, 'export')}/`)).map((o) => o.uri)).toEqual(expected);
  });

  it('keeps inputs in the order given and drops repeats', async () => {
    const spec = `${path.join(dir, 'plain.csv')}, ${path.join(dir, 'export')}/part-00001.csv,${uri('plain.csv')}`;
    expect((await listObjects(spec)).map((o) => o.uri)).toEqual([uri('plain.csv'), uri('export/part-00001.csv')]);
  });

  it('fails with SOURCE_NOT_FOUND when an input matches nothing', async () => {
    await expect(listObjects(`${path.join(dir, 'plain.csv')},${path.join(dir, 'nope-*.csv')}`)).rejects.toMatchObject({
      code: 'SOURCE_NOT_FOUND',
      message: expect.stringContaining('nope-*.csv'),
    });
    await expect(listObjects(path.join(dir, 'missing.csv'))).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    await expect(listObjects(' , ')).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
  });

  it('rejects unknown schemes with SOURCE_UNSUPPORTED_URI', async () => {
    await expect(listObjects('ftp://host/file.csv')).rejects.toMatchObject({ code: 'SOURCE_UNSUPPORTED_URI' });
    await expect(listObjects('gs:///name.csv')).rejects.toMatchObject({ code: 'SOURCE_UNSUPPORTED_URI' });
    await expect(listObjects('file://otherhost/x.csv')).rejects.toMatchObject({ code: 'SOURCE_UNSUPPORTED_URI' });
  });
});

describe('openObject on local files', () => {
  it('streams the bytes and reports size, sha256 and version once read', async () => {
    const [object] = await listObjects(path.join(dir, 'plain.csv'));
    const read = openObject(object!);
    expect(() => read.result()).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    expect((await readAll(read.bytes)).toString()).toBe(csv);
    expect(read.result()).toEqual({ uri: object!.uri, size: csv.length, sha256: sha256(csv), version: object!.version });
  });

  it('gunzips by magic bytes, whatever the name, and hashes the stored bytes', async () => {
    const [gz] = await listObjects(path.join(dir, 'export', 'part-00002.csv.gz'));
    const read = openObject(gz!);
    expect((await readAll(read.bytes)).toString()).toBe(csv);
    expect(read.result()).toMatchObject({ size: gzipSync(csv).length, sha256: sha256(gzipSync(csv)) });
    const [disguised] = await listObjects(path.join(dir, 'disguised.csv'));
    expect((await readAll(openObject(disguised!).bytes)).toString()).toBe('id\n7\n');
  });

  it('with reuseBuffers, reads into three buffers in turn, and a gzipped object read so decodes whole', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024 + 5, 'abcdefgh\n');
    await writeFile(path.join(dir, 'reused.csv'), big);
    // Random text, so that the compressed file spans several reads too.
    const noise = Buffer.from(randomBytes(3 * 1024 * 1024).toString('hex'));
    await writeFile(path.join(dir, 'reused.csv.gz'), gzipSync(noise));
    const [plain] = await listObjects(path.join(dir, 'reused.csv'));
    const read = openObject(plain!, {}, true);
    const copies: Buffer[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for await (const bytes of read.bytes) {
      copies.push(Buffer.from(bytes));
      buffers.add(bytes.buffer);
    }
    expect(Buffer.concat(copies).equals(big)).toBe(true);
    expect(copies.length).toBeGreaterThan(4);
    expect(buffers.size).toBe(3);
    expect(read.result()).toMatchObject({ size: big.length, sha256: sha256(big) });
    const [gz] = await listObjects(path.join(dir, 'reused.csv.gz'));
    const unzipped: Buffer[] = [];
    for await (const bytes of openObject(gz!, {}, true).bytes) unzipped.push(Buffer.from(bytes));
    expect(Buffer.concat(unzipped).equals(noise)).toBe(true);
  });

  it('reads large files in large chunks', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 5, 'abcdefgh\n');
    await writeFile(path.join(dir, 'big.csv'), big);
    const [object] = await listObjects(path.join(dir, 'big.csv'));
    const sizes: number[] = [];
    for await (const chunk of openObject(object!).bytes) sizes.push(chunk.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(big.length);
    expect(Math.min(...sizes.slice(0, -1))).toBeGreaterThanOrEqual(64 * 1024);
  });

  it('fails with SOURCE_READ_FAILED on a .gz that is not gzip or is truncated', async () => {
    for (const name of ['fake.csv.gz', 'truncated.csv.gz']) {
      const [object] = await listObjects(path.join(dir, name));
      await expect(readAll(openObject(object!).bytes)).rejects.toMatchObject({ code: 'SOURCE_READ_FAILED', message: expect.stringContaining(name) });
    }
  });

  it('fails with SOURCE_INTEGRITY when the file shrinks after listing', async () => {
    await writeFile(path.join(dir, 'shrinking.csv'), csv);
    const [object] = await listObjects(path.join(dir, 'shrinking.csv'));
    await truncate(path.join(dir, 'shrinking.csv'), 4);
    await expect(readAll(openObject(object!, { retryDelayMs: 0 }).bytes)).rejects.toMatchObject({ code: 'SOURCE_INTEGRITY' });
  });

  it('fails with SOURCE_NOT_FOUND when the file vanished after listing', async () => {
    await writeFile(path.join(dir, 'vanishing.csv'), csv);
    const [object] = await listObjects(path.join(dir, 'vanishing.csv'));
    await rm(path.join(dir, 'vanishing.csv'));
    await expect(readAll(openObject(object!).bytes)).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
  });

  it('stops with the signal reason when aborted', async () => {
    const [object] = await listObjects(path.join(dir, 'plain.csv'));
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(readAll(openObject(object!, { signal: controller.signal }).bytes)).rejects.toThrow('stop');
  });
});

describe('fetchModel on a local file', () => {
  it('reads it in place and checks the pin', async () => {
    const cacheDir = path.join(dir, 'cache');
    const model = await fetchModel(path.join(dir, 'model.onnx'), { cacheDir, expectedSha256: `sha256:${sha256('model bytes').toUpperCase()}` });
    expect(Buffer.from(model.bytes).toString()).toBe('model bytes');
    expect(model).toMatchObject({ cached: false, object: { uri: uri('model.onnx'), size: 11, sha256: sha256('model bytes') } });
    await expect(fetchModel(path.join(dir, 'model.onnx'), { cacheDir, expectedSha256: sha256('other') })).rejects.toMatchObject({
      code: 'MODEL_SHA256_MISMATCH',
    });
    await expect(fetchModel(path.join(dir, 'model.onnx'), { cacheDir, expectedSha256: 'abc' })).rejects.toMatchObject({ code: 'USAGE_INVALID_OPTION' });
    await expect(fetchModel(path.join(dir, 'missing.onnx'), { cacheDir })).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    await expect(fetchModel(path.join(dir, '*.onnx'), { cacheDir })).rejects.toMatchObject({ code: 'SOURCE_UNSUPPORTED_URI' });
  });
});
