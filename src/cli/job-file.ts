import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import type * as Yaml from 'yaml';
import { z } from 'zod/v3';

import { PrescoreError } from '../errors/index.js';
import { DUPLICATE_POLICIES } from '../sinks/index.js';

const list = z.union([z.string(), z.array(z.string())]);

/**
 * The job file: the same names as the `score` flags (without `--`), in YAML or
 * JSON. Unknown keys are refused, so a misspelt key never silently falls back
 * to a default.
 */
export const JOB_FILE_SCHEMA = z
  .object({
    model: z.string(),
    'model-sha256': z.string(),
    'model-version': z.string(),
    input: list,
    'id-column': z.string(),
    output: z.string(),
    table: z.string(),
    schema: z.string(),
    features: list,
    score: z.string(),
    extra: list,
    fill: z.union([z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])), list]),
    mode: z.enum(['replace', 'upsert']),
    workers: z.number().int().positive(),
    delimiter: z.string(),
    'na-values': list,
    'max-reject-rate': z.number().min(0).max(1),
    'max-rejects': z.number().int().min(0),
    'run-id': z.string(),
    'cache-dir': z.string(),
    'gcs-endpoint': z.string(),
    'chunk-bytes': z.number().int().positive(),
    'batch-rows': z.number().int().positive(),
    shard: z.string(),
    shards: z.number().int().positive(),
    'max-nan-rate': z.number().min(0).max(1),
    'max-row-change': z.number().min(0),
    'psi-warn': z.number().min(0),
    'psi-fail': z.number().min(0),
    'min-rows': z.number().int().min(0),
    'metrics-file': z.string(),
    'rejects-file': z.string(),
    'on-duplicate': z.enum(DUPLICATE_POLICIES),
  })
  .partial()
  .strict();

export type JobFile = z.infer<typeof JOB_FILE_SCHEMA>;

/**
 * Reads and validates a job file. Throws CONFIG_FILE_UNREADABLE when it cannot
 * be read or parsed, CONFIG_INVALID naming the key and the rule it breaks.
 */
export function readJobFile(path: string): JobFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new PrescoreError('CONFIG_FILE_UNREADABLE', 'Cannot read the job file', { file: path, cause });
  }
  let data: unknown;
  try {
    data = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw new PrescoreError('CONFIG_FILE_UNREADABLE', `The job file is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(cause as Error).message}`, {
      file: path,
      cause,
    });
  }
  const parsed = JOB_FILE_SCHEMA.safeParse(data ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(top level)');
    throw new PrescoreError('CONFIG_INVALID', `The job file key "${key}" is invalid: ${issue.message}`, {
      file: path,
      hint: `Keys are the score flags without "--": ${Object.keys(JOB_FILE_SCHEMA.shape).join(', ')}`,
    });
  }
  return parsed.data;
}

/** The YAML parser, loaded only for a YAML job file: ~18 ms of every other run's start-up. */
function parseYaml(text: string): unknown {
  return (createRequire(import.meta.url)('yaml') as typeof Yaml).parse(text);
}
