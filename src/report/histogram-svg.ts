import { html, type SafeHtml } from './html-text.js';
import { formatNumber, formatPercent } from './number-format.js';
import { cdfAt } from './score-distribution.js';

/** Bins the report draws both runs on. */
const BINS = 20;
const WIDTH = 760;
const HEIGHT = 260;
const MARGIN = { left: 52, right: 28, top: 28, bottom: 36 } as const;

/** Two runs' score shares over the same equal-width bins. */
export interface SharedBins {
  readonly edges: readonly number[];
  readonly now: readonly number[];
  readonly previous: readonly number[] | null;
}

/**
 * Puts a run and the previous one on the same bins, spanning both ranges, by
 * reading each run's share of every bin off its stored quantiles (`cdfAt`).
 * Pure.
 */
export function sharedBins(now: readonly number[], previous: readonly number[] | null): SharedBins {
  const lo = Math.min(now[0]!, previous?.[0] ?? Infinity);
  const hi = Math.max(now[now.length - 1]!, previous?.[previous.length - 1] ?? -Infinity);
  const bins = hi > lo ? BINS : 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + ((hi - lo) * i) / bins));
  // The first bin starts at 0 so that scores exactly at the lowest edge are counted.
  const shares = (q: readonly number[]): number[] => edges.slice(1).map((edge, i) => (i === bins - 1 ? 1 : cdfAt(q, edge)) - (i === 0 ? 0 : cdfAt(q, edges[i]!)));
  return { edges, now: shares(now), previous: previous === null ? null : shares(previous) };
}

/**
 * The score histogram as inline SVG: this run's shares as bars, the previous
 * run's as an outline over them. No fonts, images or scripts: nothing to fetch.
 */
export function histogramSvg(bins: SharedBins): SafeHtml {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const top = Math.max(...bins.now, ...(bins.previous ?? []), 1e-9) * 1.1;
  const n = bins.now.length;
  const x = (i: number): number => MARGIN.left + (plotW * i) / n;
  const y = (share: number): number => MARGIN.top + plotH * (1 - share / top);
  const bars = bins.now.map((share, i) => html`<rect class="bar" x="${x(i) + 1}" y="${y(share)}" width="${Math.max(plotW / n - 2, 1)}" height="${MARGIN.top + plotH - y(share)}"><title>${formatNumber(bins.edges[i]!)} – ${formatNumber(bins.edges[i + 1]!)}: ${formatPercent(share, 1)}</title></rect>`);
  const outline = bins.previous === null ? null : html`<path class="previous" d="${stepPath(bins.previous, x, y)}"/>`;
  const xTicks = [0, n / 4, n / 2, (3 * n) / 4, n].filter((i) => Number.isInteger(i)).map((i) => html`<text class="tick" x="${x(i)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${formatNumber(bins.edges[i]!)}</text>`);
  const yTicks = [0, top / 2, top].map((share) => html`<text class="tick" x="${MARGIN.left - 6}" y="${y(share) + 4}" text-anchor="end">${formatPercent(share, 1)}</text><line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(share)}" y2="${y(share)}"/>`);
  const legend = html`<rect class="bar" x="${WIDTH - 250}" y="8" width="12" height="12"/><text class="tick" x="${WIDTH - 232}" y="18">this run</text>${
    bins.previous === null ? null : html`<line class="previous" x1="${WIDTH - 160}" x2="${WIDTH - 140}" y1="14" y2="14"/><text class="tick" x="${WIDTH - 134}" y="18">previous run</text>`
  }`;
  return html`<svg class="histogram" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="Score histogram">${yTicks}${bars}${outline}${xTicks}${legend}<text class="tick" x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 4}" text-anchor="middle">score (share of rows per bin)</text></svg>`;
}

function stepPath(shares: readonly number[], x: (i: number) => number, y: (share: number) => number): string {
  const points = shares.flatMap((share, i) => [`${x(i)},${y(share)}`, `${x(i + 1)},${y(share)}`]);
  return `M${x(0)},${y(0)} L${points.join(' L')} L${x(shares.length)},${y(0)}`;
}
