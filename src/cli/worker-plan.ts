import { threadCpuMs, type WorkerPool } from '../scoring/index.js';

/**
 * Chunks delivered before measuring: the first ones pay for compiling code on each thread (the logistic
 * benchmark's workers spent 6.3–7.0 ms of CPU per chunk over chunks 16–32, 3.7–6.4 ms after).
 */
const WARM_UP_CHUNKS = 32;
/**
 * Chunks measured: a longer sample evens out the workers' garbage collections (their CPU per chunk
 * varied 3.7–6.4 ms between samples of 16 chunks). The choice comes after ~330k rows of the benchmark table.
 */
const SAMPLE_CHUNKS = 40;

/** What the plan measured (to 0.01 ms) and chose. */
export interface WorkerChoice {
  readonly workers: number;
  /** A worker's CPU time per chunk (parse, checks, inference, profile), ms. */
  readonly workerMsPerChunk: number;
  /** The main thread's CPU time per chunk delivered (reading, cutting, hashing, writing), ms. */
  readonly mainMsPerChunk: number;
}

/**
 * What more threads than cores lose beyond sharing them: a thread the others wait on waits for a core
 * itself, and they evict each other's caches. On 2 cores, with the CPU per chunk measured as below: the
 * logistic benchmark (~4.6 ms in a worker, ~3.6 on the main thread) ran 9–10% slower with 2 workers than
 * with 1, where CPU times alone would make 2 faster by 10%; the tree model (~22 and ~4 ms) ran ~45%
 * slower with 1 worker, where CPU times alone would make it 70% slower. Both fit a loss of ~20%.
 */
const CONTENTION = 0.2;

/**
 * How many workers to feed, from what a chunk costs a worker and the main thread (CPU ms): the count whose
 * pipeline is estimated fastest on `cores` cores, the fewest among equals. With w workers a chunk takes at
 * least the main thread's time and a worker's time over w; when the w + 1 threads outnumber the cores, at
 * least their summed time over the cores too, plus CONTENTION. On 2 cores that means one worker until a
 * chunk costs a worker 1.5 times what it costs the main thread. Pure.
 */
export function workersToKeepUp(workerMsPerChunk: number, mainMsPerChunk: number, cores: number): number {
  if (!(workerMsPerChunk > 0) || !(mainMsPerChunk > 0)) return cores;
  let best = 1;
  let bestMs = Infinity;
  for (let workers = 1; workers <= cores; workers++) {
    let ms = Math.max(mainMsPerChunk, workerMsPerChunk / workers);
    if (workers + 1 > cores) ms = Math.max(ms, (mainMsPerChunk + workerMsPerChunk) / cores) * (1 + CONTENTION);
    if (ms < bestMs) [best, bestMs] = [workers, ms];
  }
  return best;
}

/** CPU times at the start of the sample, ms, and the chunks scored by then. */
interface Mark {
  readonly processMs: number;
  readonly mainMs: number;
  readonly scored: number;
}

/**
 * Watches the chunks a run delivers on the main thread and, after a warm-up and
 * a sample, tells the pool how many workers to feed (`WorkerPool.feed`). CPU
 * times, not times on the wall: on 2 cores three busy threads wait for each
 * other's cores, and a logistic chunk's wall time in a worker ranged 3.3–14.5
 * ms where its CPU time averaged 4–5. The workers' time is the process's
 * (`process.cpuUsage`, exact) less the main thread's (thread-cpu.ts, counted in
 * scheduler ticks, 4 ms here: a few percent of a sample), per chunk scored in
 * the sample, so libuv's threads (reading, inflating gzip) count as the
 * workers', which leans towards more workers while they are busy too; the main
 * thread's, per chunk delivered. The pool's size is taken for the cores the run
 * may use: one worker per core by default, or what `--workers` grants. Decides
 * once. Where the system gives no thread CPU time, or the run is shorter than
 * warm-up and sample, every worker stays fed.
 */
export class WorkerPlan {
  private delivered = 0;
  private mark: Mark | undefined;
  private done = false;

  constructor(
    private readonly pool: WorkerPool,
    private readonly onChoice: (choice: WorkerChoice) => void,
  ) {}

  /** Counts one delivered chunk, after the main thread has written it. */
  delivery(): void {
    if (this.done) return;
    this.delivered++;
    if (this.delivered === WARM_UP_CHUNKS) {
      const mainMs = threadCpuMs();
      this.done = mainMs === undefined;
      if (mainMs !== undefined) this.mark = { processMs: processCpuMs(), mainMs, scored: this.pool.scored };
      return;
    }
    if (this.mark === undefined || this.delivered < WARM_UP_CHUNKS + SAMPLE_CHUNKS) return;
    this.done = true;
    const mainNow = threadCpuMs();
    if (mainNow === undefined) return;
    const mainMs = mainNow - this.mark.mainMs;
    const workersMs = processCpuMs() - this.mark.processMs - mainMs;
    const mainMsPerChunk = mainMs / SAMPLE_CHUNKS;
    const workerMsPerChunk = workersMs / Math.max(1, this.pool.scored - this.mark.scored);
    const workers = workersToKeepUp(workerMsPerChunk, mainMsPerChunk, this.pool.size);
    this.pool.feed(workers);
    this.onChoice({ workers, workerMsPerChunk: hundredths(workerMsPerChunk), mainMsPerChunk: hundredths(mainMsPerChunk) });
  }
}

function hundredths(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
