import type { Logger, ProgressReporter } from '../report/index.js';
import type { SourceOptions } from '../sources/index.js';
import type { RunFacts } from './run-metrics-file.js';

/** The edges a job talks to, passed in so that the job itself never reads globals. */
export interface JobContext {
  readonly logger: Logger;
  readonly progress: ProgressReporter;
  readonly signal: AbortSignal;
  readonly sources: SourceOptions;
  readonly toolVersion: string;
  readonly now: () => Date;
  /** Told the run's counts and gate verdicts before it publishes or is refused (the metrics file). */
  readonly observe?: (facts: RunFacts) => void;
}
