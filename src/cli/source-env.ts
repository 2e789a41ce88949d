import type { SourceOptions } from '../sources/index.js';

/**
 * Source options from the cloud clients' own environment variables
 * (`STORAGE_EMULATOR_HOST`, `AWS_ENDPOINT_URL_S3`/`AWS_ENDPOINT_URL`,
 * `AWS_REGION`), with `--gcs-endpoint` on top.
 */
export function sourceOptionsFrom(env: Readonly<Record<string, string | undefined>>, gcsEndpoint: string | undefined, signal: AbortSignal): SourceOptions {
  const s3Endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  const s3Region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  return {
    signal,
    ...(gcsEndpoint === undefined ? {} : { gcsEndpoint }),
    ...(env.STORAGE_EMULATOR_HOST ? { gcsEmulatorHost: env.STORAGE_EMULATOR_HOST } : {}),
    ...(s3Endpoint ? { s3Endpoint } : {}),
    ...(s3Region ? { s3Region } : {}),
  };
}
