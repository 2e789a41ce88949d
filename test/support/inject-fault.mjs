// Preloaded with `node --import` (through NODE_OPTIONS) to simulate a bug: handing the first chunk
// to a scoring worker throws a plain Error, which no stage anticipates — what exit code 1 is for.
import { Worker } from 'node:worker_threads';

Worker.prototype.postMessage = function postMessage() {
  throw new Error('injected fault: Worker.postMessage');
};
