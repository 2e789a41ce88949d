import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';

import { parsePrometheusText } from '../support/prometheus-text.js';
import { ROOT, runCli } from '../support/run-cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'prescore-gates-'));
});

const fixture = (name: string): string => join(ROOT, 'fixtures', name);
const score = (db: string, model: string, input: string, ...more: string[]) =>
  runCli(['score', '--model', fixture(`models/${model}`), '--input', fixture(input), '--id-column', 'customer_id', '--output', `sqlite:${db}`, '--table', 'scores', ...more]);

interface Run {
  runId: string;
  status: string;
  keptStaging?: string;
  details: { forced?: boolean; gates?: { gate: string; status: string; value: number | null }[]; baselineRunId?: string | null };
}

async function runs(db: string): Promise<Run[]> {
  const result = await runCli(['runs', '--output', `sqlite:${db}`, '--table', 'scores', '--json']);
  expect(result.exitCode).toBe(0);
  return JSON.parse(result.stdout) as Run[];
}

function tables(db: string): { name: string; rows: number; runIds: string[] }[] {
  const conn = new Database(db, { readonly: true });
  try {
    const names = (conn.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'scores%' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    return names.map((name) => {
      const ids = conn.prepare(`SELECT DISTINCT run_id FROM "${name}"`).all() as { run_id: string }[];
      return { name, rows: (conn.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n, runIds: ids.map((r) => r.run_id) };
    });
  } finally {
    conn.close();
  }
}

const gateOf = (run: Run, gate: string) => run.details.gates?.find((g) => g.gate === gate);

describe('gates before publishing', () => {
  it('nan-rate: any NaN score blocks the publish (exit 8), keeps staging, and --force publishes it anyway', async () => {
    const db = join(dir, 'nan.db');
    const metrics = join(dir, 'nan.prom');
    const refused = await score(db, 'logreg.onnx', 'customers.csv', '--metrics-file', metrics);
    expect(refused.exitCode).toBe(8);
    expect(refused.stderr).toContain('error GATE_FAILED: Nothing was published: a gate failed — nan-rate: 2 of 200 scores are NaN or infinite (1.00%), above --max-nan-rate 0');
    expect(refused.stdout).toBe('');
    const [failed] = await runs(db);
    expect(failed).toMatchObject({ status: 'failed', keptStaging: expect.stringMatching(/^scores__staging_/) });
    expect(gateOf(failed!, 'nan-rate')).toMatchObject({ status: 'fail', value: 0.01 });
    expect(tables(db)).toEqual([{ name: failed!.keptStaging, rows: 200, runIds: [failed!.runId] }]);
    const m = parsePrometheusText(readFileSync(metrics, 'utf8'));
    expect(m.get('prescore_run_success')!.samples[0]!.value).toBe(0);
    expect(m.get('prescore_run_exit_code')!.samples[0]!.value).toBe(8);
    expect(m.get('prescore_run_rows_scored')!.samples[0]!.value).toBe(200);
    expect(m.get('prescore_gate_status')!.samples.find((s) => s.labels.gate === 'nan-rate' && s.labels.status === 'fail')!.value).toBe(1);
    expect(m.has('prescore_last_success_timestamp_seconds')).toBe(false);

    const text = await runCli(['runs', '--output', `sqlite:${db}`, '--table', 'scores']);
    expect(text.stdout).toMatch(/failed\s+replace\s+200\s+0\s+\S+\s+[\d.]+ \/ [\d.]+ \/ [\d.]+\s+[▁▂▃▄▅▆▇█]{20}\s+FAIL nan-rate/);
    expect(text.stdout).toContain(`its scored rows are kept in table ${failed!.keptStaging}`);

    const forced = await score(db, 'logreg.onnx', 'customers.csv', '--force', '--metrics-file', metrics);
    expect(forced.exitCode).toBe(0);
    expect(forced.stderr).toContain('"event":"gate-forced","gate":"nan-rate"');
    expect(JSON.parse(forced.stdout)).toMatchObject({ status: 'published', forced: true, gates: { 'min-rows': 'pass', 'nan-rate': 'fail', 'row-change': 'skipped', psi: 'skipped' } });
    const [published] = await runs(db);
    expect(published).toMatchObject({ status: 'published', details: { forced: true } });
    expect(tables(db)).toEqual([{ name: 'scores', rows: 200, runIds: [published!.runId] }]);
    const after = parsePrometheusText(readFileSync(metrics, 'utf8'));
    expect(after.get('prescore_run_forced')!.samples[0]!.value).toBe(1);
    expect(after.get('prescore_last_success_timestamp_seconds')!.samples[0]!.value).toBeGreaterThan(1.7e9);
  });

  it('row-change: a table shrunk by 87.5% is refused and production is left as it was; a limit in the job file lets it through', async () => {
    const db = join(dir, 'rows.db');
    expect((await score(db, 'trees.onnx', 'customers.csv')).exitCode).toBe(0);
    const before = tables(db);
    const refused = await score(db, 'trees.onnx', 'segment.csv');
    expect(refused.exitCode).toBe(8);
    expect(refused.stderr).toMatch(/row-change: 25 rows scored against 200 in run \S+ \(-87\.50%\), beyond --max-row-change 0\.1 \(±10\.00%\)/);
    expect(tables(db).filter((t) => t.name === 'scores')).toEqual(before);

    const job = join(dir, 'job.yaml');
    writeFileSync(job, 'max-row-change: 0.9\npsi-fail: 5\npsi-warn: 5\n');
    const allowed = await score(db, 'trees.onnx', 'segment.csv', '--config', job);
    expect(allowed.exitCode).toBe(0);
    expect(tables(db)).toEqual([expect.objectContaining({ name: 'scores', rows: 25 }), expect.objectContaining({ name: expect.stringMatching(/^scores__v_/), rows: 200 })]);
  });

  it('psi: a moderate shift warns and publishes; a new model’s distribution is refused at 0.25', async () => {
    const db = join(dir, 'psi.db');
    expect((await score(db, 'logreg.onnx', 'customers.csv', '--max-nan-rate', '0.05')).exitCode).toBe(0);
    const warned = await score(db, 'logreg.onnx', 'customers-next.csv', '--max-nan-rate', '0.05');
    expect(warned.exitCode).toBe(0);
    expect(warned.stderr).toMatch(/"event":"gate-warning","gate":"psi","detail":"score PSI 0\.1\d\d against run \S+ over 10 decile bins, at or above --psi-warn 0\.1"/);
    expect(JSON.parse(warned.stdout).gates.psi).toBe('warn');
    const published = (await runs(db))[0]!;

    const refused = await score(db, 'trees.onnx', 'customers.csv');
    expect(refused.exitCode).toBe(8);
    expect(refused.stderr).toMatch(new RegExp(`psi: score PSI \\d+\\.\\d{3} against run ${published.runId} over 10 decile bins, at or above --psi-fail 0\\.25`));
    const [failed] = await runs(db);
    expect(gateOf(failed!, 'psi')!.value).toBeGreaterThan(0.25);
    expect(failed!.details.baselineRunId).toBe(published.runId);
    expect(tables(db).find((t) => t.name === 'scores')!.runIds).toEqual([published.runId]);
  });

  it('min-rows: fewer rows than --min-rows are refused', async () => {
    const db = join(dir, 'min.db');
    const refused = await score(db, 'trees.onnx', 'customers.csv', '--min-rows', '201');
    expect(refused.exitCode).toBe(8);
    expect(refused.stderr).toContain('min-rows: 200 rows scored, fewer than --min-rows 201');
  });

  it('refuses contradictory limits before running, with exit 2', async () => {
    const result = await score(join(dir, 'bad.db'), 'trees.onnx', 'customers.csv', '--psi-warn', '0.5');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--psi-warn (0.5) must not be above --psi-fail (0.25)');
  });
});
