import { PrescoreError } from '../errors/index.js';

/** Which part of a run this process scores: shard `index` (0-based) of `count`. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
  /** The engine's name for this execution of the job, when it gives one (Cloud Run's CLOUD_RUN_EXECUTION). */
  readonly execution?: string;
}

/**
 * The task index and count variables of the engines a sharded run runs on, in
 * the order they are tried. Kubernetes gives an Indexed Job's pods only their
 * index: the count comes from `--shards` (or `PRESCORE_SHARDS`).
 */
export const SHARD_ENVIRONMENTS = [
  { engine: 'Kubernetes Indexed Job', index: 'JOB_COMPLETION_INDEX', count: undefined },
  { engine: 'Cloud Run job', index: 'CLOUD_RUN_TASK_INDEX', count: 'CLOUD_RUN_TASK_COUNT' },
  { engine: 'GCP Batch job', index: 'BATCH_TASK_INDEX', count: 'BATCH_TASK_COUNT' },
] as const;

/** `--shard`, `--shards` and `--output` as the options resolve them (flag, job file or `PRESCORE_SHARD(S)`). */
export interface ShardFlags {
  readonly shard?: string | undefined;
  readonly shards?: number | undefined;
  readonly output?: string | undefined;
}

/**
 * The shard this process scores: `--shard I/N` when given, else the first
 * engine variable of SHARD_ENVIRONMENTS that is set. A count of 1 is a plain,
 * unsharded run (Cloud Run and Batch set their variables for one-task jobs
 * too). `execution` is CLOUD_RUN_EXECUTION when set (see shardRunId). Pure.
 * Throws USAGE_INVALID_OPTION for a malformed or out-of-range index or count,
 * a `--shards` that disagrees with the index's source, an index without a
 * count, `--shards` without any index, or a sharded run whose output is not
 * Postgres (SQLite is single-machine).
 */
export function resolveShard(flags: ShardFlags, env: Readonly<Record<string, string | undefined>>): ShardSpec | undefined {
  const { shards } = flags;
  if (shards !== undefined) wholeNumber('--shards', String(shards), 1);
  let spec: ShardSpec | undefined;
  if (flags.shard !== undefined) {
    const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(flags.shard);
    if (!match) throw invalid('--shard must be I/N: this process scores shard I (0-based) of N', flags.shard);
    spec = checked('--shard', Number(match[1]), Number(match[2]), flags.shard);
    if (shards !== undefined && shards !== spec.count) throw invalid(`--shard ${flags.shard} and --shards ${shards} disagree on the shard count`, flags.shard);
  } else {
    const found = SHARD_ENVIRONMENTS.find((e) => present(env[e.index]));
    if (found === undefined) {
      if (shards !== undefined && shards > 1) {
        throw new PrescoreError('USAGE_INVALID_OPTION', `--shards ${shards} needs this process's shard index`, {
          hint: `Pass --shard I/${shards}, or run as a task that sets ${SHARD_ENVIRONMENTS.map((e) => e.index).join(', ')}`,
        });
      }
      return undefined;
    }
    const index = wholeNumber(found.index, env[found.index]!, 0);
    const countText = found.count === undefined ? undefined : env[found.count];
    const fromEnv = found.count !== undefined && present(countText) ? wholeNumber(found.count, countText!, 1) : undefined;
    if (shards !== undefined && fromEnv !== undefined && shards !== fromEnv) throw invalid(`--shards ${shards} disagrees with ${found.count}=${fromEnv}`, String(shards));
    const count = shards ?? fromEnv;
    if (count === undefined) {
      throw new PrescoreError('USAGE_INVALID_OPTION', `${found.index}=${env[found.index]} is set (a ${found.engine}) but not the number of shards`, {
        hint: 'Pass --shards N (or PRESCORE_SHARDS), N being the completions of the Indexed Job',
      });
    }
    spec = checked(found.index, index, count, env[found.index]!);
  }
  if (spec.count === 1) return undefined;
  if (flags.output !== undefined && !/^postgres(ql)?:\/\//i.test(flags.output)) {
    throw new PrescoreError('USAGE_INVALID_OPTION', `Shard ${spec.index}/${spec.count}: a sharded run needs a postgres:// --output; SQLite is single-machine`, {
      hint: 'Publish to Postgres, or run one unsharded process (leave out --shard and --shards, unset the task index variables)',
    });
  }
  const execution = env.CLOUD_RUN_EXECUTION;
  return present(execution) ? { ...spec, execution: execution! } : spec;
}

function checked(what: string, index: number, count: number, value: string): ShardSpec {
  if (!Number.isSafeInteger(count) || count < 1) throw invalid(`${what}: the shard count must be at least 1`, value);
  if (!Number.isSafeInteger(index) || index >= count) throw invalid(`${what}: the shard index must be 0 to ${count - 1}`, value);
  return { index, count };
}

function wholeNumber(what: string, text: string, min: number): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < min) throw invalid(`${what} must be a whole number, at least ${min}`, text);
  return n;
}

function present(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

function invalid(message: string, value: string): PrescoreError {
  return new PrescoreError('USAGE_INVALID_OPTION', message, { value });
}
