/**
 * A scoring worker thread: one onnxruntime session, chunks in, scored columns
 * out. `session.run` blocks this thread while native code runs, which is why
 * inference never happens on the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { PrescoreError, type ErrorData } from '../errors/index.js';
import { createScoringSession } from '../model/index.js';
import { scoreChunk } from './chunk-scorer.js';
import { transferablesOf, type FromWorker, type ToWorker, type WorkerSetup } from './worker-protocol.js';

const port = parentPort!;
const setup = workerData as WorkerSetup;

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

function failure(task: number | undefined, error: unknown): FromWorker {
  // A structured clone drops the error class, so the error travels as plain data.
  const data: ErrorData =
    error instanceof PrescoreError ? error.toData() : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
  return { type: 'failed', task, error: data, ...(error instanceof Error && error.stack ? { stack: error.stack } : {}) };
}

try {
  const session = await createScoringSession(setup.modelBytes, setup.modelFile);
  // Tasks run one after another: the pool keeps a second one queued here so the
  // thread never idles waiting for the main thread.
  let queue = Promise.resolve();
  port.on('message', (message: ToWorker) => {
    queue = queue.then(async () => {
      try {
        const result = await scoreChunk(session, setup, message.chunk);
        post({ type: 'scored', task: message.task, result }, transferablesOf(result));
      } catch (error) {
        post(failure(message.task, error));
      }
    });
  });
  post({ type: 'ready' });
} catch (error) {
  post(failure(undefined, error));
}
