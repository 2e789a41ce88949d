import { existsSync, mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';

import { oracleScores } from '../support/ort-oracle.js';
import { ROOT, runCli } from '../support/run-cli.js';

const FEATURES = ['age', 'income', 'tenure_months', 'balance', 'num_products', 'support_calls'];
const fixture = (name: string) => join(ROOT, 'fixtures', name);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'prescore-e2e-'));
});

interface ScoreRow {
  entity_id: string;
  score: number | null;
  model_version: string;
  run_id: string;
  scored_at: string;
  [extra: string]: unknown;
}

function readTable(db: string, table: string): ScoreRow[] {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare(`SELECT * FROM "${table}" ORDER BY entity_id`).all() as ScoreRow[];
  } finally {
    conn.close();
  }
}

function expectScores(rows: readonly ScoreRow[], expected: Map<string, number>): void {
  expect(rows).toHaveLength(expected.size);
  for (const row of rows) {
    const want = expected.get(row.entity_id);
    expect(want, `id ${row.entity_id}`).not.toBeUndefined();
    // SQLite stores NaN as NULL: a missing feature the model turned into NaN.
    if (Number.isNaN(want)) expect(row.score).toBeNull();
    else expect(Math.abs(row.score! - want!)).toBeLessThanOrEqual(1e-6);
  }
}

// The logistic and per-column fixtures return NaN for the ~1% of rows with an empty feature: the NaN
// gate (default 0, tested in gates.test.ts) lets them through here.
const score = (model: string, input: string, db: string, table: string, ...more: string[]) =>
  runCli(['score', '--model', fixture(`models/${model}`), '--input', fixture(input), '--id-column', 'customer_id', '--output', `sqlite:${db}`, '--table', table, '--max-nan-rate', '0.05', ...more]);

