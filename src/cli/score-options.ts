import { homedir } from 'node:os';
import { join } from 'node:path';

import { PrescoreError } from '../errors/index.js';
import { resolveGateThresholds, type GateThresholds } from '../gates/index.js';
import type { DuplicatePolicy, PublishMode } from '../sinks/index.js';
import { fillOption } from './fill-option.js';
import { JOB_FILE_SCHEMA, type JobFile } from './job-file.js';
import { resolveShard, type ShardSpec } from './shard-option.js';

/** Everything `score` needs, complete and checked. */
export interface ResolvedScoreOptions {
  readonly model: string;
  readonly modelSha256: string | undefined;
  readonly modelVersion: string | undefined;
  readonly input: string;
  readonly idColumn: string;
  readonly output: string;
  readonly table: string;
  readonly schema: string | undefined;
  readonly features: readonly string[] | undefined;
  readonly score: string | undefined;
  readonly extra: readonly string[];
  /** Value text for the missing cells of each column (`--fill COL=VALUE`). */
  readonly fill: Readonly<Record<string, string>>;
  readonly mode: PublishMode;
  readonly workers: number;
  readonly delimiter: number;
  readonly naValues: readonly string[];
  readonly maxRejectRate: number;
  readonly maxRejects: number | undefined;
  readonly runId: string | undefined;
  readonly cacheDir: string;
  readonly gcsEndpoint: string | undefined;
  readonly chunkBytes: number;
  readonly batchRows: number;
  /** Gate limits (`--max-nan-rate`, `--max-row-change`, `--psi-warn`, `--psi-fail`, `--min-rows`); `force` publishes over failed gates (a flag only). */
  readonly gates: GateThresholds;
  readonly force: boolean;
  /** Prometheus textfile written after the run, success or not. */
  readonly metricsFile: string | undefined;
  /** Where rejected rows are also written as CSV. */
  readonly rejectsFile: string | undefined;
  readonly onDuplicate: DuplicatePolicy;
  /** This process's shard of a sharded run (`--shard`, `--shards`, or the engine's task variables); undefined for a plain run. */
  readonly shard: ShardSpec | undefined;
}

/** Missing-value spellings in numeric cells, as pandas' `read_csv` reads them by default. */
export const DEFAULT_NA_VALUES = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None'] as const;

const NUMERIC_KEYS = new Set(['workers', 'max-reject-rate', 'max-rejects', 'chunk-bytes', 'batch-rows', 'shards', 'max-nan-rate', 'max-row-change', 'psi-warn', 'psi-fail', 'min-rows']);
const REQUIRED = ['model', 'input', 'id-column', 'output', 'table'] as const;

/**
 * Merges the three places options come from — flags win over the job file,
 * the file over the environment (`DATABASE_URL`, `PRESCORE_<FLAG>`) — and
 * fills defaults. Throws USAGE_MISSING_OPTION naming every missing option,
 * USAGE_INVALID_OPTION naming the option, the rule and the value.
 */
export function resolveScoreOptions(
  flags: Readonly<Record<string, unknown>>,
  file: JobFile | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cores: number,
): ResolvedScoreOptions {
  const merged: Record<string, unknown> = { ...fromEnv(env), ...file, ...normalise(flags, 'flag') };
  const missing = REQUIRED.filter((key) => merged[key] === undefined || merged[key] === '');
  if (missing.length > 0) {
    throw new PrescoreError('USAGE_MISSING_OPTION', `Missing ${missing.map((k) => `--${k}`).join(', ')}`, {
      hint: 'Give them as flags, in the job file (--config), or as PRESCORE_<NAME> variables (DATABASE_URL for --output)',
    });
  }
  const checked = JOB_FILE_SCHEMA.safeParse(merged);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const key = issue.path.join('.');
    throw new PrescoreError('USAGE_INVALID_OPTION', `--${key}: ${issue.message}`, { value: String(merged[key]) });
  }
  const o = checked.data;
  const delimiter = o.delimiter ?? ',';
  if (Buffer.byteLength(delimiter) !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new PrescoreError('USAGE_INVALID_OPTION', '--delimiter must be one single-byte character other than a quote or a line break', { value: delimiter });
  }
  const workers = o.workers ?? cores;
  if (workers > cores) {
    throw new PrescoreError('USAGE_INVALID_OPTION', `--workers ${workers} is more than the ${cores} cores this process may use`, {
      value: String(workers),
      hint: 'Each worker runs one onnxruntime thread beside the main thread, which reads and writes: more workers than cores only add contention (README, "Thread plan")',
    });
  }
  return {
    model: o.model!,
    modelSha256: o['model-sha256']?.toLowerCase(),
    modelVersion: o['model-version'],
    input: asList(o.input!).join(','),
    idColumn: o['id-column']!,
    output: o.output!,
    table: o.table!,
    schema: o.schema,
    features: o.features === undefined ? undefined : asList(o.features),
    score: o.score,
    extra: o.extra === undefined ? [] : asList(o.extra),
    fill: fillOption(o.fill),
    mode: o.mode ?? 'replace',
    workers,
    delimiter: delimiter.charCodeAt(0),
    naValues: o['na-values'] === undefined ? DEFAULT_NA_VALUES : asList(o['na-values']),
    maxRejectRate: o['max-reject-rate'] ?? 0,
    maxRejects: o['max-rejects'],
    runId: o['run-id'],
    cacheDir: o['cache-dir'] ?? join(homedir(), '.cache', 'prescore'),
    gcsEndpoint: o['gcs-endpoint'],
    chunkBytes: o['chunk-bytes'] ?? 1 << 20,
    batchRows: o['batch-rows'] ?? 8192,
    gates: resolveGateThresholds({ maxNanRate: o['max-nan-rate'], maxRowChange: o['max-row-change'], psiWarn: o['psi-warn'], psiFail: o['psi-fail'], minRows: o['min-rows'] }),
    force: flags.force === true,
    metricsFile: o['metrics-file'],
    rejectsFile: o['rejects-file'],
    onDuplicate: o['on-duplicate'] ?? 'error',
    shard: resolveShard({ shard: o.shard, shards: o.shards, output: o.output }, env),
  };
}

/** Comma-separated text or a list → a list without empty entries. */
function asList(value: string | readonly string[]): string[] {
  const items = typeof value === 'string' ? value.split(',') : [...value];
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** `PRESCORE_ID_COLUMN` → `id-column`, and `DATABASE_URL` → `output`. */
function fromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  if (env.DATABASE_URL) values.output = env.DATABASE_URL;
  for (const key of Object.keys(JOB_FILE_SCHEMA.shape)) {
    const value = env[`PRESCORE_${key.toUpperCase().replaceAll('-', '_')}`];
    if (value !== undefined && value !== '') values[key] = value;
  }
  return normalise(values, 'env');
}

/** camelCase flag names → job-file keys, numbers from text. */
function normalise(values: Readonly<Record<string, unknown>>, origin: 'flag' | 'env'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const key = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    if (!(key in JOB_FILE_SCHEMA.shape)) continue;
    out[key] = NUMERIC_KEYS.has(key) && typeof value === 'string' ? numberOf(key, value, origin) : value;
  }
  return out;
}

function numberOf(key: string, value: string, origin: 'flag' | 'env'): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) {
    const where = origin === 'flag' ? `--${key}` : `PRESCORE_${key.toUpperCase().replaceAll('-', '_')}`;
    throw new PrescoreError('USAGE_INVALID_OPTION', `${where} must be a number`, { value });
  }
  return n;
}
