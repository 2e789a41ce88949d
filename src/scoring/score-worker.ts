/**
 * A scoring worker thread: one onnxruntime session, chunks in, scored columns
 * out. `session.run` blocks this thread while native code runs, which is why
 * inference never happens on the main thread.
 */
import { parentPort } from 'node:worker_threads';

import { PrescoreError, type ErrorData } from '../errors/index.js';
import { createScoringSession, loadRuntime, type ScoringSession } from '../model/index.js';
import { scoreChunk } from './chunk-scorer.js';
import { transferablesOf, type FromWorker, type ToWorker, type WorkerSetup } from './worker-protocol.js';

const port = parentPort!;

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

function failure(task: number | undefined, error: unknown): FromWorker {
  // A structured clone drops the error class, so the error travels as plain data.
  const data: ErrorData =
    error instanceof PrescoreError ? error.toData() : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
  return { type: 'failed', task, error: data, ...(error instanceof Error && error.stack ? { stack: error.stack } : {}) };
}

// Spawned before the run knows its model: the runtime loads while the main
// thread reads the model and the table's header. A failure to load shows again,
// with its reason, when the session is created.
const runtime = loadRuntime();
void runtime.then(
  () => post({ type: 'loaded' }),
  () => post({ type: 'loaded' }),
);

let scoring: { readonly session: ScoringSession; readonly setup: WorkerSetup } | undefined;
// Messages are handled one after another: the pool keeps a second chunk queued
// here so the thread never idles waiting for the main thread.
let queue = Promise.resolve();
port.on('message', (message: ToWorker) => {
  queue = queue.then(async () => {
    if (message.type === 'setup') {
      try {
        scoring = { session: await createScoringSession(message.setup.modelBytes, message.setup.modelFile), setup: message.setup };
        post({ type: 'ready' });
      } catch (error) {
        post(failure(undefined, error));
      }
      return;
    }
    try {
      if (scoring === undefined) throw new PrescoreError('INTERNAL', 'A chunk reached a scoring worker before its setup');
      const result = await scoreChunk(scoring.session, scoring.setup, message.chunk, message.preflight);
      const spent = message.chunk.bytes.buffer as ArrayBuffer;
      post({ type: 'scored', task: message.task, result, spent }, [...transferablesOf(result), spent]);
    } catch (error) {
      post(failure(message.task, error));
    }
  });
});
