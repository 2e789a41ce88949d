import { describe, expect, it } from 'vitest';

import { planInputs, type ModelSignature, type TensorSpec } from '../../src/model/index.js';

function signature(inputs: TensorSpec[], metadata: Record<string, string> = {}): ModelSignature {
  return { inputs, outputs: [{ name: 'y', dtype: 'float32', shape: [null, 1] }], metadata, producer: 'test', opsets: { '': 17 } };
}

const header = ['id', 'age', 'income', 'plan', 'note'];
const matrix: TensorSpec = { name: 'features', dtype: 'float32', shape: ['N', 2] };

describe('planInputs', () => {
  it('takes a [N,F] feature order from --features, never from the header', () => {
    const plan = planInputs(signature([matrix]), header, { idColumn: 'id', file: 't.csv', features: ['income', 'age'] });
    expect(plan.bindings).toEqual([{ input: 'features', dtype: 'float32', layout: 'matrix', columns: ['income', 'age'], columnIndexes: [2, 1] }]);
    expect(plan.featureSource).toBe('flag');
    expect(plan.numericColumns).toEqual([1, 2]);
    expect(plan.unusedColumns).toEqual(['plan', 'note']);
    expect(plan.idColumnIndex).toBe(0);
  });

  it('reads the feature order from metadata_props as JSON or comma list', () => {
    for (const value of ['["age","income"]', 'age, income']) {
      const plan = planInputs(signature([matrix], { 'prescore.features': value }), header, { idColumn: 'id', file: 't.csv' });
      expect(plan.bindings[0]!.columns).toEqual(['age', 'income']);
      expect(plan.featureSource).toBe('metadata');
    }
  });

  it('refuses to guess when a [N,F] input has no feature list', () => {
    expect(() => planInputs(signature([matrix]), header, { idColumn: 'id', file: 't.csv' })).toThrow(
      expect.objectContaining({ code: 'MODEL_FEATURES_REQUIRED', exitCode: 4 }),
    );
  });

  it('checks the feature count against a fixed width', () => {
    expect(() => planInputs(signature([matrix]), header, { idColumn: 'id', file: 't.csv', features: ['age'] })).toThrow(
      expect.objectContaining({ code: 'MODEL_FEATURE_COUNT' }),
    );
  });

  it('maps one input per column by name, strings as text', () => {
    const inputs: TensorSpec[] = [
      { name: 'age', dtype: 'float32', shape: [null, 1] },
      { name: 'plan', dtype: 'string', shape: [null, 1] },
      { name: 'income', dtype: 'int64', shape: [null] },
    ];
    const plan = planInputs(signature(inputs), header, { idColumn: 'id', file: 't.csv' });
    expect(plan.bindings.map((b) => [b.input, b.layout, b.columnIndexes])).toEqual([
      ['age', 'column', [1]],
      ['plan', 'column', [3]],
      ['income', 'vector', [2]],
    ]);
    expect(plan.numericColumns).toEqual([1, 2]);
    expect(plan.textColumns).toEqual([3]);
    expect(plan.featureSource).toBe('input-names');
  });

  it('names the missing column, the file and a near miss', () => {
    const inputs: TensorSpec[] = [{ name: 'Age', dtype: 'float32', shape: [null, 1] }, { name: 'plan', dtype: 'string', shape: [null, 1] }];
    const error = (() => {
      try {
        planInputs(signature(inputs), header, { idColumn: 'id', file: 't.csv' });
      } catch (e) {
        return e as { code: string; file: string; line: number; message: string };
      }
      return undefined;
    })();
    expect(error).toMatchObject({ code: 'MODEL_MISSING_COLUMN', file: 't.csv', line: 1 });
    expect(error!.message).toContain('Did you mean "age"');
  });

  it('requires the id column', () => {
    expect(() => planInputs(signature([matrix]), header, { idColumn: 'customer', file: 't.csv', features: ['age', 'income'] })).toThrow(
      expect.objectContaining({ code: 'CSV_MISSING_ID_COLUMN', exitCode: 3, file: 't.csv' }),
    );
  });

  it('refuses input types a CSV cannot fill', () => {
    const inputs: TensorSpec[] = [{ name: 'age', dtype: 'float16', shape: [null, 1] }];
    expect(() => planInputs(signature(inputs), header, { idColumn: 'id', file: 't.csv' })).toThrow(expect.objectContaining({ code: 'MODEL_UNSUPPORTED_INPUT' }));
  });

  it('reports a fixed batch size, and conflicting ones', () => {
    const fixed: TensorSpec[] = [{ name: 'age', dtype: 'int64', shape: [1] }, { name: 'income', dtype: 'int64', shape: [1] }];
    expect(planInputs(signature(fixed), header, { idColumn: 'id', file: 't.csv' }).fixedBatch).toBe(1);
    const conflict: TensorSpec[] = [{ name: 'age', dtype: 'int64', shape: [1] }, { name: 'income', dtype: 'int64', shape: [3] }];
    expect(() => planInputs(signature(conflict), header, { idColumn: 'id', file: 't.csv' })).toThrow(expect.objectContaining({ code: 'MODEL_BATCH_CONFLICT' }));
  });
});
