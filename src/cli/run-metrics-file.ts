import { EXIT_CODES, isPrescoreError } from '../errors/index.js';
import type { GateResult } from '../gates/index.js';
import { assertMetricsPathWritable, writeMetricsFile, type Logger } from '../report/index.js';

/** What a run tells its observer once its rows are counted and its gates evaluated. */
export interface RunFacts {
  readonly rowsRead: number;
  readonly rowsScored: number;
  readonly rowsRejected: number;
  readonly gates: readonly GateResult[];
  readonly forced: boolean;
}

/**
 * Runs `job` and, when `path` is given, writes its metrics file afterwards —
 * on failure too, with the exit code the failure will end the process with.
 * The directory is checked before the job starts (USAGE_INVALID_OPTION); a
 * write that still fails afterwards is logged, never turned into a failure,
 * so the exit code keeps saying whether the table was published.
 */
export async function withRunMetrics<T>(
  path: string | undefined,
  table: string,
  logger: Logger,
  job: (observe: (facts: RunFacts) => void) => Promise<T>,
): Promise<T> {
  if (path === undefined) return job(() => undefined);
  assertMetricsPathWritable(path);
  const startedAt = new Date();
  let facts: RunFacts | undefined;
  let exitCode: number = EXIT_CODES.ok;
  try {
    return await job((observed) => (facts = observed));
  } catch (error) {
    exitCode = isPrescoreError(error) ? error.exitCode : EXIT_CODES.internal;
    throw error;
  } finally {
    try {
      writeMetricsFile(path, {
        table,
        published: exitCode === EXIT_CODES.ok,
        exitCode,
        startedAt,
        finishedAt: new Date(),
        rows: facts === undefined ? undefined : { read: facts.rowsRead, scored: facts.rowsScored, rejected: facts.rowsRejected },
        gates: facts?.gates ?? [],
        forced: facts?.forced ?? false,
        lastSuccessAt: null,
      });
    } catch (error) {
      logger.log('error', 'metrics-file', { path, reason: error instanceof Error ? error.message : String(error) });
    }
  }
}
