import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';

import { Prng } from '../../scripts/fixtures/prng.js';
import { exposeZipMapInputs, floats, int64s, runOracle, strings, type OracleFeeds, type Row } from '../support/model-oracle.js';
import { runCli } from '../support/run-cli.js';
import { SHARED_DATA, SHARED_MODELS, sharedAvailable } from '../support/shared-data.js';
import { localeFor } from '../support/locale-setup.js';

/** One real model scored end to end: the table, the flags, and how a reference script would feed it. */
interface ModelCase {
  readonly model: string;
  readonly table: string;
  readonly id: string;
  readonly args: readonly string[];
  readonly feeds: OracleFeeds;
  /** The model's fixed batch size, if any. */
  readonly batch?: number;
  /** Published column → the model output and column it must equal. */
  readonly columns: Readonly<Record<string, readonly [string, number]>>;
  /** Published columns SQLite must hold as integers (int64 labels). */
  readonly integers?: readonly string[];
}

const TITANIC_INPUTS: OracleFeeds = (rows) => ({
  pclass: strings(rows, 'pclass'),
  sex: strings(rows, 'sex'),
  age: floats('float32', rows, ['age']),
  fare: floats('float32', rows, ['fare']),
  embarked: strings(rows, 'embarked'),
});
const IRIS = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

let dir: string;
const table = (name: string) => join(dir, `${name}.csv`);

/** Writes a CSV whose cells need no quoting. */
function writeTable(name: string, header: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
  writeFileSync(table(name), [header, ...rows].map((r) => r.join(',')).join('\n') + '\n');
}

function buildTables(): void {
  // iris.csv's first line is metadata ("150,4,setosa,…"), not a header.
  const iris = readFileSync(`${SHARED_DATA}iris.csv`, 'utf8').trim().split('\n').slice(1);
  writeTable('iris', ['id', ...IRIS, 'target'], iris.map((line, i) => [`iris-${i + 1}`, ...line.split(',')]));
  const rng = new Prng(3);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  writeTable('pairs', ['id', 'x1', 'x2'], Array.from({ length: 203 }, (_, i) => [`p${i}`, round(rng.normal() * 2), round(rng.normal() * 2)]));
  writeTable('bike', ['id', '1', '2', '3', '4', '5', '6', '7', '8'], Array.from({ length: 23 }, (_, i) => [`b${i}`, ...Array.from({ length: 8 }, () => rng.int(0, 12))]));
  writeTable('tree2', ['id', 'a', 'b'], Array.from({ length: 100 }, (_, i) => [`t${i}`, round(rng.uniform(-3, 3)), round(rng.uniform(-3, 3))]));
  writeTable('member', ['id', 'x'], Array.from({ length: 50 }, (_, i) => [`m${i}`, rng.chance(0.15) ? '' : rng.int(0, 6)]));
  writeTable('words', ['id', 'X'], Array.from({ length: 13 }, (_, i) => [`w${i}`, i % 6 === 5 ? '' : rng.pick(['a', 'b', 'c', 'd'])]));
  writeTable('text', ['id', 'sepal_length', 'sepal_width', 'text'], iris.slice(0, 30).map((line, i) => [`s${i}`, ...line.split(',').slice(0, 2), `${rng.pick(['zero', 'One', 'TWO'])} ${rng.pick(['class', 'two', 'x'])}`]));
}

