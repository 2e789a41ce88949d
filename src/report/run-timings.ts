/** Where a run's time went, in milliseconds. */
export interface RunTimings {
  /** Wall time of the whole run. */
  readonly wallMs: number;
  /** Main thread: waiting for the next chunk (reading, decompressing, verifying, cutting records). */
  readonly readMs: number;
  /** Worker threads, summed: parsing chunks into typed columns and checking rows. */
  readonly parseMs: number;
  /** Worker threads, summed: building tensors and running the model. */
  readonly inferMs: number;
  /** Main thread: writing scored rows into staging. */
  readonly writeMs: number;
  /** Main thread: the atomic publish. */
  readonly publishMs: number;
}

type Phase = Exclude<keyof RunTimings, 'wallMs'>;

/** Adds up phase times as a run goes; `result()` rounds them to 0.1 ms. */
export class RunTimer {
  private readonly totals: Record<Phase, number> = { readMs: 0, parseMs: 0, inferMs: 0, writeMs: 0, publishMs: 0 };
  private readonly started = performance.now();

  add(phase: Phase, ms: number): void {
    this.totals[phase] += ms;
  }

  /** Runs `work` and adds its duration to `phase`. */
  async time<T>(phase: Phase, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.add(phase, performance.now() - start);
    }
  }

  result(): RunTimings {
    const round = (ms: number): number => Math.round(ms * 10) / 10;
    return {
      wallMs: round(performance.now() - this.started),
      readMs: round(this.totals.readMs),
      parseMs: round(this.totals.parseMs),
      inferMs: round(this.totals.inferMs),
      writeMs: round(this.totals.writeMs),
      publishMs: round(this.totals.publishMs),
    };
  }
}
