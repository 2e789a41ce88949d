import { readFileSync } from 'node:fs';

import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';

import { createScoringSession, loadModelFile } from '../../src/model/index.js';
import { SHARED_MODELS, sharedAvailable } from '../support/shared-data.js';

const fixture = (name: string) => new URL(`../../fixtures/models/${name}`, import.meta.url);

describe('loadModelFile', () => {
  it('reads inputs, outputs and metadata_props of a fixture', () => {
    const model = loadModelFile(readFileSync(fixture('logreg.onnx')), 'logreg.onnx');
    expect(model.signature.inputs).toEqual([{ name: 'features', dtype: 'float32', shape: ['N', 6] }]);
    expect(JSON.parse(model.signature.metadata['prescore.features']!)).toHaveLength(6);
    expect(model.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(model.rewritten).toBe(false);
  });

  it('refuses bytes that are not ONNX', () => {
    expect(() => loadModelFile(new TextEncoder().encode('<html>not found</html>'), 'x.onnx')).toThrow(expect.objectContaining({ code: 'MODEL_NOT_ONNX', exitCode: 4, file: 'x.onnx' }));
    const truncated = readFileSync(fixture('trees.onnx')).subarray(0, 200);
    expect(() => loadModelFile(truncated, 't.onnx')).toThrow(expect.objectContaining({ code: 'MODEL_NOT_ONNX' }));
  });
});

describe.runIf(sharedAvailable())('ZipMap rewrite on real classifiers', () => {
  const cases = [
    { file: 'skl2onnx/rf_iris.onnx', feeds: () => ({ float_input: new ort.Tensor('float32', Float32Array.from([5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3]), [2, 4]) }) },
    { file: 'skl2onnx/pipeline_lightgbm.onnx', feeds: () => ({ input: new ort.Tensor('float32', Float32Array.from([0.5, -1, 2, 0.25]), [2, 2]) }) },
  ];

  it.each(cases)('$file publishes exactly the ZipMap input tensor', async ({ file, feeds }) => {
    const bytes = readFileSync(`${SHARED_MODELS}${file}`);
    const model = loadModelFile(bytes, file);
    expect(model.rewritten).toBe(true);
    const probability = model.signature.outputs.find((o) => o.name === 'output_probability')!;
    expect(probability).toMatchObject({ dtype: 'float32' });
    expect(Object.keys(model.classLabels)).toEqual(['output_probability']);

    // Oracle: the untouched model with the ZipMap's input added as an extra graph output, fetched alone.
    const { bytes: withOutput, name: zipNodeInput } = await exposeZipMapInput(bytes);
    const original = await ort.InferenceSession.create(withOutput);
    const expected = (await original.run(feeds(), [zipNodeInput]))[zipNodeInput]!;
    const session = await createScoringSession(model.bytes, file);
    const plainFeeds = Object.fromEntries(Object.entries(feeds()).map(([k, t]) => [k, { dtype: t.type, data: t.data as Float32Array, dims: t.dims }]));
    const actual = (await session.run(plainFeeds, ['output_probability'])).output_probability!;
    expect(actual.dims).toEqual(expected.dims);
    expect(Array.from(actual.data as Float32Array)).toEqual(Array.from(expected.data as Float32Array));
    await session.release();
    await original.release();
  });
});

async function exposeZipMapInput(bytes: Uint8Array): Promise<{ bytes: Uint8Array; name: string }> {
  const { default: onnxProto } = await import('onnx-proto');
  const model = onnxProto.onnx.ModelProto.decode(bytes);
  const name = model.graph!.node!.find((n) => n.opType === 'ZipMap')!.input![0]!;
  model.graph!.output!.push({ name, type: { tensorType: { elemType: 1 } } });
  return { bytes: onnxProto.onnx.ModelProto.encode(model).finish(), name };
}
