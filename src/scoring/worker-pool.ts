import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker, type WorkerOptions } from 'node:worker_threads';

import { ChunkBuffers, DEFAULT_TARGET_CHUNK_BYTES, type Chunk } from '../chunking/index.js';
import { PrescoreError } from '../errors/index.js';
import type { FromWorker, ScoredChunk, ToWorker, WorkerSetup } from './worker-protocol.js';

/** How long `destroy` waits for chunks already sent before it terminates the threads (ms). */
const DRAIN_MS = 10_000;

/** Tasks a worker holds at once: one running, one queued so it never idles. */
const TASKS_PER_WORKER = 2;

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, { resolve: (r: ScoredChunk) => void; reject: (e: Error) => void }>;
  /** Settles once the thread has loaded its code and the runtime (or exited): from then on it may be terminated. */
  readonly loaded: Promise<void>;
}

/**
 * A fixed set of scoring threads, each with its own onnxruntime session.
 *
 * Our own pool rather than piscina: results carry several typed arrays that
 * must all be transferred (piscina's `move()` only transfers a top-level
 * value), start-up must fail the run with the model's load error before any
 * data is read, and a crashed worker must fail the run rather than be
 * replaced. The pool does not queue: callers keep at most `capacity` chunks in
 * flight (`submit` throws beyond that), which bounds memory to
 * workers × 2 × chunk size whatever the input size.
 *
 * Threads are spawned (`spawn`) before the run knows its model and table, so
 * their start-up overlaps the main thread's; `load` then hands them the setup.
 */
export class WorkerPool {
  private nextTask = 0;
  private scoredChunks = 0;
  /** The slots chunks go to (`feed`): the first `fed`. */
  private fed: number;
  private failure: Error | undefined;
  private loaded = false;
  /** Settles when each submitted chunk has come back, one way or the other. */
  private readonly running = new Set<Promise<void>>();

  /**
   * The buffers to cut chunks into (`RecordSplitterOptions.allocate`): each scored chunk's buffer
   * comes back here from its worker, so a run reuses a few buffers instead of allocating one per chunk.
   */
  readonly buffers: ChunkBuffers;

  private constructor(
    private readonly slots: readonly Slot[],
    chunkBytes: number,
  ) {
    this.fed = slots.length;
    this.buffers = ChunkBuffers.forChunks(chunkBytes, this.capacity + 1);
  }

