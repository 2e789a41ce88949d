import { readFileSync } from 'node:fs';

import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';

import { createScoringSession, loadModelFile } from '../../src/model/index.js';
import { SHARED_MODELS, sharedAvailable } from '../support/shared-data.js';
import { typedInputsModel } from '../support/typed-model.js';

const { onnx } = onnxProto;
const logreg = readFileSync(new URL('../../fixtures/models/logreg.onnx', import.meta.url));

function withOpset(bytes: Uint8Array, domain: string, version: number): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  for (const opset of model.opsetImport!) if ((opset.domain ?? '') === domain) opset.version = version;
  return onnx.ModelProto.encode(model).finish();
}

describe('createScoringSession', () => {
  it('names the opset and the highest one supported when the runtime refuses an opset', async () => {
    await expect(createScoringSession(withOpset(logreg, '', 99), 'm.onnx')).rejects.toMatchObject({
      code: 'MODEL_UNSUPPORTED_OPSET',
      exitCode: 4,
      file: 'm.onnx',
      message: expect.stringMatching(/imports opset 99 of domain ai\.onnx, and this onnxruntime supports ai\.onnx up to opset \d+ at m\.onnx\. Re-export it with target opset \d+ or lower/),
    });
  });

  it('keeps the runtime words for other load failures', async () => {
    const model = onnx.ModelProto.decode(logreg);
    model.graph!.node![0]!.opType = 'NoSuchOperator';
    await expect(createScoringSession(onnx.ModelProto.encode(model).finish(), 'm.onnx')).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED', message: expect.stringContaining('NoSuchOperator') });
  });

  it('never feeds a name the model does not declare (the runtime would ignore it silently)', async () => {
    const session = await createScoringSession(typedInputsModel(), 'typed.onnx');
    try {
      const feeds = {
        flag: { dtype: 'bool', data: Uint8Array.from([1]), dims: [1] },
        'count:0': { dtype: 'int32', data: Int32Array.from([1]), dims: [1, 1] },
        ratio: { dtype: 'float64', data: Float64Array.from([1]), dims: [1, 1] },
        '3': { dtype: 'int64', data: BigInt64Array.from([1n]), dims: [1] },
      };
      expect((await session.run(feeds, ['y'])).y!.data).toEqual(Float64Array.from([1000 + 10 + 1 + 0.5]));
      await expect(session.run({ ...feeds, age: feeds.ratio }, ['y'])).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('"age"') });
    } finally {
      await session.release();
    }
  });
});

describe.runIf(sharedAvailable())('runtime view of a real model', () => {
  it('reports the type the runtime infers for an output the model leaves undeclared', async () => {
    const model = loadModelFile(readFileSync(`${SHARED_MODELS}skl2onnx/pipeline_titanic_numerical.onnx`), 'numerical.onnx');
    expect(model.signature.outputs).toEqual([{ name: 'variable1', dtype: 'undeclared', shape: undefined }]);
    const session = await createScoringSession(model.bytes, 'numerical.onnx');
    expect(session.outputs).toEqual([{ name: 'variable1', dtype: 'float32', shape: undefined }]);
    await session.release();
  });
});
