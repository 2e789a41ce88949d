import type { PublishMode, RunStart } from '../src/sinks/index.js';

/** The run a sink benchmark stages: one real `score` column, fixed provenance. */
export function benchRun(mode: PublishMode): RunStart {
  return {
    runId: 'bench',
    table: 'scores',
    mode,
    modelUri: 'file:///bench.onnx',
    modelSha256: '0'.repeat(64),
    modelVersion: 'sha256:0123456789ab',
    inputs: [],
    outputColumns: [{ name: 'score', type: 'real' }],
    startedAt: new Date().toISOString(),
    toolVersion: 'bench',
  };
}