  /**
   * Starts `size` threads, which load their code and the runtime while the caller prepares the setup.
   * `chunkBytes` is the target size of the chunks that will be submitted.
   */
  static spawn(size: number, chunkBytes = DEFAULT_TARGET_CHUNK_BYTES): WorkerPool {
    const { script, options } = workerEntry();
    const slots = Array.from({ length: size }, (): Slot => {
      const worker = new Worker(script, options);
      const loaded = new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.once('error', () => resolve());
        worker.once('exit', () => resolve());
      });
      return { worker, pending: new Map(), loaded };
    });
    return new WorkerPool(slots, chunkBytes);
  }

  /**
   * Sends every thread the setup and waits until each has loaded the model.
   * Throws the first thread's load error (MODEL_LOAD_FAILED) after stopping
   * them all.
   */
  async load(setup: WorkerSetup): Promise<void> {
    const ready = this.slots.map(({ worker }) => {
      const listeners: { message?: (m: FromWorker) => void; error?: (e: Error) => void; exit?: (code: number) => void } = {};
      return new Promise<void>((resolve, reject) => {
        listeners.message = (message) => {
          if (message.type === 'ready') resolve();
          else if (message.type === 'failed') reject(PrescoreError.fromData(message.error));
        };
        listeners.error = reject;
        listeners.exit = (code) => reject(new PrescoreError('INTERNAL', `A scoring worker exited during start-up (code ${code})`));
        worker.on('message', listeners.message).on('error', listeners.error).on('exit', listeners.exit);
        worker.postMessage({ type: 'setup', setup } satisfies ToWorker);
      }).finally(() => {
        worker.off('message', listeners.message!).off('error', listeners.error!).off('exit', listeners.exit!);
      });
    });
    // Wait for every worker to finish loading, even after one failed: terminating a thread while
    // onnxruntime is still creating its session there aborts the whole process (SIGABRT).
    const failed = (await Promise.allSettled(ready)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await this.destroy();
      throw failed.reason;
    }
    this.loaded = true;
    for (const slot of this.slots) this.listen(slot);
  }

  /** The number of threads. */
  get size(): number {
    return this.slots.length;
  }

  /** How many chunks may be in flight at once: two per worker fed. */
  get capacity(): number {
    return this.fed * TASKS_PER_WORKER;
  }

  /** Chunks scored so far (their results received, delivered or not). */
  get scored(): number {
    return this.scoredChunks;
  }

  /** How many workers chunks go to (all of them until told otherwise). */
  get feeding(): number {
    return this.fed;
  }

  /**
   * Sends chunks only to the first `count` workers (1 to `size`) from now on; the others finish
   * what they hold and then idle. Chunks already in flight may exceed the smaller `capacity` until they return.
   */
  feed(count: number): void {
    this.fed = Math.max(1, Math.min(this.slots.length, Math.floor(count)));
  }

  /**
   * Sends a chunk to the least busy worker, transferring its bytes' whole buffer (detached here afterwards).
   * `preflight` for the table's first chunk: see `scoreChunk`.
   */
  submit(chunk: Chunk, preflight = false): Promise<ScoredChunk> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.loaded) throw new PrescoreError('INTERNAL', 'WorkerPool.submit called before load');
    let slot = this.slots[0]!;
    for (let i = 1; i < this.fed; i++) if (this.slots[i]!.pending.size < slot.pending.size) slot = this.slots[i]!;
    if (slot.pending.size >= TASKS_PER_WORKER) throw new PrescoreError('INTERNAL', 'WorkerPool.submit called beyond capacity');
    const task = this.nextTask++;
    const message: ToWorker = { type: 'chunk', task, chunk, preflight };
    const result = new Promise<ScoredChunk>((resolve, reject) => {
      slot.pending.set(task, { resolve, reject });
      slot.worker.postMessage(message, [chunk.bytes.buffer as ArrayBuffer]);
    });
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.finally(() => this.running.delete(settled));
    return result;
  }

  /** Stops every worker; pending tasks are rejected. */
  async destroy(): Promise<void> {
    this.failure ??= new PrescoreError('INTERNAL', 'The worker pool was stopped');
    // Let chunks already sent finish (at most `capacity`, milliseconds each): terminating a thread in
    // the middle of a native session.run aborts the whole process. A crashed worker settles its tasks
    // at once, and a hung one is cut off after DRAIN_MS.
    await Promise.race([Promise.allSettled([...this.running, ...this.slots.map((slot) => slot.loaded)]), sleep(DRAIN_MS, undefined, { ref: false })]);
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
    this.failAll(this.failure);
  }

  private listen(slot: Slot): void {
    slot.worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready' || message.type === 'loaded') return;
      const task = message.task === undefined ? undefined : slot.pending.get(message.task);
      if (message.task !== undefined) slot.pending.delete(message.task);
      if (message.type === 'scored') {
        this.scoredChunks++;
        this.buffers.give(message.spent);
        task?.resolve(message.result);
      } else {
        const error = PrescoreError.fromData(message.error);
        if (message.stack && error.code === 'INTERNAL') error.stack = message.stack;
        task?.reject(error);
      }
    });
    const crash = (error: Error): void => {
      this.failure ??= error;
      this.failAll(error);
    };
    slot.worker.on('error', (error) => crash(new PrescoreError('INTERNAL', `A scoring worker crashed: ${error.message}`, { cause: error })));
    slot.worker.on('exit', (code) => {
      if (!this.failure) crash(new PrescoreError('INTERNAL', `A scoring worker exited unexpectedly (code ${code})`));
    });
  }

  private failAll(error: Error): void {
    for (const slot of this.slots) {
      for (const task of slot.pending.values()) task.reject(error);
      slot.pending.clear();
    }
  }
}

/**
 * The bundled worker beside this module in dist/ (scripts/bundle.ts); when running from TypeScript sources
 * (the test runner), a bootstrap that registers tsx's loader inside the thread
 * first — Node 20 does not pass `--import` hooks on to worker threads.
 */
function workerEntry(): { script: URL | string; options: WorkerOptions } {
  const compiled = new URL('./score-worker.js', import.meta.url);
  if (existsSync(compiled)) return { script: compiled, options: {} };
  const source = new URL('./score-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`;
  return { script: bootstrap, options: { eval: true } };
}
