import { jsonLogger, loggedProgress, terminalProgress, textLogger, type Logger, type ProgressReporter } from '../report/index.js';

/** The process's edges as one value, so commands never touch `process` themselves. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal: a progress bar and short text, else JSON log lines. */
  readonly interactive: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cores: number;
  readonly signal: AbortSignal;
  readonly toolVersion: string;
}

/** Log formats a user can force with `--log-format`. */
export const LOG_FORMATS = ['auto', 'json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * The logger and progress reporter for a command: a bar and terse text on a
 * terminal; JSON lines with a progress line every 10 s under cron.
 */
export function reportersFor(io: CliIo, format: LogFormat, verbose: boolean): { logger: Logger; progress: ProgressReporter; json: boolean } {
  const json = format === 'json' || (format === 'auto' && !io.interactive);
  if (json) {
    const logger = jsonLogger(io.stderr, verbose ? 'debug' : 'info');
    return { logger, progress: loggedProgress((fields) => logger.log('info', 'progress', fields)), json };
  }
  return { logger: textLogger(io.stderr, verbose ? 'debug' : 'warn'), progress: terminalProgress(io.stderr), json };
}
