import type { GateResult } from '../gates/index.js';
import type { FeatureDrift } from './feature-drift.js';
import { histogramSvg, sharedBins } from './histogram-svg.js';
import { html, type SafeHtml } from './html-text.js';
import { formatCount, formatNumber, formatPercent } from './number-format.js';
import type { RejectSummary, ScoreRunDetails } from './run-details.js';

/** Quantiles shown beside the histogram. */
const SHOWN_QUANTILES = [1, 5, 10, 25, 50, 75, 90, 95, 99] as const;

/** The gates table: verdict, measured value, limit and the verdict in words. */
export function gatesTable(gates: readonly GateResult[], forced: boolean): SafeHtml {
  if (gates.length === 0) return html`<p class="muted">This run recorded no gate results (it ended before the gates ran, or predates them).</p>`;
  const rows = gates.map(
    (g) =>
      html`<tr><td><span class="pill ${g.status}">${g.status}</span></td><td><code>${g.gate}</code></td><td class="num">${gateValue(g)}</td><td class="num">${gateLimit(g)}</td><td>${g.detail}</td></tr>`,
  );
  const banner = forced ? html`<div class="banner warn">Published over failed gates with <code>--force</code>.</div>` : null;
  return html`${banner}<table><thead><tr><th>result</th><th>gate</th><th class="num">measured</th><th class="num">limit</th><th>detail</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The histogram over the previous run's, the quantile table, and the drift figures of the score. */
export function scoreSection(now: ScoreRunDetails['score'], previous: ScoreRunDetails['score'] | null, psi: number | null): SafeHtml {
  if (now === null) return html`<p class="muted">No finite score was recorded for this run.</p>`;
  const bins = sharedBins(now.quantiles, previous?.quantiles ?? null);
  const rows = SHOWN_QUANTILES.map((p) => {
    const a = now.quantiles[p]!;
    const b = previous?.quantiles[p];
    return html`<tr><td>p${p}</td><td class="num">${formatNumber(a, 4)}</td><td class="num">${formatNumber(b, 4)}</td><td class="num">${b === undefined ? '—' : signed(a - b)}</td></tr>`;
  });
  const note = html`<p class="muted">Quantiles from a sample of ${formatCount(now.sampled)} scores (every score up to 10,000 rows). ${
    psi === null ? 'No previous run to compare with.' : html`Score PSI against the previous run: <b>${psi.toFixed(3)}</b>.`
  }</p>`;
  return html`<div class="flex"><div>${histogramSvg(bins)}${note}</div><table style="width:auto"><thead><tr><th>quantile</th><th class="num">this run</th><th class="num">previous</th><th class="num">change</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** The input-drift table: per feature, missing rate and mean (numeric) or top categories (text), now and before. */
export function driftTable(drift: readonly FeatureDrift[]): SafeHtml {
  if (drift.length === 0) return html`<p class="muted">This run recorded no input profile.</p>`;
  const rows = drift.map((f) => {
    const shift = f.meanShiftSd === null ? (f.categoryPsi === null ? '—' : `PSI ${f.categoryPsi.toFixed(3)}`) : `${signed(f.meanShiftSd)} σ`;
    const top = f.top.map(
      (c) => html`<div><code>${c.value}</code> ${formatPercent(c.share, 1)}${c.previousShare === null ? null : html` <span class="muted">(was ${formatPercent(c.previousShare, 1)})</span>`}</div>`,
    );
    return html`<tr class="${f.drifted ? 'drifted' : ''}">
<td><code>${f.name}</code>${f.drifted ? html` <span class="pill warn">drift</span>` : null}</td><td>${f.kind}</td>
<td class="num">${formatPercent(f.missingRate)}</td><td class="num">${formatPercent(f.previousMissingRate)}</td>
<td class="num">${f.kind === 'numeric' ? formatNumber(f.mean, 4) : null}</td><td class="num">${f.kind === 'numeric' ? formatNumber(f.previousMean, 4) : null}</td>
<td class="num">${shift}</td><td>${top}</td></tr>`;
  });
  return html`<table><thead><tr><th>feature</th><th>kind</th><th class="num">missing</th><th class="num">before</th><th class="num">mean</th><th class="num">before</th><th class="num">shift</th><th>top categories</th></tr></thead><tbody>${rows}</tbody></table>
<p class="muted">Shift: change of the mean in standard deviations of the previous run; for text, the PSI of the category shares. Rows are marked when the missing rate moved by more than 5 points, the mean by more than 0.25 σ, or the category PSI reached 0.1.</p>`;
}

/** Rejected rows: the count per error code, and the first few with their position. */
export function rejectsTable(rejects: RejectSummary | undefined, total: number | null): SafeHtml {
  if (!total) return html`<p>No row was rejected.</p>`;
  const codes = Object.entries(rejects?.byCode ?? {}).sort((a, b) => b[1] - a[1]);
  const byCode = codes.map(([code, n]) => html`<tr><td><code>${code}</code></td><td class="num">${formatCount(n)}</td></tr>`);
  const first = (rejects?.first ?? []).map(
    (r) => html`<tr><td class="mono">${r.source}:${r.line}:${r.columnIndex + 1}</td><td><code>${r.column}</code></td><td><code>${r.code}</code></td><td>${r.reason}</td><td class="mono">${r.value}</td></tr>`,
  );
  return html`<p>${formatCount(total)} rows rejected.</p>
<table style="width:auto"><thead><tr><th>code</th><th class="num">rows</th></tr></thead><tbody>${byCode}</tbody></table>
${first.length === 0 ? null : html`<table><thead><tr><th>where</th><th>column</th><th>code</th><th>reason</th><th>value</th></tr></thead><tbody>${first}</tbody></table>`}`;
}

function gateValue(g: GateResult): string {
  if (g.value === null) return '—';
  if (g.gate === 'min-rows') return formatCount(g.value);
  if (g.gate === 'psi') return g.value.toFixed(3);
  return `${g.gate === 'row-change' && g.value > 0 ? '+' : ''}${formatPercent(g.value)}`;
}

function gateLimit(g: GateResult): string {
  if (g.gate === 'min-rows') return `≥ ${formatCount(g.limit)}`;
  if (g.gate === 'psi') return `warn ${g.warnAt ?? '—'}, fail ${g.limit}`;
  return `${g.gate === 'row-change' ? '±' : '≤ '}${formatPercent(g.limit)}`;
}

function signed(value: number): string {
  return `${value > 0 ? '+' : ''}${formatNumber(value, 3)}`;
}
