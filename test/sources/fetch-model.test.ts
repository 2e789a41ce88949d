import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchModel, type FetchModelOptions } from '../../src/sources/index.js';
import { GcsTestServer } from '../support/gcs-server.js';

let gcs: GcsTestServer;
let cacheDir: string;
let options: FetchModelOptions;
const sha256 = (data: string): string => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  gcs = await GcsTestServer.start();
  cacheDir = await mkdtemp(path.join(tmpdir(), 'prescore-models-'));
  options = { gcsEndpoint: gcs.endpoint, cacheDir, idleTimeoutMs: 5000, retryDelayMs: 5 };
});
afterAll(async () => {
  await gcs.close();
  await rm(cacheDir, { recursive: true, force: true });
});
beforeEach(() => {
  gcs.log.length = 0;
});

describe('fetchModel from gs:// with a local cache', () => {
  it('downloads once, then serves an unchanged generation from the cache', async () => {
    const generation = gcs.put('models', 'churn/model.onnx', 'onnx v1');
    const first = await fetchModel('gs://models/churn/model.onnx', options);
    expect(first).toMatchObject({ cached: false, object: { uri: 'gs://models/churn/model.onnx', size: 7, sha256: sha256('onnx v1'), version: generation } });
    const second = await fetchModel('gs://models/churn/model.onnx', options);
    expect(Buffer.from(second.bytes).toString()).toBe('onnx v1');
    expect(second).toMatchObject({ cached: true, object: first.object });
    expect(gcs.requests('media')).toHaveLength(1);
    expect(gcs.requests('metadata')).toHaveLength(2);
  });

  it('downloads again when the generation changed, keeping only the latest version', async () => {
    gcs.put('models', 'rotating.onnx', 'old');
    await fetchModel('gs://models/rotating.onnx', options);
    const generation = gcs.put('models', 'rotating.onnx', 'new!');
    const model = await fetchModel('gs://models/rotating.onnx', options);
    expect(model).toMatchObject({ cached: false, object: { version: generation, sha256: sha256('new!') } });
    expect(Buffer.from(model.bytes).toString()).toBe('new!');
    expect(gcs.requests('media', 'rotating.onnx')).toHaveLength(2);
    expect((await fetchModel('gs://models/rotating.onnx', options)).cached).toBe(true);
    const folders = await readdir(cacheDir);
    const files = (await Promise.all(folders.map((folder) => readdir(path.join(cacheDir, folder))))).map((names) => names.length);
    expect(files.every((count) => count === 2)).toBe(true);
  });

  it('downloads again when the cached copy was damaged', async () => {
    gcs.put('models', 'damaged.onnx', 'good bytes');
    await fetchModel('gs://models/damaged.onnx', options);
    for (const folder of await readdir(cacheDir)) {
      for (const name of await readdir(path.join(cacheDir, folder))) {
        if (name.endsWith('.model')) await writeFile(path.join(cacheDir, folder, name), 'evil bytes');
      }
    }
    const model = await fetchModel('gs://models/damaged.onnx', options);
    expect(model.cached).toBe(false);
    expect(Buffer.from(model.bytes).toString()).toBe('good bytes');
  });

  it('fails with MODEL_SHA256_MISMATCH when the pin does not match, cached or not', async () => {
    gcs.put('models', 'pinned.onnx', 'pinned');
    const pinned = { ...options, expectedSha256: sha256('something else') };
    await expect(fetchModel('gs://models/pinned.onnx', pinned)).rejects.toMatchObject({ code: 'MODEL_SHA256_MISMATCH', message: expect.stringContaining(sha256('pinned')) });
    await expect(fetchModel('gs://models/pinned.onnx', pinned)).rejects.toMatchObject({ code: 'MODEL_SHA256_MISMATCH' });
    expect((await fetchModel('gs://models/pinned.onnx', { ...options, expectedSha256: sha256('pinned') })).cached).toBe(true);
  });

  it('fails with SOURCE_NOT_FOUND for a missing model and retries a flaky metadata request', async () => {
    await expect(fetchModel('gs://models/missing.onnx', options)).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    gcs.put('models', 'flaky.onnx', 'flaky');
    gcs.failTimes('models', 'flaky.onnx', 2, 429, 'metadata');
    expect((await fetchModel('gs://models/flaky.onnx', options)).object.sha256).toBe(sha256('flaky'));
    expect(gcs.requests('metadata', 'flaky.onnx').map((r) => r.status)).toEqual([429, 429, 200]);
  });
});
