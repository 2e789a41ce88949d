import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root, for fixture paths. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = `${ROOT}bin/prescore`;

export interface CliResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the real `bin/prescore` (the compiled dist/, built by `make test`) as a
 * child process, not a TTY, and collects its output.
 */
export function runCli(args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** A running `bin/prescore`, for tests that signal it mid-run. */
export interface CliProcess {
  readonly pid: number;
  /** Resolves with the first JSON log line on stderr whose `event` is `event` (needs `--log-format json`). */
  event(event: string): Promise<Record<string, unknown>>;
  kill(signal: NodeJS.Signals): void;
  readonly done: Promise<CliResult>;
}

/**
 * Starts the real `bin/prescore` (dist/) as a child process, not a TTY, without waiting for it: the
 * executable itself, as users run it, so its shebang's Node flags are the ones tested.
 */
export function startCli(args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}): CliProcess {
  const child = spawn(BIN, args, { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiting: { event: string; resolve: (fields: Record<string, unknown>) => void }[] = [];
  const seen: Record<string, unknown>[] = [];
  const onLine = (line: string): void => {
    if (!line.startsWith('{')) return;
    const fields = JSON.parse(line) as Record<string, unknown>;
    seen.push(fields);
    for (const w of waiting.filter((w) => w.event === fields.event)) w.resolve(fields);
  };
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  let partial = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) onLine(line);
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr }));
  });
  return {
    pid: child.pid!,
    event: (event) =>
      new Promise((resolve, reject) => {
        const found = seen.find((f) => f.event === event);
        if (found) return resolve(found);
        waiting.push({ event, resolve });
        void done.then((r) => reject(new Error(`prescore ended (exit ${r.exitCode}, signal ${r.signal}) before logging "${event}": ${r.stderr.slice(-500)}`)));
      }),
    kill: (signal) => child.kill(signal),
    done,
  };
}
