import { PrescoreError } from '../errors/index.js';

/** How sources reach their stores. All optional; the CLI fills them from flags and the environment. */
export interface SourceOptions {
  /** GCS JSON API endpoint (`http://127.0.0.1:4443`); requests then go to `<endpoint>/storage/v1/…` without credentials. */
  readonly gcsEndpoint?: string;
  /**
   * The value of `STORAGE_EMULATOR_HOST` (`http://host:port`, https assumed without a scheme): requests go to
   * `<host>/b/…` without the `/storage/v1` prefix and without credentials, as the GCS client does with the variable.
   */
  readonly gcsEmulatorHost?: string;
  /** S3-compatible endpoint (MinIO, s3rver, R2). Unset: AWS, from the SDK's own configuration. */
  readonly s3Endpoint?: string;
  /** S3 region. Unset: the SDK's default chain (AWS_REGION, the profile); none at all is USAGE_MISSING_OPTION. */
  readonly s3Region?: string;
  /** Path-style S3 addressing (`endpoint/bucket/key`). Default: true when `s3Endpoint` is set. */
  readonly s3ForcePathStyle?: boolean;
  /** Cancels listings and downloads; they reject with the signal's reason. */
  readonly signal?: AbortSignal;
  /** A download that receives no byte for this long is aborted and resumed. Milliseconds, default 30 000. */
  readonly idleTimeoutMs?: number;
  /** Consecutive failed attempts retried before giving up (an attempt that received bytes resets the count). Default 5. */
  readonly retries?: number;
  /** First retry delay; doubles per consecutive failure, with jitter. Milliseconds, default 500. */
  readonly retryDelayMs?: number;
  /** Cap of one retry delay. Milliseconds, default 30 000. */
  readonly retryMaxDelayMs?: number;
}

/** `SourceOptions` with every default filled in. */
export interface ResolvedSourceOptions {
  readonly gcsEndpoint: string | undefined;
  readonly gcsEmulatorHost: string | undefined;
  readonly s3Endpoint: string | undefined;
  readonly s3Region: string | undefined;
  readonly s3ForcePathStyle: boolean;
  readonly signal: AbortSignal | undefined;
  readonly idleTimeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly retryMaxDelayMs: number;
}

/** Fills defaults and validates. Throws USAGE_INVALID_OPTION naming the option, the rule and the value given. */
export function resolveSourceOptions(options: SourceOptions = {}): ResolvedSourceOptions {
  return {
    gcsEndpoint: options.gcsEndpoint,
    gcsEmulatorHost: options.gcsEmulatorHost,
    s3Endpoint: options.s3Endpoint,
    s3Region: options.s3Region,
    s3ForcePathStyle: options.s3ForcePathStyle ?? options.s3Endpoint !== undefined,
    signal: options.signal,
    idleTimeoutMs: positiveInteger('idleTimeoutMs', options.idleTimeoutMs, 30_000, 1),
    retries: positiveInteger('retries', options.retries, 5, 0),
    retryDelayMs: positiveInteger('retryDelayMs', options.retryDelayMs, 500, 0),
    retryMaxDelayMs: positiveInteger('retryMaxDelayMs', options.retryMaxDelayMs, 30_000, 0),
  };
}

function positiveInteger(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new PrescoreError('USAGE_INVALID_OPTION', `${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}
