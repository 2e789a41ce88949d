import type { RunRecord } from '../sinks/index.js';
import { compareFeatures } from './feature-drift.js';
import { html, SafeHtml } from './html-text.js';
import { formatBytes, formatCount, formatDuration, formatNumber } from './number-format.js';
import { REPORT_CSS } from './report-css.js';
import { driftTable, gatesTable, rejectsTable, scoreSection } from './report-tables.js';
import { readRunDetails, type ScoreRunDetails } from './run-details.js';

/** What the report is drawn from: a run, the run it was compared with, and when and by what it was drawn. */
export interface ReportInput {
  readonly run: RunRecord;
  /** The run's baseline (see `baselineRun`); null for the first run of a table. */
  readonly previous: RunRecord | null;
  readonly generatedAt: Date;
  readonly toolVersion: string;
}

/** Phases of the timing bar, with their colours. */
const PHASES = [
  { key: 'readMs', label: 'read', color: '#9c755f' },
  { key: 'parseMs', label: 'parse (workers, summed)', color: '#59a14f' },
  { key: 'inferMs', label: 'model (workers, summed)', color: '#3f6fb5' },
  { key: 'writeMs', label: 'write staging', color: '#b07aa1' },
] as const;

/**
 * The run report: one self-contained HTML page — inline CSS and SVG, no
 * script, no font, image or link to fetch — that an on-call person can open
 * from a mail or a CI artifact: status and summary, gates, the score
 * histogram over the previous run's, input drift, rejects, timings, lineage.
 * Pure: the same input gives the same bytes.
 */
export function renderHtmlReport(input: ReportInput): string {
  const { run, previous } = input;
  const details = readRunDetails(run.details);
  const before = previous === null ? null : readRunDetails(previous.details);
  const psi = details?.gates.find((g) => g.gate === 'psi')?.value ?? null;
  const page = html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>prescore · ${run.table} · ${run.runId}</title><style>${new SafeHtml(REPORT_CSS)}</style></head>
<body>
<h1>${run.table} <span class="pill status ${statusClass(run, details)}">${statusText(run, details)}</span></h1>
<p class="sub">run <code>${run.runId}</code> · ${run.mode} · started ${run.startedAt}${run.finishedAt === null ? null : html`, finished ${run.finishedAt}`}${
    previous === null ? ' · first run of this table' : html` · compared with run <code>${previous.runId}</code>`
  }</p>
${run.error === null ? null : html`<div class="banner bad">${run.error}</div>`}
${run.keptStaging === undefined ? null : html`<div class="banner warn">The scored rows are kept for inspection in table <code>${run.keptStaging}</code> until the next run publishes.</div>`}
${summaryCards(run, details)}
<h2>Gates</h2>${gatesTable(details?.gates ?? [], details?.forced ?? false)}
<h2>Score distribution</h2>${scoreSection(details?.score ?? null, before?.score ?? null, psi)}
<h2>Input drift</h2>${driftTable(compareFeatures(details?.features ?? [], before?.features ?? []))}
<h2>Rejected rows</h2>${rejectsTable(details?.rejects, run.rowsRejected)}
<h2>Timings</h2>${timings(run, details)}
<h2>Lineage</h2>${lineage(run, details)}
<footer>Generated ${input.generatedAt.toISOString()} by prescore ${input.toolVersion}. This page loads nothing: it is safe to attach or archive as it is.</footer>
</body></html>
`;
  return page.markup;
}

function summaryCards(run: RunRecord, details: ScoreRunDetails | null): SafeHtml {
  const seconds = run.finishedAt === null ? null : (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000;
  const card = (label: string, value: string, note?: string | SafeHtml): SafeHtml =>
    html`<div class="card"><div class="label">${label}</div><div class="value">${value}</div>${note === undefined ? null : html`<div class="note">${note}</div>`}</div>`;
  return html`<div class="cards">
${card('rows read', formatCount(run.rowsRead))}
${card('rows scored', formatCount(run.rowsScored), details === null ? undefined : `${formatCount(details.nonFiniteScores)} NaN/Inf`)}
${card('rows rejected', formatCount(run.rowsRejected))}
${card('score mean', formatNumber(run.scoreMean, 4), `min ${formatNumber(run.scoreMin, 4)} · max ${formatNumber(run.scoreMax, 4)}`)}
${card('duration', seconds === null ? '—' : formatDuration(seconds * 1000), seconds && run.rowsRead ? `${formatCount(Math.round(run.rowsRead / seconds))} rows/s` : undefined)}
${card('model', run.modelVersion, `sha256 ${run.modelSha256.slice(0, 12)}…`)}
</div>`;
}

function timings(run: RunRecord, details: ScoreRunDetails | null): SafeHtml {
  if (details === null) return html`<p class="muted">This run recorded no timings.</p>`;
  const t = details.timings;
  const total = run.finishedAt === null ? null : Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  const rows = PHASES.map((p) => ({ label: p.label, ms: t[p.key], color: p.color }));
  const sum = rows.reduce((n, r) => n + r.ms, 0) || 1;
  const bar = rows.map((r) => html`<span style="width:${(100 * r.ms) / sum}%;background:${r.color}" title="${r.label}"></span>`);
  const table = rows.map((r) => html`<tr><td><span class="swatch" style="background:${r.color}"></span>${r.label}</td><td class="num">${formatDuration(r.ms)}</td></tr>`);
  return html`<div class="timebar">${bar}</div><table style="width:auto"><tbody>${table}
<tr><td>wall clock, start to gates</td><td class="num">${formatDuration(t.wallMs)}</td></tr>
<tr><td>wall clock, start to ${run.status === 'failed' ? 'refusal' : 'publish'}</td><td class="num">${total === null ? '—' : formatDuration(total)}</td></tr></tbody></table>
<p class="muted">${details.workers} worker threads; their parse and model times are summed, so they can exceed the wall clock.</p>`;
}

function lineage(run: RunRecord, details: ScoreRunDetails | null): SafeHtml {
  const inputs = run.inputs.map(
    (i) => html`<tr><td class="mono">${i.uri}</td><td class="num">${formatBytes(i.size)}</td><td class="mono">${i.sha256 ?? '—'}</td><td class="mono">${i.version ?? '—'}</td></tr>`,
  );
  return html`<table><tbody>
<tr><th>model</th><td class="mono">${run.modelUri}</td></tr>
<tr><th>model sha256</th><td class="mono">${run.modelSha256}</td></tr>
<tr><th>model version</th><td class="mono">${run.modelVersion}</td></tr>
<tr><th>baseline run</th><td class="mono">${details?.baselineRunId ?? '—'}</td></tr>
<tr><th>prescore</th><td class="mono">${run.toolVersion}</td></tr>
</tbody></table>
<table><thead><tr><th>input object</th><th class="num">size</th><th>sha256</th><th>version</th></tr></thead><tbody>${inputs}</tbody></table>`;
}

function statusClass(run: RunRecord, details: ScoreRunDetails | null): string {
  if (details?.forced === true && run.status === 'published') return 'forced';
  if (refused(run, details)) return 'refused';
  return run.status;
}

function statusText(run: RunRecord, details: ScoreRunDetails | null): string {
  if (details?.forced === true) return `${run.status.replace('_', ' ')} (forced over failed gates)`;
  if (refused(run, details)) return 'refused by gates';
  return run.status.replace('_', ' ');
}

function refused(run: RunRecord, details: ScoreRunDetails | null): boolean {
  return run.status === 'failed' && details !== null && details.gates.some((g) => g.status === 'fail');
}
