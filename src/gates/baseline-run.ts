import type { RunRecord } from '../sinks/index.js';

/**
 * The run a new one is compared with: the published run when it was a full
 * (replace) run; else — the table was last changed by an upsert of a segment —
 * the newest replace run that was published, is published or was superseded.
 * Rolled-back runs never count: someone undid them. `runs` newest first, as
 * `Sink.runs` gives them. Null when there is none. Pure.
 */
export function baselineRun(runs: readonly RunRecord[]): RunRecord | null {
  const current = runs.find((r) => r.status === 'published');
  if (current?.mode === 'replace') return current;
  return runs.find((r) => r.mode === 'replace' && (r.status === 'published' || r.status === 'superseded')) ?? null;
}
