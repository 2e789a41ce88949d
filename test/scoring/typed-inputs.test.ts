import { describe, expect, it } from 'vitest';

import { readChunks, type Chunk } from '../../src/chunking/index.js';
import { createScoringSession, loadModelFile, planInputs, planOutputs } from '../../src/model/index.js';
import { keptRows, scoreChunk, type WorkerSetup } from '../../src/scoring/index.js';
import { parseChunk } from '../../src/scoring/column-parser.js';
import { preflightChunk, preflightParsed } from '../../src/scoring/preflight.js';
import { typedInputsModel } from '../support/typed-model.js';

const model = loadModelFile(typedInputsModel(), 'typed.onnx');

/** The setup a run would build for this table, and its chunks. */
async function prepare(csv: string, fill: Record<string, string> = {}): Promise<{ setup: WorkerSetup; chunks: Chunk[] }> {
  async function* bytes() {
    yield Buffer.from(csv);
  }
  const { header, chunks } = await readChunks(bytes(), { source: 't.csv', targetChunkBytes: 64 });
  const list: Chunk[] = [];
  for await (const chunk of chunks) list.push(chunk);
  const inputs = planInputs(model.signature, header, { idColumn: 'id', file: 't.csv', fill });
  const setup: WorkerSetup = {
    modelBytes: model.bytes,
    modelFile: 'typed.onnx',
    parse: { delimiter: 44, header, idColumn: inputs.idColumnIndex, numeric: inputs.numericColumns, text: inputs.textColumns, naValues: ['', 'NA'], maxFieldBytes: 1 << 20, maxIdBytes: 256 },
    inputs,
    outputs: planOutputs(model.signature, model.classLabels, { score: 'y', extra: ['echo=echo'] }),
    batchRows: 2,
  };
  return { setup, chunks: list };
}

const TABLE = ['id,flag,count:0,ratio,3', 'r1,true,2,0.5,7', 'r2,False,-3,,8', 'r3,1,4,1.25,', 'r4,0.0,5,2,9', 'r5,yes,1,1,1', 'r6,1,1.5,1,1', 'r7,,1,1,1', ''].join('\n');

describe('bool, int32, float64 and int64 inputs from CSV cells, through a real session', () => {
  it('feeds each type, names with ":" and digits included, and rejects what a type cannot hold', async () => {
    const { setup, chunks } = await prepare(TABLE);
    expect(setup.inputs.bindings.map((b) => `${b.input}:${b.dtype}:${b.layout}`)).toEqual(['flag:bool:vector', 'count:0:int32:column', 'ratio:float64:column', '3:int64:vector']);
    const session = await createScoringSession(setup.modelBytes, 'typed.onnx');
    try {
      const scored = await Promise.all(chunks.map((c) => scoreChunk(session, setup, c)));
      const ids = scored.flatMap((s) => s.ids);
      const y = scored.flatMap((s) => Array.from(s.columns[0] as Float64Array));
      const echo = scored.flatMap((s) => Array.from(s.columns[1] as BigInt64Array));
      expect(ids).toEqual(['r1', 'r2', 'r4']);
      expect(y).toEqual([1000 + 20 + 0.5 + 3.5, -30 + NaN + 4, 50 + 2 + 4.5]);
      expect(echo).toEqual([7n, 8n, 9n]);
      const rejects = scored.flatMap((s) => s.rejects).map((r) => [r.line, r.column, r.code]);
      expect(rejects).toEqual([
        [4, '3', 'CSV_MISSING_VALUE'],
        [6, 'flag', 'CSV_NOT_A_BOOLEAN'],
        [7, 'count:0', 'CSV_NOT_AN_INTEGER'],
        [8, 'flag', 'CSV_MISSING_VALUE'],
      ]);
    } finally {
      await session.release();
    }
  });

  it('scores the rows with missing int and bool cells once --fill gives them values', async () => {
    const { setup, chunks } = await prepare(TABLE, { '3': '0', flag: 'FALSE' });
    const session = await createScoringSession(setup.modelBytes, 'typed.onnx');
    try {
      const scored = await Promise.all(chunks.map((c) => scoreChunk(session, setup, c)));
      const byId = new Map(scored.flatMap((s) => s.ids.map((id, r) => [id, (s.columns[0] as Float64Array)[r]] as const)));
      expect(byId.get('r3')).toBe(1000 + 40 + 1.25);
      expect(byId.get('r7')).toBe(10 + 1 + 0.5);
      expect(scored.flatMap((s) => s.rejects).map((r) => r.code)).toEqual(['CSV_NOT_A_BOOLEAN', 'CSV_NOT_AN_INTEGER']);
    } finally {
      await session.release();
    }
  });

  it('keptRows keeps exactly the rows scoreChunk scores, an NA bool cell filled included', async () => {
    const { setup, chunks } = await prepare(`${TABLE}r8,NA,1,1,1\n`, { '3': '0', flag: 'FALSE' });
    const session = await createScoringSession(setup.modelBytes, 'typed.onnx');
    try {
      const scored = await Promise.all(chunks.map((c) => scoreChunk(session, setup, c)));
      const kept = chunks.map((c) => keptRows(c, setup));
      expect(scored.flatMap((s) => s.ids)).toContain('r8');
      expect(kept.flatMap((k) => k.ids)).toEqual(scored.flatMap((s) => s.ids));
      expect(kept.flatMap((k) => Array.from(k.lines))).toEqual(scored.flatMap((s) => Array.from(s.lines)));
    } finally {
      await session.release();
    }
  });
});

describe('preflightChunk', () => {
  const outcome = (check: () => void) => {
    try {
      check();
      return undefined;
    } catch (error) {
      return { message: (error as Error).message, ...(error as object) } as Record<string, unknown>;
    }
  };
  /** The whole check's outcome, after checking that the one answered from the parse agrees with it. */
  const mismatch = async (csv: string) => {
    const { setup, chunks } = await prepare(csv);
    const whole = outcome(() => chunks.forEach((c) => preflightChunk(setup, c)));
    expect(outcome(() => chunks.forEach((c) => preflightParsed(setup, c, parseChunk(c, setup.parse))))).toEqual(whole);
    return whole;
  };

  it('stops a column none of whose cells fits its input, at its first cell', async () => {
    expect(await mismatch('id,flag,count:0,ratio,3\nr1,1,2,x,7\nr2,0,2,,8\nr3,0,2,y,9\n')).toMatchObject({
      code: 'CSV_DTYPE_MISMATCH', exitCode: 3, file: 't.csv', line: 2, column: 4, value: 'x',
    });
    expect(await mismatch('id,flag,count:0,ratio,3\nr1,yes,2,1,7\nr2,no,2,1,8\n')).toMatchObject({ code: 'CSV_DTYPE_MISMATCH', column: 2, value: 'yes' });
    expect(await mismatch('id,flag,count:0,ratio,3\nr1,1,2.5,1,7\nr2,0,0.5,1,8\n')).toMatchObject({ code: 'CSV_DTYPE_MISMATCH', column: 3, value: '2.5', message: expect.stringContaining('is an integer') });
  });

  it('leaves a column with some fitting cells to the row checks', async () => {
    expect(await mismatch('id,flag,count:0,ratio,3\nr1,1,2,x,7\nr2,0,2,1.5,8\nr3,maybe,2,NA,9\n')).toBeUndefined();
  });
});
