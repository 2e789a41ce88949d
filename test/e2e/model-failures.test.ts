import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import onnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';

import { ROOT, runCli } from '../support/run-cli.js';
import { SHARED_MODELS, sharedAvailable } from '../support/shared-data.js';

let dir: string;
const fixture = (name: string) => join(ROOT, 'fixtures', name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'prescore-model-failures-'));
});

const score = (model: string, input: string, ...more: string[]) =>
  runCli(['score', '--model', model, '--input', input, '--id-column', 'customer_id', '--output', join(dir, 'out.db'), '--table', 'scores', '--workers', '1', ...more]);

/** A small per-column table (age float32, income float32, plan string) with the given rows. */
function table(name: string, rows: readonly string[]): string {
  const path = join(dir, `${name}.csv`);
  writeFileSync(path, ['customer_id,age,income,plan', ...rows].join('\n') + '\n');
  return path;
}

describe('a model that cannot load exits 4 with its own code and what to do', () => {
  it('a truncated file: MODEL_TRUNCATED', async () => {
    const cut = join(dir, 'cut.onnx');
    const bytes = readFileSync(fixture('models/trees.onnx'));
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const result = await score(cut, fixture('customers.csv'));
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain(`prescore: error MODEL_TRUNCATED: The model file is cut short: it starts as an ONNX model but ends inside it after ${Math.floor(bytes.length / 2)} bytes at ${cut}`);
    expect(result.stderr).toContain('Copy or download it again');
  });

  it('a file that is not ONNX (a CSV passed as the model): MODEL_NOT_ONNX', async () => {
    const result = await score(fixture('customers.csv'), fixture('customers.csv'));
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain('prescore: error MODEL_NOT_ONNX: The model file is not ONNX: it looks like text (a CSV? check that --model and --input are not swapped)');
  });

  it('an opset this onnxruntime does not support: MODEL_UNSUPPORTED_OPSET', async () => {
    const model = onnxProto.onnx.ModelProto.decode(readFileSync(fixture('models/logreg.onnx')));
    for (const opset of model.opsetImport!) if ((opset.domain ?? '') === '') opset.version = 99;
    const path = join(dir, 'opset99.onnx');
    writeFileSync(path, onnxProto.onnx.ModelProto.encode(model).finish());
    const result = await score(path, fixture('customers.csv'));
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toMatch(/prescore: error MODEL_UNSUPPORTED_OPSET: The model imports opset 99 of domain ai\.onnx, and this onnxruntime supports ai\.onnx up to opset \d+/);
    expect(result.stderr).toContain('target_opset=');
  });
});

describe('cells a model input cannot take', () => {
  it('a missing string is a reject naming line and column until --fill gives it a value', async () => {
    const input = table('plans', ['C1,41,1000,basic', 'C2,38,2000,', 'C3,50,3000,plus']);
    const refused = await score(fixture('models/per-column.onnx'), input, '--score', 'probabilities:1');
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toContain('prescore: error CSV_MISSING_VALUE: Row rejected: the model input "plan" (string) takes no missing value; give one with --fill plan=VALUE');
    expect(refused.stderr).toContain(`at file://${input}:3:4`);
    const filled = await score(fixture('models/per-column.onnx'), input, '--score', 'probabilities:1', '--fill', 'plan=basic', '--log-format', 'json');
    expect(filled.exitCode, filled.stderr).toBe(0);
    expect(JSON.parse(filled.stdout.trim())).toMatchObject({ rowsRead: 3, rowsScored: 3, rowsRejected: 0 });
  });

  it('a text column feeding a float input stops before scoring with file, line, column and value', async () => {
    const input = table('words', ['C1,forty-one,1000,basic', 'C2,,2000,plus', 'C3,fifty,3000,plus']);
    const result = await score(fixture('models/per-column.onnx'), input, '--score', 'probabilities:1', '--max-reject-rate', '1');
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('prescore: error CSV_DTYPE_MISMATCH: The column "age" feeds the model input "age" (float32), but none of its values in the first 3 rows is a number');
    expect(result.stderr).toContain(`(value "forty-one") at file://${input}:2:2`);
  });

  it('a --fill value the input cannot hold is a usage error', async () => {
    const result = await score(fixture('models/per-column.onnx'), fixture('customers.csv'), '--score', 'probabilities:1', '--fill', 'age=old');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('USAGE_INVALID_OPTION: --fill age: the column feeds a float32 input, which takes a finite number');
  });
});

describe.runIf(sharedAvailable())('prescore inspect on real models', () => {
  const inspect = async (model: string) => {
    const result = await runCli(['inspect', SHARED_MODELS + model, '--json']);
    return { ...result, report: JSON.parse(result.stdout) as Record<string, unknown> };
  };

  it('shows rewritten ZipMap outputs with their class labels', async () => {
    const { exitCode, report } = await inspect('skl2onnx/rf_iris.onnx');
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ zipMapRewritten: true, runtime: { loads: true }, fixedBatch: null });
    expect(report.outputs).toContainEqual({ name: 'output_probability', dtype: 'float32', shape: [null, 3], classLabels: ['0', '1', '2'] });
  });

  it('shows what the runtime infers for an output with no declared type, and a fixed batch', async () => {
    const numerical = await inspect('skl2onnx/pipeline_titanic_numerical.onnx');
    expect(numerical.report.outputs).toEqual([{ name: 'variable1', dtype: 'undeclared', runtime: { name: 'variable1', dtype: 'float32' } }]);
    const fixed = await inspect('onnx-node-tests/tree_ensemble_single_tree/model.onnx');
    expect(fixed.report).toMatchObject({ fixedBatch: 3, inputs: [{ name: 'X', dtype: 'float64', shape: [3, 2] }] });
  });

  it('still shows a model the runtime refuses, then exits with the load error', async (context) => {
    const { exitCode, stderr, report } = await inspect('skl2onnx/tutorial_model_stringnormalizer.onnx');
    if (exitCode === 0) return context.skip('this machine has the en_US.UTF-8 locale');
    expect(exitCode).toBe(4);
    expect(report).toMatchObject({ runtime: { loads: false, code: 'MODEL_LOCALE_MISSING' }, inputs: [{ name: 'input' }, { name: 'text', dtype: 'string' }] });
    expect(stderr).toContain('MODEL_LOCALE_MISSING');
  });
});