const CASES: Readonly<Record<string, ModelCase>> = {
  'skl2onnx/pipeline_titanic.onnx': {
    model: 'skl2onnx/pipeline_titanic.onnx', table: `${SHARED_DATA}small_titanic.csv`, id: 'name',
    args: ['--score', 'output_probability:1', '--extra', 'label=output_label'],
    feeds: TITANIC_INPUTS, columns: { score: ['output_probability', 1], label: ['output_label', 0] }, integers: ['label'],
  },
  'skl2onnx/pipeline_titanic_nozipmap.onnx': {
    model: 'skl2onnx/pipeline_titanic_nozipmap.onnx', table: `${SHARED_DATA}small_titanic.csv`, id: 'name',
    args: ['--score', 'probabilities:1', '--extra', 'label=label', '--extra', 'p0=probabilities:0'],
    feeds: (rows) => ({ ...TITANIC_INPUTS(rows), pclass: int64s(rows, 'pclass', [rows.length, 1]) }),
    columns: { score: ['probabilities', 1], label: ['label', 0], p0: ['probabilities', 0] }, integers: ['label'],
  },
  'skl2onnx/pipeline_titanic_numerical.onnx': {
    model: 'skl2onnx/pipeline_titanic_numerical.onnx', table: `${SHARED_DATA}small_titanic.csv`, id: 'name',
    args: ['--score', 'variable1:0', '--extra', 'fare_scaled=variable1:1'],
    feeds: TITANIC_INPUTS, columns: { score: ['variable1', 0], fare_scaled: ['variable1', 1] },
  },
  'skl2onnx/pipeline_lightgbm.onnx': {
    model: 'skl2onnx/pipeline_lightgbm.onnx', table: 'pairs', id: 'id',
    args: ['--features', 'x1,x2', '--score', 'output_probability:2', '--extra', 'p0=output_probability:0', '--extra', 'label=output_label', '--batch-rows', '16'],
    feeds: (rows) => ({ input: floats('float32', rows, ['x1', 'x2']) }),
    columns: { score: ['output_probability', 2], p0: ['output_probability', 0], label: ['output_label', 0] }, integers: ['label'],
  },
  'skl2onnx/pipeline_xgboost.onnx': {
    model: 'skl2onnx/pipeline_xgboost.onnx', table: 'pairs', id: 'id',
    args: ['--features', 'x1,x2', '--score', 'output_probability:1', '--extra', 'label=output_label', '--chunk-bytes', '600'],
    feeds: (rows) => ({ input: floats('float32', rows, ['x1', 'x2']) }),
    columns: { score: ['output_probability', 1], label: ['output_label', 0] }, integers: ['label'],
  },
  'skl2onnx/rf_iris.onnx': {
    model: 'skl2onnx/rf_iris.onnx', table: 'iris', id: 'id',
    args: ['--features', IRIS.join(','), '--score', 'output_probability:2', '--extra', 'label=output_label'],
    feeds: (rows) => ({ float_input: floats('float32', rows, IRIS) }),
    columns: { score: ['output_probability', 2], label: ['output_label', 0] }, integers: ['label'],
  },
  'skl2onnx/logreg_iris.onnx': {
    model: 'skl2onnx/logreg_iris.onnx', table: 'iris', id: 'id',
    args: ['--features', 'sepal_length,sepal_width', '--score', 'output_probability:0'],
    feeds: (rows) => ({ X: floats('float32', rows, IRIS.slice(0, 2)) }), columns: { score: ['output_probability', 0] },
  },
  'onnxmltools/test_xgb.onnx': {
    model: 'onnxmltools/test_xgb.onnx', table: 'iris', id: 'id', args: ['--features', IRIS.join(',')],
    feeds: (rows) => ({ X: floats('float32', rows, IRIS) }), columns: { score: ['variable', 0] },
  },
  'onnxmltools/coreml_OneHotEncoder_BikeSharing.onnx': {
    model: 'onnxmltools/coreml_OneHotEncoder_BikeSharing.onnx', table: 'bike', id: 'id', batch: 1,
    args: ['--score', 'transformed_features:4', '--extra', 'f6=transformed_features:6', '--extra', 'f40=transformed_features:40'],
    feeds: (rows) => Object.fromEntries(['1', '2', '3', '4', '5', '6', '7', '8'].map((name) => [name, int64s(rows, name, [rows.length])])),
    columns: { score: ['transformed_features', 4], f6: ['transformed_features', 6], f40: ['transformed_features', 40] },
  },
  'onnx-node-tests/tree_ensemble_single_tree/model.onnx': {
    model: 'onnx-node-tests/tree_ensemble_single_tree/model.onnx', table: 'tree2', id: 'id', batch: 3,
    args: ['--features', 'a,b', '--score', 'Y:0', '--extra', 'y1=Y:1', '--chunk-bytes', '200'],
    feeds: (rows) => ({ X: floats('float64', rows, ['a', 'b']) }), columns: { score: ['Y', 0], y1: ['Y', 1] },
  },
  'onnx-node-tests/tree_ensemble_set_membership/model.onnx': {
    model: 'onnx-node-tests/tree_ensemble_set_membership/model.onnx', table: 'member', id: 'id', batch: 6,
    args: ['--features', 'x', '--score', 'Y:0', '--extra', 'y1=Y:1', '--extra', 'y3=Y:3'],
    feeds: (rows) => ({ X: floats('float32', rows, ['x']) }), columns: { score: ['Y', 0], y1: ['Y', 1], y3: ['Y', 3] },
  },
  'onnx-node-tests/label_encoder_string_int/model.onnx': {
    model: 'onnx-node-tests/label_encoder_string_int/model.onnx', table: 'words', id: 'id', batch: 5,
    args: ['--fill', 'X=zzz'],
    feeds: (rows) => ({ X: strings(rows.map((r) => ({ ...r, X: r.X || 'zzz' })), 'X', [rows.length]) }), columns: { score: ['Y', 0] },
  },
};

