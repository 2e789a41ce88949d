import { describe, expect, it } from 'vitest';

import { baselineRun } from '../../src/gates/index.js';
import type { RunRecord, RunStatus, PublishMode } from '../../src/sinks/index.js';

function run(runId: string, status: RunStatus, mode: PublishMode = 'replace'): RunRecord {
  return {
    runId, table: 't', status, mode, modelUri: 'm', modelSha256: 'x', modelVersion: 'v', inputs: [],
    rowsRead: 1, rowsScored: 1, rowsRejected: 0, scoreMin: 0, scoreMean: 0, scoreMax: 0,
    startedAt: runId, finishedAt: runId, toolVersion: '0', error: null, details: {},
  };
}

describe('baselineRun', () => {
  it('is the published run when it was a full run', () => {
    expect(baselineRun([run('r4', 'failed'), run('r3', 'published'), run('r2', 'superseded')])?.runId).toBe('r3');
  });

  it('after an upsert, is the newest full run that was published', () => {
    expect(baselineRun([run('r4', 'published', 'upsert'), run('r3', 'failed'), run('r2', 'superseded'), run('r1', 'superseded')])?.runId).toBe('r2');
  });

  it('never is a rolled-back run, and is null for a table without a published full run', () => {
    expect(baselineRun([run('r3', 'rolled_back'), run('r2', 'published')])?.runId).toBe('r2');
    expect(baselineRun([run('r2', 'failed'), run('r1', 'published', 'upsert')])).toBeNull();
    expect(baselineRun([])).toBeNull();
  });
});
