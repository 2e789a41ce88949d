import { describe, expect, it } from 'vitest';

import { planOutputs, type ModelSignature, type TensorSpec } from '../../src/model/index.js';

function signature(outputs: TensorSpec[]): ModelSignature {
  return { inputs: [], outputs, metadata: {}, producer: 'test', opsets: {} };
}

const classifier = signature([
  { name: 'label', dtype: 'int64', shape: [null] },
  { name: 'probabilities', dtype: 'float32', shape: [null, 2] },
]);

describe('planOutputs', () => {
  it('needs no --score for a one-output model', () => {
    expect(planOutputs(signature([{ name: 'variable', dtype: 'float32', shape: [null, 1] }]), {}, {})).toEqual([
      { column: 'score', type: 'real', output: 'variable', index: undefined },
    ]);
  });

  it('refuses to choose between several outputs', () => {
    expect(() => planOutputs(classifier, {}, {})).toThrow(expect.objectContaining({ code: 'MODEL_OUTPUT_AMBIGUOUS' }));
  });

  it('picks an output column by index, and extra columns with their types', () => {
    expect(planOutputs(classifier, {}, { score: 'probabilities:1', extra: ['predicted=label'] })).toEqual([
      { column: 'score', type: 'real', output: 'probabilities', index: 1 },
      { column: 'predicted', type: 'integer', output: 'label', index: undefined },
    ]);
  });

  it('picks a column by class label, and keeps names containing a colon whole', () => {
    const zip = signature([{ name: 'output_probability', dtype: 'float32', shape: [null, 2] }, { name: 'dense:0', dtype: 'float32', shape: [null, 1] }]);
    expect(planOutputs(zip, { output_probability: ['no', 'yes'] }, { score: 'output_probability:yes' })[0]!.index).toBe(1);
    expect(planOutputs(zip, {}, { score: 'dense:0' })[0]).toMatchObject({ output: 'dense:0', index: undefined });
  });

  it('names what exists when an output or column does not', () => {
    expect(() => planOutputs(classifier, {}, { score: 'proba' })).toThrow(expect.objectContaining({ code: 'MODEL_OUTPUT_NOT_FOUND', message: expect.stringContaining('probabilities float32[?,2]') }));
    expect(() => planOutputs(classifier, {}, { score: 'probabilities:2' })).toThrow(expect.objectContaining({ code: 'MODEL_OUTPUT_COLUMN' }));
    expect(() => planOutputs(classifier, {}, { score: 'probabilities:maybe' })).toThrow(expect.objectContaining({ code: 'MODEL_OUTPUT_COLUMN' }));
  });

  it('refuses reserved or malformed extra column names', () => {
    for (const extra of ['run_id=label', 'label', 'bad name=label']) {
      expect(() => planOutputs(classifier, {}, { score: 'probabilities:1', extra: [extra] })).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION' }));
    }
  });
});