/** Scores one case through bin/prescore and compares every published value with the oracle. */
async function scoreAndCompare(c: ModelCase, env: Record<string, string> = {}): Promise<void> {
  const db = join(dir, `${c.model.replaceAll('/', '_')}.db`);
  const input = c.table.includes('/') ? c.table : table(c.table);
  const result = await runCli(['score', '--model', SHARED_MODELS + c.model, '--input', input, '--id-column', c.id, '--output', `sqlite:${db}`, '--table', 'scores', '--workers', '1', '--cache-dir', join(dir, 'cache'), ...c.args], { env });
  expect(result.stderr, result.stderr).not.toContain('"level":"error"');
  expect(result.exitCode, result.stderr).toBe(0);

  const rows = parse(readFileSync(input), { columns: true }) as Row[];
  const { bytes, inputOf } = exposeZipMapInputs(readFileSync(SHARED_MODELS + c.model));
  const fetches = [...new Set(Object.values(c.columns).map(([output]) => inputOf[output] ?? output))];
  const oracle = await runOracle(bytes, rows, c.feeds, fetches, c.batch);

  const conn = new Database(db, { readonly: true });
  const types = (c.integers ?? []).map((col) => `typeof("${col}") AS "${col}__type"`).join(', ');
  const published = conn.prepare(`SELECT *${types ? `, ${types}` : ''} FROM scores`).all() as Record<string, unknown>[];
  conn.close();
  const byId = new Map(published.map((p) => [p.entity_id as string, p]));
  expect(published).toHaveLength(rows.length);
  rows.forEach((row, r) => {
    const got = byId.get(row[c.id]!)!;
    for (const [column, [output, index]] of Object.entries(c.columns)) {
      const want = oracle[inputOf[output] ?? output]![r]![index]!;
      const value = got[column] as number | null;
      if (Number.isNaN(want)) expect(value, `${row[c.id]} ${column}`).toBeNull();
      else expect(Math.abs(value! - want), `${row[c.id]} ${column}: ${value} vs ${want}`).toBeLessThanOrEqual(1e-6);
    }
    for (const column of c.integers ?? []) expect(got[`${column}__type`]).toBe('integer');
  });
}

describe.runIf(sharedAvailable())('every real model in ../shared/models scores through bin/prescore', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'prescore-real-'));
    buildTables();
  });

  it.each(Object.keys(CASES))('%s publishes what onnxruntime gives on the same tensors', (name) => scoreAndCompare(CASES[name]!));

  describe('skl2onnx/tutorial_model_stringnormalizer.onnx', () => {
    const model = 'skl2onnx/tutorial_model_stringnormalizer.onnx';
    const args = ['--features', 'input=sepal_length,sepal_width', '--score', 'probabilities:1', '--extra', 'label=label'];
    const columns = { score: ['probabilities', 1], label: ['label', 0] } as const;
    const feeds: OracleFeeds = (rows) => ({ input: floats('float32', rows, IRIS.slice(0, 2)), text: strings(rows, 'text') });

    it('fails at load without the en_US.UTF-8 locale, saying how to install it (exit 4)', async (context) => {
      if (localeFor('en_US.UTF-8', dir).native) return context.skip('this machine has en_US.UTF-8: the scoring test below covers the model');
      const result = await runCli(['score', '--model', SHARED_MODELS + model, '--input', table('text'), '--id-column', 'id', '--output', join(dir, 'sn.db'), '--table', 'scores', ...args]);
      expect(result.exitCode).toBe(4);
      expect(result.stderr).toContain('prescore: error MODEL_LOCALE_MISSING: The model\'s StringNormalizer needs the en_US.UTF-8 locale');
      expect(result.stderr).toContain('localedef -i en_US -f UTF-8 en_US.UTF-8');
    });

    it('scores once the locale exists (native, or built with localedef into LOCPATH)', async (context) => {
      const locale = localeFor('en_US.UTF-8', dir);
      if (!locale.native && locale.path === undefined) return context.skip('no en_US.UTF-8 locale and localedef cannot build one here');
      const env: Record<string, string> = locale.path === undefined ? {} : { LOCPATH: locale.path };
      const previous = process.env.LOCPATH;
      // The in-process oracle needs the locale too: glibc reads LOCPATH at each newlocale().
      if (locale.path !== undefined) process.env.LOCPATH = locale.path;
      try {
        await scoreAndCompare({ model, table: 'text', id: 'id', args, feeds, columns, integers: ['label'] }, env);
      } finally {
        if (previous === undefined) delete process.env.LOCPATH;
        else process.env.LOCPATH = previous;
      }
    });
  });
});
