import { accessSync, constants, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { PrescoreError } from '../errors/index.js';
import { LAST_SUCCESS_METRIC, formatRunMetrics, labelValue, type RunMetrics } from './run-metrics.js';

/**
 * Writes the run's metrics to `path` atomically — a temporary file beside it,
 * then a rename — so node_exporter's textfile collector never reads half a
 * file (the temporary name does not end in `.prom`, so the collector skips it).
 * A run that did not publish keeps the last success time the replaced file
 * had for this table, so an alert on its age keeps working across failures.
 * Throws USAGE_INVALID_OPTION naming the path when it cannot be written (a
 * missing directory, no permission); `assertMetricsPathWritable` finds that
 * out before a run starts.
 */
export function writeMetricsFile(path: string, metrics: RunMetrics): void {
  const lastSuccessAt = metrics.published ? metrics.finishedAt : (metrics.lastSuccessAt ?? previousSuccess(path, metrics.table));
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, formatRunMetrics({ ...metrics, lastSuccessAt }));
    renameSync(temporary, path);
  } catch (cause) {
    rmSync(temporary, { force: true });
    throw new PrescoreError('USAGE_INVALID_OPTION', `--metrics-file: cannot write it: ${(cause as Error).message}`, { value: path });
  }
}

/** Throws USAGE_INVALID_OPTION unless the metrics file's directory exists and is writable: checked before a run, not after it published. */
export function assertMetricsPathWritable(path: string): void {
  try {
    accessSync(dirname(path), constants.W_OK);
  } catch (cause) {
    throw new PrescoreError('USAGE_INVALID_OPTION', `--metrics-file: cannot write into ${dirname(path)}: ${(cause as Error).message}`, {
      value: path,
      hint: 'Point --metrics-file at a writable directory (node_exporter: its --collector.textfile.directory)',
    });
  }
}

/** The last success time of `table` in the file at `path`, if it exists and has one. */
function previousSuccess(path: string, table: string): Date | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const line = text.split('\n').find((l) => l.startsWith(`${LAST_SUCCESS_METRIC}{table="${labelValue(table)}"} `));
  const value = line === undefined ? NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
  return Number.isFinite(value) ? new Date(value * 1000) : null;
}
