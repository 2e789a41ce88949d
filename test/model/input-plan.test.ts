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

describe('planInputs: several inputs, list groups, typed cells', () => {
  const text: TensorSpec = { name: 'text', dtype: 'string', shape: [null, 1] };
  const wide: TensorSpec = { name: 'input', dtype: 'float32', shape: [null, 2] };
  const table = ['id', 'a', 'b', 'text', 'flag', 'n'];
  const plan = (inputs: TensorSpec[], options: Partial<{ features: string[]; fill: Record<string, string>; idColumn: string }> = {}) =>
    planInputs(signature(inputs), table, { idColumn: 'id', file: 't.csv', ...options });

  it('feeds an [N,F] input among several from an INPUT=col,… group, the others by name', () => {
    const result = plan([wide, text], { features: ['input=b', 'a'] });
    expect(result.bindings.map((b) => [b.input, b.layout, b.columns])).toEqual([
      ['input', 'matrix', ['b', 'a']],
      ['text', 'column', ['text']],
    ]);
    expect(result.featureSource).toBe('flag');
    expect(plan([wide, text], { features: ['a', 'b'] }).bindings[0]!.columns).toEqual(['a', 'b']);
  });

  it('asks for a group when an [N,F] input among several has no list, or a bare list fits no single input', () => {
    expect(() => plan([wide, text])).toThrow(expect.objectContaining({ code: 'MODEL_FEATURES_REQUIRED', message: expect.stringContaining('--features input=col1,col2') }));
    const other: TensorSpec = { name: 'other', dtype: 'float32', shape: [null, 2] };
    expect(() => plan([wide, other], { features: ['a', 'b'] })).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION', message: expect.stringContaining('without saying which') }));
    expect(() => plan([wide, text], { features: ['input=a', 'b', 'input=a'] })).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION' }));
  });

  it('feeds a single [N,1] or [N] input from a listed column, or by its own name', () => {
    const column: TensorSpec = { name: 'X', dtype: 'float32', shape: [6, 1] };
    expect(plan([column], { features: ['a'] }).bindings[0]).toMatchObject({ layout: 'matrix', columns: ['a'] });
    expect(plan([column], { features: ['a'] }).fixedBatch).toBe(6);
    expect(() => plan([column])).toThrow(expect.objectContaining({ code: 'MODEL_MISSING_COLUMN', message: expect.stringContaining('--features X=COLUMN') }));
    const vector: TensorSpec = { name: 'text', dtype: 'string', shape: [5] };
    expect(plan([vector]).bindings[0]).toMatchObject({ layout: 'vector', columns: ['text'] });
  });

  it('reads bool columns as text and integer columns as numbers', () => {
    const inputs: TensorSpec[] = [{ name: 'flag', dtype: 'bool', shape: [null] }, { name: 'n', dtype: 'int32', shape: [null, 1] }, text];
    const result = plan(inputs);
    expect(result.textColumns).toEqual([3, 4]);
    expect(result.numericColumns).toEqual([5]);
  });

  it('checks --fill values against the type of the input each column feeds', () => {
    const inputs: TensorSpec[] = [{ name: 'flag', dtype: 'bool', shape: [null] }, { name: 'n', dtype: 'int64', shape: [null, 1] }, text];
    expect(plan(inputs, { fill: { flag: 'False', n: '-3', text: '' } }).fills).toEqual([
      { column: 'flag', columnIndex: 4, value: 0 },
      { column: 'n', columnIndex: 5, value: -3 },
      { column: 'text', columnIndex: 3, value: '' },
    ]);
    for (const fill of [{ n: '1.5' }, { flag: 'yes' }, { a: '0' }] as Record<string, string>[]) {
      expect(() => plan(inputs, { fill })).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION', exitCode: 2 }));
    }
  });

  it('refuses an id column that feeds the model, a column fed both as text and number, and inputs of rank 3', () => {
    expect(() => plan([text], { idColumn: 'text' })).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION', message: expect.stringContaining('also feeds the model input "text" (string)') }));
    const twice: TensorSpec[] = [{ name: 'input', dtype: 'float32', shape: [null, 2] }, text];
    expect(() => plan(twice, { features: ['input=a', 'text'] })).toThrow(expect.objectContaining({ code: 'MODEL_UNSUPPORTED_INPUT' }));
    expect(() => plan([{ name: 'image', dtype: 'float32', shape: [null, 3, 8] }])).toThrow(expect.objectContaining({ code: 'MODEL_UNSUPPORTED_INPUT', message: expect.stringContaining('rank 3') }));
  });
});
