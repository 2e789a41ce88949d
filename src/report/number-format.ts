import { countText } from '../gates/index.js';

/** How the report and `runs` print numbers: short, and the same everywhere. */

/** `—` for null; 3 significant digits below 1000, grouped integers above. */
export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined) return '—';
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return countText(value);
  if (value === 0) return '0';
  return String(Number(value.toPrecision(digits)));
}

/** A count with thousands separators; `—` for null. */
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : countText(value);
}

/** A fraction as a percentage: 0.0123 → `1.23%`; `—` for null. */
export function formatPercent(fraction: number | null | undefined, decimals = 2): string {
  return fraction === null || fraction === undefined ? '—' : `${(100 * fraction).toFixed(decimals)}%`;
}

/** Milliseconds as `850 ms` or `12.3 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 60_000 ? 2 : 0)} s`;
}

/** Bytes as `512 B`, `1.5 MB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
