import { describe, expect, it } from 'vitest';

import { DEFAULT_GATE_THRESHOLDS, evaluateGates } from '../../src/gates/index.js';
import { RunProfile, renderHtmlReport, sharesIn, type ScoreRunDetails } from '../../src/report/index.js';
import type { RejectedRow } from '../../src/errors/index.js';
import { featureStats, type ScoredChunk } from '../../src/scoring/index.js';
import type { RunRecord } from '../../src/sinks/index.js';

const TIMINGS = { wallMs: 1200, readMs: 100, parseMs: 300, inferMs: 500, writeMs: 200, publishMs: 0 };
const clock = (): Date => new Date('2026-01-02T03:04:06.000Z');

/** A chunk of `n` rows whose scores are spread by `shift`, with an `age` and a `plan` feature. */
function chunk(n: number, shift: number, rejects: RejectedRow[] = []): ScoredChunk {
  const ids = Array.from({ length: n }, (_, i) => `C${i}`);
  const age = Float64Array.from(ids, (_, i) => (i % 10 === 0 ? NaN : 30 + (i % 40) + shift * 20));
  const plan = ids.map((_, i) => (i % 3 === 0 ? 'basic' : i % 3 === 1 ? 'plus' : shift > 0 ? 'pro' : 'plus'));
  return {
    chunkIndex: 0,
    source: 'file:///data/customers.csv',
    rowsRead: n + rejects.length,
    ids,
    lines: new Uint32Array(n),
    columns: [Float64Array.from(ids, (_, i) => Math.min(1, (i / n) * (1 - shift) + shift))],
    rejects,
    featureStats: featureStats({ numeric: new Map([[1, age]]), text: new Map([[2, plan]]) }, ['customer_id', 'age', 'plan']),
    timings: { parseMs: 0, inferMs: 0 },
  };
}

function record(runId: string, details: ScoreRunDetails | Record<string, never>, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    runId,
    table: 'churn_scores',
    status: 'published',
    mode: 'replace',
    modelUri: 'gs://models/churn/v7.onnx',
    modelSha256: 'ab'.repeat(32),
    modelVersion: 'churn-7',
    inputs: [{ uri: 'https://exports.example.com/customers.csv?sig="x"', size: 123_456, sha256: 'cd'.repeat(32), version: '"etag-1"' }],
    rowsRead: 1000,
    rowsScored: 1000,
    rowsRejected: 0,
    scoreMin: 0,
    scoreMean: 0.5,
    scoreMax: 1,
    startedAt: '2026-01-02T03:04:05.000Z',
    finishedAt: '2026-01-02T03:04:07.000Z',
    toolVersion: '0.1.0',
    error: null,
    details,
    ...overrides,
  };
}

function runs(): { previous: RunRecord; failed: RunRecord } {
  const before = new RunProfile(clock);
  before.add(chunk(1000, 0));
  const previousDetails = before.details({ gates: [], forced: false, baselineRunId: null, nonFiniteScores: 0, workers: 2, timings: TIMINGS });
  const now = new RunProfile(clock);
  const reject: RejectedRow = { source: 'file:///data/customers.csv', line: 7, column: 'age', columnIndex: 1, value: '<img src="http://evil.example/x.png">', code: 'CSV_NOT_A_NUMBER', reason: 'not a number' };
  now.add(chunk(1000, 0.3, [reject]));
  const bins = previousDetails.score!.deciles;
  const gates = evaluateGates(
    { mode: 'replace', rowsScored: 1000, nonFinite: 0, baseline: { runId: 'r1', rowsScored: 1000, shares: bins.shares }, sharesOnBaseline: sharesIn(now.sorted(), bins.cuts) },
    DEFAULT_GATE_THRESHOLDS,
  );
  const details = now.details({ gates, forced: false, baselineRunId: 'r1', nonFiniteScores: 0, workers: 2, timings: TIMINGS });
  return {
    previous: record('r1', previousDetails),
    failed: record('r2', details, { status: 'failed', rowsRejected: 1, error: 'Nothing was published: a gate failed', keptStaging: 'churn_scores__staging_r2' }),
  };
}

describe('renderHtmlReport', () => {
  it('shows the refused run: gates with numbers, kept staging, histogram over the previous run, drift, rejects, timings, lineage', () => {
    const { previous, failed } = runs();
    const page = renderHtmlReport({ run: failed, previous, generatedAt: clock(), toolVersion: '0.1.0' });
    expect(page).toContain('refused by gates');
    expect(page).toMatch(/<span class="pill fail">fail<\/span><\/td><td><code>psi<\/code>/);
    expect(page).toContain('churn_scores__staging_r2');
    expect(page).toContain('<svg class="histogram"');
    expect(page).toContain('<path class="previous"');
    for (const section of ['Gates', 'Score distribution', 'Input drift', 'Rejected rows', 'Timings', 'Lineage']) expect(page).toContain(`<h2>${section}</h2>`);
    expect(page).toMatch(/<code>age<\/code> <span class="pill warn">drift<\/span>/);
    expect(page).toContain('<code>pro</code> 33.3% <span class="muted">(was 0.0%)</span>');
    expect(page).toContain('CSV_NOT_A_NUMBER');
    expect(page).toContain('ab'.repeat(32));
    expect(page).toContain('compared with run <code>r1</code>');
  });

  it('escapes everything from the runs table and refers to nothing outside the page', () => {
    const { previous, failed } = runs();
    const page = renderHtmlReport({ run: failed, previous, generatedAt: clock(), toolVersion: '0.1.0' });
    expect(page).not.toContain('<img');
    expect(page).toContain('&#60;img src=&#34;http://evil.example/x.png&#34;&#62;');
    expect(page).toContain('https://exports.example.com/customers.csv?sig=&#34;x&#34;');
    // Every `<` from the data is escaped, so any tag is the report's own: none may name something to load.
    expect(page).not.toMatch(/<[a-z][^>]*\s(?:src|href|action|poster|srcset|xlink:href|background)\s*=/i);
    expect(page).not.toMatch(/url\(|@import|<script|<link|<iframe|<object|<embed/i);
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('describes a run recorded before the gates existed, and a first run', () => {
    const page = renderHtmlReport({ run: record('r0', {}), previous: null, generatedAt: clock(), toolVersion: '0.1.0' });
    expect(page).toContain('first run of this table');
    expect(page).toContain('recorded no gate results');
    expect(page).toContain('No finite score was recorded');
    expect(page).toContain('recorded no input profile');
  });
});
