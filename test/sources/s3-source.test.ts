import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fetchModel, listObjects, openObject, type SourceOptions } from '../../src/sources/index.js';
import { DroppingProxy } from '../support/dropping-proxy.js';
import { readAll } from '../support/read-all.js';

let directory: string;
let s3rver: S3rver;
let proxy: DroppingProxy;
let options: SourceOptions;
const body = Buffer.from(Array.from({ length: 40_000 }, (_, i) => `${i},${i % 3}\n`).join(''));
const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex');

beforeAll(async () => {
  // The SDK's default credential chain reads these; s3rver accepts only this key pair.
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
  vi.stubEnv('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');
  directory = await mkdtemp(path.join(tmpdir(), 'prescore-s3rver-'));
  s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: 'bkt' }] });
  const { port } = await s3rver.run();
  proxy = await DroppingProxy.start(port);
  options = { s3Endpoint: proxy.endpoint, s3Region: 'us-east-1', idleTimeoutMs: 5000, retryDelayMs: 5 };
  const writer = new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true });
  for (const [key, data] of [['export/part-2.csv', body], ['export/part-1.csv', body], ['export/_SUCCESS', ''], ['export/notes.txt', 'x'], ['model.onnx', 'onnx']] as const) {
    await writer.send(new PutObjectCommand({ Bucket: 'bkt', Key: key, Body: data }));
  }
  writer.destroy();
});
afterAll(async () => {
  await proxy.close();
  s3rver.httpServer?.closeAllConnections();
  await s3rver.close();
  await rm(directory, { recursive: true, force: true });
  vi.unstubAllEnvs();
});

describe('s3:// through the real SDK against s3rver', () => {
  it('describes an object by size, ETag and the MD5 in it, and reads it', async () => {
    const [object] = await listObjects('s3://bkt/export/part-1.csv', options);
    expect(object).toEqual({ uri: 's3://bkt/export/part-1.csv', size: body.length, version: `"${md5(body)}"`, md5: Buffer.from(md5(body), 'hex').toString('base64') });
    const read = openObject(object!, options);
    expect((await readAll(read.bytes)).equals(body)).toBe(true);
    expect(read.result()).toMatchObject({ size: body.length, version: `"${md5(body)}"`, sha256: createHash('sha256').update(body).digest('hex') });
  });

  it('expands globs and prefixes ordered by name', async () => {
    expect((await listObjects('s3://bkt/export/part-*.csv', options)).map((o) => o.uri)).toEqual(['s3://bkt/export/part-1.csv', 's3://bkt/export/part-2.csv']);
    expect((await listObjects('s3://bkt/export/', options)).map((o) => o.uri)).toEqual([
      's3://bkt/export/notes.txt',
      's3://bkt/export/part-1.csv',
      's3://bkt/export/part-2.csv',
    ]);
  });

  it('resumes with a ranged GET after the connection drops mid-body', async () => {
    const [object] = await listObjects('s3://bkt/export/part-2.csv', options);
    proxy.sent.length = 0;
    proxy.dropAfter(100_000);
    const read = openObject(object!, options);
    expect((await readAll(read.bytes)).equals(body)).toBe(true);
    const resumedAt = proxy.sent.map((text) => /range: bytes=(\d+)-/i.exec(text)?.[1]).filter((start) => start !== undefined);
    expect(resumedAt.map(Number)).toEqual([expect.any(Number)]);
    expect(Number(resumedAt[0])).toBeGreaterThan(0);
    expect(proxy.sent.some((text) => /if-match: "/i.test(text))).toBe(true);
  });

  it('fails with SOURCE_NOT_FOUND for a missing key or bucket', async () => {
    await expect(listObjects('s3://bkt/missing.csv', options)).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND', message: expect.stringContaining('s3://bkt/missing.csv') });
    await expect(listObjects('s3://no-such-bucket/x/*.csv', options)).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
  });

  it('fetches and caches a model by ETag', async () => {
    const cacheDir = await mkdtemp(path.join(tmpdir(), 'prescore-s3-models-'));
    expect((await fetchModel('s3://bkt/model.onnx', { ...options, cacheDir })).cached).toBe(false);
    const again = await fetchModel('s3://bkt/model.onnx', { ...options, cacheDir });
    expect(again.cached).toBe(true);
    expect(Buffer.from(again.bytes).toString()).toBe('onnx');
    await rm(cacheDir, { recursive: true, force: true });
  });
});
