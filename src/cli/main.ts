import { availableParallelism } from 'node:os';

import { Command, CommanderError } from 'commander';

import packageJson from '../../package.json' with { type: 'json' };
import { EXIT_CODES, PrescoreError, isPrescoreError } from '../errors/index.js';
import type { CliIo } from './cli-io.js';
import { registerHistory } from './commands/history.js';
import { registerInspect } from './commands/inspect.js';
import { registerReport } from './commands/report.js';
import { registerScore } from './commands/score.js';

const VERSION = packageJson.version;

/**
 * The command-line entry and its one exit point: every command throws, and
 * only here does an error become a message on stderr and an exit code
 * (README.md, "Exit codes").
 */
export async function main(argv: readonly string[]): Promise<never> {
  const controller = new AbortController();
  const stop = (signal: 'SIGINT' | 'SIGTERM'): void => {
    // A second signal means "now": leave without cleaning up (nothing is published half-way either way).
    if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? EXIT_CODES.interrupted : EXIT_CODES.terminated);
    controller.abort(new PrescoreError(signal === 'SIGINT' ? 'INTERRUPTED' : 'TERMINATED', `Stopped by ${signal}; nothing was published`));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const io: CliIo = {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    interactive: process.stderr.isTTY === true,
    env: process.env,
    cores: availableParallelism(),
    signal: controller.signal,
    toolVersion: VERSION,
  };
  const program = new Command('prescore')
    .description('Batch scoring with precomputed results: ONNX model + table in, one score per entity published')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run prescore --help for usage)');
  registerScore(program, io);
  registerInspect(program, io);
  registerHistory(program, io);
  registerReport(program, io);

  let code: number = EXIT_CODES.ok;
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    code = report(error, io, argv.includes('--verbose'));
  }
  return exit(code);
}

function report(error: unknown, io: CliIo, verbose: boolean): number {
  if (error instanceof CommanderError) {
    // Help and version are "errors" to commander; they already printed.
    return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
  }
  if (isPrescoreError(error)) {
    io.stderr(`prescore: error ${error.code}: ${error.message}\n`);
    if (verbose && error.stack) io.stderr(`${error.stack}\n`);
    return error.exitCode;
  }
  const text = error instanceof Error ? (verbose ? (error.stack ?? error.message) : error.message) : String(error);
  io.stderr(`prescore: error INTERNAL: ${text}\n${verbose ? '' : '(run with --verbose for the stack trace)\n'}`);
  return EXIT_CODES.internal;
}

/** Exits once stdout and stderr have flushed (they are asynchronous when piped). */
function exit(code: number): Promise<never> {
  return new Promise<never>(() => {
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  });
}
