import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { evaluateGates, DEFAULT_GATE_THRESHOLDS } from '../../src/gates/index.js';
import { assertMetricsPathWritable, writeMetricsFile, type RunMetrics } from '../../src/report/index.js';
import { formatRunMetrics } from '../../src/report/run-metrics.js';
import { parsePrometheusText } from '../support/prometheus-text.js';

const gates = evaluateGates({ mode: 'replace', rowsScored: 200, nonFinite: 2, baseline: null, sharesOnBaseline: null }, DEFAULT_GATE_THRESHOLDS);
const metrics: RunMetrics = {
  table: 'churn_scores',
  published: true,
  exitCode: 0,
  startedAt: new Date('2026-01-02T03:04:05.000Z'),
  finishedAt: new Date('2026-01-02T03:04:07.500Z'),
  rows: { read: 210, scored: 200, rejected: 10 },
  gates,
  forced: true,
  lastSuccessAt: null,
};

const value = (text: string, name: string, labels: Record<string, string> = {}): number | undefined =>
  parsePrometheusText(text)
    .get(name)
    ?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe('formatRunMetrics', () => {
  it('writes valid exposition text: rows, duration, outcome and every gate', () => {
    const text = formatRunMetrics({ ...metrics, lastSuccessAt: metrics.finishedAt });
    const families = parsePrometheusText(text);
    for (const f of families.values()) expect(f).toMatchObject({ type: 'gauge', help: expect.any(String) });
    expect(value(text, 'prescore_run_rows_read', { table: 'churn_scores' })).toBe(210);
    expect(value(text, 'prescore_run_rows_scored')).toBe(200);
    expect(value(text, 'prescore_run_rows_rejected')).toBe(10);
    expect(value(text, 'prescore_run_duration_seconds')).toBe(2.5);
    expect(value(text, 'prescore_run_success')).toBe(1);
    expect(value(text, 'prescore_run_forced')).toBe(1);
    expect(value(text, 'prescore_last_success_timestamp_seconds')).toBe(Date.parse('2026-01-02T03:04:07.500Z') / 1000);
    expect(value(text, 'prescore_gate_status', { gate: 'nan-rate', status: 'fail' })).toBe(1);
    expect(value(text, 'prescore_gate_status', { gate: 'nan-rate', status: 'pass' })).toBe(0);
    expect(value(text, 'prescore_gate_status', { gate: 'psi', status: 'skipped' })).toBe(1);
    expect(value(text, 'prescore_gate_value', { gate: 'nan-rate' })).toBe(0.01);
    expect(value(text, 'prescore_gate_value', { gate: 'psi' })).toBeUndefined();
    expect(families.get('prescore_gate_status')!.samples).toHaveLength(16);
  });

  it('leaves out what a run that failed early does not know', () => {
    const text = formatRunMetrics({ ...metrics, published: false, exitCode: 5, rows: undefined, gates: [] });
    const families = parsePrometheusText(text);
    expect(families.has('prescore_run_rows_read')).toBe(false);
    expect(families.has('prescore_gate_status')).toBe(false);
    expect(families.has('prescore_last_success_timestamp_seconds')).toBe(false);
    expect(value(text, 'prescore_run_exit_code')).toBe(5);
  });

  it('escapes label values', () => {
    const text = formatRunMetrics({ ...metrics, table: 'a"b\\c\nd' });
    expect(parsePrometheusText(text).get('prescore_run_success')!.samples[0]!.labels.table).toBe('a"b\\c\nd');
  });
});

describe('parsePrometheusText (the test’s own parser) refuses invalid text', () => {
  it.each([
    ['no final line feed', 'm 1'],
    ['a bad value', 'm 1,5\n'],
    ['a timestamp', 'm 1 1700000000000\n'],
    ['a repeated series', 'm{a="1"} 1\nm{a="1"} 2\n'],
    ['scattered samples', 'm 1\nn 1\nm{a="2"} 1\n'],
    ['TYPE after samples', 'm 1\n# TYPE m gauge\n'],
    ['an unescaped quote', 'm{a="x"y"} 1\n'],
    ['a bad escape', 'm{a="x\\t"} 1\n'],
    ['a bad metric name', '1m 1\n'],
  ])('%s', (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});

describe('writeMetricsFile', () => {
  it('replaces the file atomically, leaving no temporary file, and a failed run keeps the last success time', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prescore-metrics-'));
    const path = join(dir, 'prescore.prom');
    writeMetricsFile(path, metrics);
    const success = value(readFileSync(path, 'utf8'), 'prescore_last_success_timestamp_seconds');
    expect(success).toBe(metrics.finishedAt.getTime() / 1000);

    const later = new Date('2026-01-03T03:04:05.000Z');
    writeMetricsFile(path, { ...metrics, published: false, exitCode: 8, startedAt: later, finishedAt: later });
    const text = readFileSync(path, 'utf8');
    expect(value(text, 'prescore_run_success')).toBe(0);
    expect(value(text, 'prescore_run_exit_code')).toBe(8);
    expect(value(text, 'prescore_last_success_timestamp_seconds')).toBe(success);
    expect(readdirSync(dir)).toEqual(['prescore.prom']);

    writeFileSync(path, 'garbage\n');
    writeMetricsFile(path, { ...metrics, published: false, exitCode: 8 });
    expect(value(readFileSync(path, 'utf8'), 'prescore_last_success_timestamp_seconds')).toBeUndefined();
  });

  it('refuses a directory that does not exist before any run, with USAGE_INVALID_OPTION', () => {
    expect(() => assertMetricsPathWritable('/nonexistent-dir/prescore.prom')).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION' }));
    expect(() => writeMetricsFile('/nonexistent-dir/prescore.prom', metrics)).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION' }));
  });
});
