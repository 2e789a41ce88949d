import { isPrescoreError } from '../errors/index.js';
import { RejectsFile, type Logger } from '../report/index.js';
import type { ScoredChunk } from '../scoring/index.js';
import type { StagingWriter } from '../sinks/index.js';
import { duplicateIdError, type Rescan } from './duplicate-lines.js';

/**
 * Where each scored chunk goes on the main thread, in input order: its rows
 * and rejects to staging in one write, its rejects to `--rejects-file`. A
 * repeated id comes back from staging as CSV_DUPLICATE_ID naming both lines.
 */
export class ScoredFeed {
  private readonly rejectsFile: RejectsFile | undefined;

  /** Creates the rejects file when asked for. Throws USAGE_INVALID_OPTION when it cannot be written. */
  constructor(
    rejectsPath: string | undefined,
    private readonly rescan: Rescan,
  ) {
    this.rejectsFile = rejectsPath === undefined ? undefined : RejectsFile.create(rejectsPath);
  }

  /** Writes one chunk's results. Throws CSV_DUPLICATE_ID, USAGE_INVALID_OPTION, and what `StagingWriter.write` throws. */
  async write(staging: StagingWriter, result: ScoredChunk): Promise<void> {
    this.rejectsFile?.write(result.rejects);
    try {
      await staging.write({ ids: result.ids, columns: result.columns, rejects: result.rejects });
    } catch (error) {
      throw isPrescoreError(error) && error.code === 'CSV_DUPLICATE_ID' ? await duplicateIdError(error, result, this.rescan) : error;
    }
  }

  /** Closes the rejects file, if any. */
  close(): void {
    this.rejectsFile?.close();
  }
}

/** Logs that staging is open, and warns when the run took over a dead run's lock. */
export function logStagingOpen(logger: Logger, table: string, runId: string, staging: StagingWriter): void {
  const dead = staging.takenOver;
  if (dead !== null) logger.log('warn', 'lock-takeover', { table, deadRunId: dead.runId, deadPid: dead.pid, deadHost: dead.host, lastHeartbeat: dead.heartbeatAt });
  logger.log('info', 'staging', { table, runId });
}
