import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { readChunks, type Chunk } from '../../src/chunking/index.js';
import { loadModelFile, planInputs, planOutputs } from '../../src/model/index.js';
import { WorkerPool, type WorkerSetup } from '../../src/scoring/index.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url);

async function setupFor(model: string, modelBytes?: Uint8Array): Promise<{ setup: WorkerSetup; chunks: Chunk[] }> {
  const loaded = loadModelFile(modelBytes ?? readFileSync(new URL(`models/${model}`, FIXTURES)), model);
  const csv = readFileSync(new URL('customers.csv', FIXTURES));
  async function* bytes() {
    yield csv;
  }
  const { header, chunks } = await readChunks(bytes(), { source: 'customers.csv', targetChunkBytes: 2048 });
  const list: Chunk[] = [];
  for await (const chunk of chunks) list.push(chunk);
  const inputs = planInputs(loaded.signature, header, { idColumn: 'customer_id', file: 'customers.csv' });
  const setup: WorkerSetup = {
    modelBytes: loaded.bytes,
    modelFile: model,
    parse: { delimiter: 44, header, idColumn: inputs.idColumnIndex, numeric: inputs.numericColumns, text: inputs.textColumns, naValues: [''], maxFieldBytes: 1 << 20, maxIdBytes: 256 },
    inputs,
    outputs: planOutputs(loaded.signature, loaded.classLabels, {}),
    batchRows: 16,
  };
  return { setup, chunks: list };
}

describe('WorkerPool (real worker threads)', () => {
  it('scores every chunk across threads, transferring the chunk bytes out and the columns back', async () => {
    const { setup, chunks } = await setupFor('logreg.onnx');
    expect(chunks.length).toBeGreaterThan(4);
    const pool = WorkerPool.spawn(2);
    await pool.load(setup);
    try {
      expect(pool.capacity).toBe(4);
      const owned = chunks.map((c) => ({ ...c, bytes: pool.buffers.take(c.bytes.byteLength) }));
      owned.forEach((c, i) => c.bytes.set(chunks[i]!.bytes));
      const starts = owned.slice(0, 4).map((c) => Buffer.from(c.bytes.subarray(0, 16)).toString());
      const results = await Promise.all(owned.slice(0, 4).map((c) => pool.submit(c)));
      // The bytes were moved to the worker, not copied...
      for (const c of owned.slice(0, 4)) expect(c.bytes.byteLength).toBe(0);
      // ...and their buffers came back to be cut into again, still holding a chunk (a new one is zeros).
      expect(starts).toContain(Buffer.from(pool.buffers.take(16)).toString());
      const rest = await Promise.all(owned.slice(4, 8).map((c) => pool.submit(c)));
      const all = [...results, ...rest];
      expect(all.map((r) => r.chunkIndex)).toEqual(owned.slice(0, all.length).map((c) => c.index));
      for (const r of all) {
        expect(r.columns[0]).toBeInstanceOf(Float64Array);
        expect(r.columns[0]!.length).toBe(r.ids.length);
        expect(r.lines.length).toBe(r.ids.length);
      }
    } finally {
      await pool.destroy();
    }
  });

  it('fails start-up with the model load error, rebuilt from plain data', async () => {
    const { setup } = await setupFor('logreg.onnx');
    const broken = { ...setup, modelBytes: setup.modelBytes.subarray(0, 120) };
    await expect(WorkerPool.spawn(2).load(broken)).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED', exitCode: 4 });
  });

  it('refuses submits beyond capacity instead of queueing without bound', async () => {
    const { setup, chunks } = await setupFor('trees.onnx');
    const pool = WorkerPool.spawn(1);
    await pool.load(setup);
    try {
      const inFlight = chunks.slice(0, 2).map((c) => pool.submit(c));
      expect(() => pool.submit(chunks[2]!)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
      await Promise.all(inFlight);
    } finally {
      await pool.destroy();
    }
  });

  it('feeds only the first workers once told to: capacity shrinks and the others take no new chunk', async () => {
    const { setup, chunks } = await setupFor('logreg.onnx');
    const pool = WorkerPool.spawn(2);
    await pool.load(setup);
    try {
      expect([pool.size, pool.feeding, pool.capacity]).toEqual([2, 2, 4]);
      pool.feed(1);
      expect([pool.size, pool.feeding, pool.capacity]).toEqual([2, 1, 2]);
      // Two chunks fill the one worker fed; the second worker, idle, is not given a third.
      const inFlight = chunks.slice(0, 2).map((c) => pool.submit(c));
      expect(() => pool.submit(chunks[2]!)).toThrow(expect.objectContaining({ code: 'INTERNAL', message: expect.stringContaining('beyond capacity') }));
      await Promise.all(inFlight);
      expect(pool.scored).toBe(2);
      pool.feed(5);
      expect(pool.feeding).toBe(2);
      pool.feed(0);
      expect(pool.feeding).toBe(1);
    } finally {
      await pool.destroy();
    }
  });

  it('stops threads spawned for a run that failed before its setup, once they have loaded, and takes no chunk before load', async () => {
    const { chunks } = await setupFor('logreg.onnx');
    const pool = WorkerPool.spawn(2);
    expect(() => pool.submit(chunks[0]!)).toThrow(expect.objectContaining({ code: 'INTERNAL', message: expect.stringContaining('before load') }));
    await pool.destroy();
    await expect(pool.submit(chunks[0]!)).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
