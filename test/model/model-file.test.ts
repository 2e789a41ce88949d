import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';

import { createScoringSession, loadModelFile, planOutputs } from '../../src/model/index.js';
import { exposeZipMapInputs } from '../support/model-oracle.js';
import { SHARED_MODELS, sharedAvailable } from '../support/shared-data.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/models/${name}`, import.meta.url));
const { onnx } = onnxProto;

describe('loadModelFile', () => {
  it('reads inputs, outputs and metadata_props of a fixture', () => {
    const model = loadModelFile(fixture('logreg.onnx'), 'logreg.onnx');
    expect(model.signature.inputs).toEqual([{ name: 'features', dtype: 'float32', shape: ['N', 6] }]);
    expect(JSON.parse(model.signature.metadata['prescore.features']!)).toHaveLength(6);
    expect(model.signature).toMatchObject({ producer: 'prescore-fixtures', opsets: { '': 17 } });
    expect(model.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(model.rewritten).toBe(false);
  });

  it('tells a cut ONNX file from one that is not ONNX, naming what it looks like', () => {
    const trees = fixture('trees.onnx');
    for (const end of [200, trees.length >> 1, trees.length - 1]) {
      expect(() => loadModelFile(trees.subarray(0, end), 't.onnx')).toThrow(expect.objectContaining({ code: 'MODEL_TRUNCATED', exitCode: 4, file: 't.onnx' }));
    }
    const cases: [Uint8Array, string][] = [
      [new TextEncoder().encode('<!DOCTYPE html><html>404 Not Found</html>'), 'HTML'],
      [new TextEncoder().encode('customer_id,age\nC1,41\n'), 'text (a CSV?'],
      [gzipSync(trees), 'a gzip file'],
      [Uint8Array.from([0x80, 0x04, 0x95, 0x10, 0, 0, 0, 0]), 'a Python pickle'],
      [new Uint8Array(0), 'empty'],
    ];
    for (const [bytes, looksLike] of cases) {
      expect(() => loadModelFile(bytes, 'x.onnx')).toThrow(expect.objectContaining({ code: 'MODEL_NOT_ONNX', exitCode: 4, message: expect.stringContaining(looksLike) }));
    }
  });

  it('rewrites a ZipMap of a model importing only ai.onnx.ml, adding the default domain its Identity needs', async () => {
    const bytes = onnx.ModelProto.encode({
      irVersion: 3,
      opsetImport: [{ domain: 'ai.onnx.ml', version: 1 }],
      graph: {
        name: 'zip',
        node: [{ opType: 'ZipMap', domain: 'ai.onnx.ml', input: ['X'], output: ['Z'], attribute: [{ name: 'classlabels_strings', type: 8, strings: [Buffer.from('no'), Buffer.from('yes')] }] }],
        input: [{ name: 'X', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: 2 }] } } } }],
        output: [{ name: 'Z', type: { sequenceType: { elemType: { mapType: { keyType: 8, valueType: { tensorType: { elemType: 1 } } } } } } }],
      },
    }).finish();
    const model = loadModelFile(bytes, 'zip.onnx');
    expect(model).toMatchObject({ rewritten: true, classLabels: { Z: ['no', 'yes'] } });
    expect(model.signature.outputs).toEqual([{ name: 'Z', dtype: 'float32', shape: [null, 2] }]);
    expect(planOutputs(model.signature, model.classLabels, { score: 'Z:yes' })[0]).toMatchObject({ output: 'Z', index: 1 });
    const session = await createScoringSession(model.bytes, 'zip.onnx');
    const out = await session.run({ X: { dtype: 'float32', data: Float32Array.from([0.25, 0.75, 0.5, 0.5]), dims: [2, 2] } }, ['Z']);
    expect(Array.from(out.Z!.data as Float32Array)).toEqual([0.25, 0.75, 0.5, 0.5]);
    await session.release();
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
    const { bytes: withOutput, inputOf } = exposeZipMapInputs(bytes);
    const zipNodeInput = inputOf.output_probability!;
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

  it('copies every byte of the graph but the ZipMap and its output: the forest node is untouched', () => {
    // The rewrite keeps every byte outside the ZipMap node and its output: the forest's attributes are copied as they are.
    const bytes = readFileSync(`${SHARED_MODELS}skl2onnx/rf_iris.onnx`);
    const model = loadModelFile(bytes, 'rf_iris.onnx');
    const forest = onnx.ModelProto.decode(bytes).graph!.node!.find((n) => n.opType === 'TreeEnsembleClassifier')!;
    const rewritten = onnx.ModelProto.decode(model.bytes).graph!.node!.find((n) => n.opType === 'TreeEnsembleClassifier')!;
    expect(onnx.NodeProto.encode(rewritten).finish()).toEqual(onnx.NodeProto.encode(forest).finish());
  });
});
