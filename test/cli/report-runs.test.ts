import { describe, expect, it } from 'vitest';

import { reportedRuns } from '../../src/cli/commands/report.js';
import type { RunRecord, RunStatus } from '../../src/sinks/index.js';

function run(runId: string, status: RunStatus, details: Record<string, unknown> = {}): RunRecord {
  return {
    runId, table: 't', status, mode: 'replace', modelUri: 'm', modelSha256: 'x', modelVersion: 'v', inputs: [],
    rowsRead: 1, rowsScored: 1, rowsRejected: 0, scoreMin: 0, scoreMean: 0, scoreMax: 0,
    startedAt: runId, finishedAt: runId, toolVersion: '0', error: null, details,
  };
}

const gated = (baselineRunId: string | null) => ({ version: 1, gates: [], baselineRunId });

describe('reportedRuns', () => {
  const runs = [run('r4', 'failed', gated('r2')), run('r3', 'rolled_back', gated('r2')), run('r2', 'published', gated(null)), run('r1', 'superseded')];

  it('reports the newest run against the baseline its gates recorded', () => {
    const { run: reported, previous } = reportedRuns(runs, 't', undefined);
    expect([reported.runId, previous?.runId]).toEqual(['r4', 'r2']);
  });

  it('reports a named run; a first run has no previous one; a run from before the gates gets the baseline they would pick', () => {
    expect(reportedRuns(runs, 't', 'r2').previous).toBeNull();
    expect(reportedRuns([run('b', 'published'), run('a', 'superseded')], 't', 'b').previous?.runId).toBe('a');
  });

  it('refuses an unknown run or an empty table with USAGE_INVALID_OPTION', () => {
    expect(() => reportedRuns(runs, 't', 'nope')).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION', message: expect.stringContaining('--run: table "t" has no run nope') }));
    expect(() => reportedRuns([], 't', undefined)).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION' }));
  });
});
