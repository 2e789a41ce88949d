import { countText } from '../gates/index.js';

/** What the pipeline reports as it goes. */
export interface ProgressSnapshot {
  readonly rows: number;
  readonly bytes: number;
  /** Total bytes to read, when known (not for gzip, whose output size is unknown up front). */
  readonly totalBytes: number | undefined;
  readonly elapsedMs: number;
}

/** Receives progress; the terminal bar and the periodic log line are both one. */
export interface ProgressReporter {
  update(snapshot: ProgressSnapshot): void;
  done(): void;
}

/** `[#####-----]  42%  1,234,567 rows  512k rows/s  ETA 0:12`, pure. */
export function formatProgress(s: ProgressSnapshot, width = 24): string {
  const seconds = s.elapsedMs / 1000;
  const rate = seconds > 0 ? s.rows / seconds : 0;
  const rows = `${countText(s.rows)} rows  ${formatRate(rate)} rows/s`;
  if (!s.totalBytes) return rows;
  const fraction = Math.min(1, s.bytes / s.totalBytes);
  const filled = Math.round(fraction * width);
  const eta = fraction > 0 ? (seconds * (1 - fraction)) / fraction : undefined;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}  ${rows}  ETA ${eta === undefined ? '?' : formatDuration(eta)}`;
}

/**
 * A one-line bar redrawn in place on a terminal stream, at most every 100 ms
 * (redrawing on every chunk would cost more than it shows).
 */
export function terminalProgress(write: (text: string) => void, now: () => number = Date.now): ProgressReporter {
  let last = 0;
  let drawn = false;
  return {
    update(snapshot) {
      const t = now();
      if (t - last < 100) return;
      last = t;
      drawn = true;
      write(`\r\x1b[2K${formatProgress(snapshot)}`);
    },
    done() {
      if (drawn) write('\r\x1b[2K');
    },
  };
}

/** Progress as a structured log line every `everyMs` (cron, Kubernetes). */
export function loggedProgress(log: (fields: Record<string, unknown>) => void, everyMs = 10_000, now: () => number = Date.now): ProgressReporter {
  let last = now();
  return {
    update(snapshot) {
      const t = now();
      if (t - last < everyMs) return;
      last = t;
      const seconds = snapshot.elapsedMs / 1000;
      log({ rows: snapshot.rows, bytes: snapshot.bytes, totalBytes: snapshot.totalBytes, rowsPerSecond: Math.round(seconds > 0 ? snapshot.rows / seconds : 0) });
    },
    done() {},
  };
}

function formatRate(rate: number): string {
  if (rate >= 1e6) return `${(rate / 1e6).toFixed(2)}M`;
  if (rate >= 1e3) return `${Math.round(rate / 1e3)}k`;
  return String(Math.round(rate));
}

function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