describe('prescore score into SQLite', () => {
  it('publishes the logistic model’s scores, one row per entity, with the run recorded', async () => {
    const db = join(dir, 'logreg.db');
    const result = await score('logreg.onnx', 'customers.csv', db, 'scores');
    expect(result.stderr).not.toContain('error');
    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(result.stdout.trim()) as Record<string, unknown>;
    expect(summary).toMatchObject({ status: 'published', table: 'scores', rowsRead: 200, rowsScored: 200, rowsRejected: 0, modelVersion: 'logreg-1' });
    const rows = readTable(db, 'scores');
    expectScores(rows, await oracleScores(fixture('models/logreg.onnx'), fixture('customers.csv'), 'customer_id', { matrix: 'features', features: FEATURES }, 'probability'));
    expect(new Set(rows.map((r) => r.run_id))).toEqual(new Set([summary.runId]));
    expect(rows[0]).toMatchObject({ model_version: 'logreg-1', scored_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });

    const runs = await runCli(['runs', '--output', `sqlite:${db}`, '--table', 'scores', '--json']);
    expect(runs.exitCode).toBe(0);
    const records = JSON.parse(runs.stdout) as Record<string, unknown>[];
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ runId: summary.runId, status: 'published', rowsRead: 200, rowsScored: 200, rowsRejected: 0, modelSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((records[0]!.inputs as { sha256: string; size: number }[])[0]).toMatchObject({ size: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('feeds as many workers as keep up with the main thread once its first chunks are measured; one worker leaves no choice', async () => {
    // ~2 rows a chunk: the table's ~100 chunks outlast the plan's warm-up and sample (72 chunks).
    const logged = async (...more: string[]) => {
      const result = await score('logreg.onnx', 'customers.csv', join(dir, 'plan.db'), 'scores', '--chunk-bytes', '128', '--log-format', 'json', ...more);
      expect(result.exitCode).toBe(0);
      return { summary: JSON.parse(result.stdout.trim()) as { rowsScored: number }, events: result.stderr.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>) };
    };
    const planned = await logged();
    expect(planned.summary.rowsScored).toBe(200);
    const choice = planned.events.filter((e) => e.event === 'workers');
    if (availableParallelism() < 2) expect(choice).toEqual([]);
    else expect(choice).toEqual([expect.objectContaining({ workers: expect.any(Number), workerMsPerChunk: expect.any(Number), mainMsPerChunk: expect.any(Number) })]);
    for (const { workers, workerMsPerChunk, mainMsPerChunk } of choice as { workers: number; workerMsPerChunk: number; mainMsPerChunk: number }[]) {
      expect(workers).toBeGreaterThanOrEqual(1);
      expect(workers).toBeLessThanOrEqual(availableParallelism());
      expect(workerMsPerChunk).toBeGreaterThan(0);
      expect(mainMsPerChunk).toBeGreaterThan(0);
    }
    const rows = readTable(join(dir, 'plan.db'), 'scores');
    expectScores(rows, await oracleScores(fixture('models/logreg.onnx'), fixture('customers.csv'), 'customer_id', { matrix: 'features', features: FEATURES }, 'probability'));
    const fixed = await logged('--workers', '1');
    expect(fixed.events.filter((e) => e.event === 'workers')).toEqual([]);
  });

  it('scores a gzip table with the tree ensemble', async () => {
    const db = join(dir, 'trees.db');
    // A quote in the model version: constant columns are written as SQL literals, so quoting must hold.
    const result = await score('trees.onnx', 'customers.csv.gz', db, 'tree_scores', '--workers', '2', '--model-version', "o'brien-ü 1");
    expect(result.exitCode).toBe(0);
    expect(new Set(readTable(db, 'tree_scores').map((r) => r.model_version))).toEqual(new Set(["o'brien-ü 1"]));
    expectScores(readTable(db, 'tree_scores'), await oracleScores(fixture('models/trees.onnx'), fixture('customers.csv.gz'), 'customer_id', { matrix: 'features', features: FEATURES }, 'score'));
  });

  it('formats no number through ICU on the way to the publish, whose first use costs a run 13–20 ms', async () => {
    const db = join(dir, 'no-icu.db');
    const result = await runCli(
      ['score', '--model', fixture('models/trees.onnx'), '--input', fixture('customers.csv'), '--id-column', 'customer_id', '--output', db, '--table', 'scores', '--log-format', 'text'],
      { env: { NODE_OPTIONS: `--import=${pathToFileURL(join(ROOT, 'test/support/no-number-locale.mjs')).href}` } },
    );
    expect(result.stderr).not.toContain('through ICU');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('published 200 scores');
  });

  it('maps per-column inputs by name, a string one included, and publishes an extra int64 column', async () => {
    const db = join(dir, 'percol.db');
    const result = await score('per-column.onnx', 'customers.csv', db, 'pc', '--score', 'probabilities:1', '--extra', 'label=label');
    expect(result.exitCode).toBe(0);
    const rows = readTable(db, 'pc');
    const columns = { age: 'float32', income: 'float32', plan: 'string' } as const;
    expectScores(rows, await oracleScores(fixture('models/per-column.onnx'), fixture('customers.csv'), 'customer_id', { columns }, 'probabilities', 1));
    const labels = await oracleScores(fixture('models/per-column.onnx'), fixture('customers.csv'), 'customer_id', { columns }, 'label');
    for (const row of rows) expect(row.label).toBe(labels.get(row.entity_id));
  });

  it('refuses to guess the feature order, then takes it from --features', async () => {
    const db = join(dir, 'nometa.db');
    const refused = await score('logreg-nometa.onnx', 'customers.csv', db, 'scores');
    expect(refused.exitCode).toBe(4);
    expect(refused.stderr).toContain('MODEL_FEATURES_REQUIRED');
    expect(refused.stderr).toContain('--features');
    const done = await score('logreg-nometa.onnx', 'customers.csv', db, 'scores', '--features', FEATURES.join(','));
    expect(done.exitCode).toBe(0);
    expectScores(readTable(db, 'scores'), await oracleScores(fixture('models/logreg.onnx'), fixture('customers.csv'), 'customer_id', { matrix: 'features', features: FEATURES }, 'probability'));
  });

  it('replaces, upserts a segment, and rolls back to the previous version', async () => {
    const db = join(dir, 'history.db');
    expect((await score('logreg.onnx', 'customers.csv', db, 'scores')).exitCode).toBe(0);
    const first = readTable(db, 'scores');
    // A new model moves the score distribution far beyond --psi-fail: publishing it is a deliberate --force.
    expect((await score('trees.onnx', 'customers-next.csv', db, 'scores', '--force')).exitCode).toBe(0);
    const second = readTable(db, 'scores');
    expect(second.map((r) => r.model_version)).toEqual(second.map(() => 'trees-1'));

    const upsert = await score('logreg.onnx', 'segment.csv', db, 'scores', '--mode', 'upsert');
    expect(upsert.exitCode).toBe(0);
    const merged = readTable(db, 'scores');
    expect(merged).toHaveLength(205);
    const segmentIds = new Set(['C000005', 'C000201']);
    for (const row of merged) if (segmentIds.has(row.entity_id)) expect(row.model_version).toBe('logreg-1');
    expect(merged.filter((r) => r.model_version === 'trees-1').length).toBe(180);

    const rolled = await runCli(['rollback', '--output', `sqlite:${db}`, '--table', 'scores']);
    expect(rolled.exitCode).toBe(0);
    expect(readTable(db, 'scores')).toEqual(second);
    const to = await runCli(['rollback', '--output', `sqlite:${db}`, '--table', 'scores', '--to', first[0]!.run_id]);
    expect(to.exitCode).toBe(0);
    expect(readTable(db, 'scores')).toEqual(first);
  });

  it('--dry-run prints the mapping and the first rows and writes nothing', async () => {
    const db = join(dir, 'dry.db');
    const result = await score('logreg.onnx', 'customers.csv', db, 'scores', '--dry-run', '--log-format', 'text');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('features (float32) <- age, income, tenure_months, balance, num_products, support_calls');
    expect(result.stdout).toContain('unused columns: plan, region, note');
    expect(result.stdout.trim().split('\n').filter((l) => l.startsWith('C0'))).toHaveLength(100);
    expect(existsSync(db)).toBe(false);
  });

  it('exits 2 naming the missing options', async () => {
    const result = await runCli(['score', '--model', fixture('models/logreg.onnx')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('USAGE_MISSING_OPTION');
    expect(result.stderr).toContain('--input');
    const badFormat = await runCli(['score', '--log-format', 'yaml']);
    expect(badFormat.exitCode).toBe(2);
    expect(badFormat.stderr).toContain('Allowed choices are auto, json, text');
  });
});
