/** Log levels, quietest last. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where a run says what it is doing. Fields are plain JSON values. */
export interface Logger {
  log(level: LogLevel, event: string, fields?: Readonly<Record<string, unknown>>): void;
}

/**
 * Structured log lines for cron and Kubernetes: one JSON object a line
 * (`{"time","level","event",…}`) on the given stream, so log collectors parse
 * them without a grammar. Lines below `minimum` are dropped.
 */
export function jsonLogger(write: (line: string) => void, minimum: LogLevel = 'info'): Logger {
  const floor = LOG_LEVELS.indexOf(minimum);
  return {
    log(level, event, fields = {}) {
      if (LOG_LEVELS.indexOf(level) < floor) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level, event, ...fields })}\n`);
    },
  };
}

/** Short human lines for a terminal: `event key=value …`, warnings and errors only unless verbose. */
export function textLogger(write: (line: string) => void, minimum: LogLevel = 'warn'): Logger {
  const floor = LOG_LEVELS.indexOf(minimum);
  return {
    log(level, event, fields = {}) {
      if (LOG_LEVELS.indexOf(level) < floor) return;
      const pairs = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
      write(`${level === 'info' ? '' : `${level}: `}${[event, ...pairs].join(' ')}\n`);
    },
  };
}
