import type { HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { PrescoreError } from '../errors/index.js';
import { formatLocation, parseLocation } from './object-location.js';
import type { ObjectStore } from './object-store.js';
import { withRetries } from './retry-policy.js';
import type { ResolvedSourceOptions } from './source-options.js';
import type { StoredObject } from './stored-object.js';
import { isTransientNetworkError, isTransientStatus, TransientError } from './transient-error.js';

// Promises of clients, so that the SDK loads (~100 ms) only in runs that read s3:// at all.
const clients = new Map<string, Promise<S3Client>>();
const sdk = async () => import('@aws-sdk/client-s3');
const NOT_FOUND = new Set(['NotFound', 'NoSuchKey', 'NoSuchBucket']);

/**
 * `s3://` through @aws-sdk/client-s3 (the only importer of it), credentials and (unless given) region
 * from the SDK's default chain. The SDK's retries are off (`maxAttempts: 1`) so that one policy, the
 * caller's, covers requests and resumed bodies. The version is the ETag, and a read sends it as
 * `If-Match` so that a resumed read of a replaced object fails rather than splicing two versions.
 * MD5 is taken from the ETag only on `stat`, where HeadObject says the object is single-part and not
 * KMS- or customer-key-encrypted (otherwise the ETag is no MD5); listings carry no checksum.
 */
export function createS3Store(options: ResolvedSourceOptions): ObjectStore {
  const client = clientFor(options);
  const description = `S3${options.s3Endpoint === undefined ? '' : ` at ${options.s3Endpoint}`} with the AWS SDK's default credentials`;
  const fail = async (error: unknown, uri: string): Promise<Error> => failure(error, uri, description, await client);

  return {
    description,
    resumesShortReads: true,
    stat: (location) => {
      const uri = formatLocation(location);
      return withRetries(`reading the metadata of ${uri}`, async () => {
        try {
          const { HeadObjectCommand } = await sdk();
          return toStoredObject(uri, await (await client).send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key })));
        } catch (error) {
          if (NOT_FOUND.has((error as Error).name)) return undefined;
          throw await fail(error, uri);
        }
      }, options);
    },
    async *list(bucket, pattern) {
      const where = `s3://${bucket}/${pattern.literalPrefix}`;
      for (let token: string | undefined, page = 1; page === 1 || token !== undefined; page++) {
        const { ListObjectsV2Command } = await sdk();
        const command = new ListObjectsV2Command({ Bucket: bucket, Prefix: pattern.literalPrefix, ...(token === undefined ? {} : { ContinuationToken: token }) });
        const output = await withRetries(`listing ${where} (page ${page})`, async () => {
          try {
            return await (await client).send(command, { abortSignal: options.signal });
          } catch (error) {
            throw await fail(error, where);
          }
        }, options);
        for (const item of output.Contents ?? []) {
          if (item.Key === undefined || !pattern.matches(item.Key)) continue;
          const uri = formatLocation({ kind: 's3', bucket, key: item.Key });
          yield { uri, size: item.Size ?? -1, ...(item.ETag === undefined ? {} : { version: item.ETag }) };
        }
        token = output.IsTruncated === true ? output.NextContinuationToken : undefined;
      }
    },
    async *read(object, start, signal) {
      const { bucket, key } = parseLocation(object.uri);
      try {
        const { GetObjectCommand } = await sdk();
        const output = await (await client).send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: key,
            ...(start > 0 ? { Range: `bytes=${start}-` } : {}),
            ...(object.version === undefined ? {} : { IfMatch: object.version }),
          }),
          { abortSignal: signal },
        );
        yield* output.Body as Readable;
      } catch (error) {
        throw await fail(error, object.uri);
      }
    },
  };
}

function clientFor(options: ResolvedSourceOptions): Promise<S3Client> {
  const cacheKey = `${options.s3Endpoint ?? ''} ${options.s3Region ?? ''} ${options.s3ForcePathStyle}`;
  let client = clients.get(cacheKey);
  if (client === undefined) {
    client = sdk().then(({ S3Client }) => new S3Client({
      maxAttempts: 1,
      forcePathStyle: options.s3ForcePathStyle,
      ...(options.s3Endpoint === undefined ? {} : { endpoint: options.s3Endpoint }),
      ...(options.s3Region === undefined ? {} : { region: options.s3Region }),
    }));
    clients.set(cacheKey, client);
  }
  return client;
}

function toStoredObject(uri: string, head: HeadObjectCommandOutput): StoredObject {
  const etag = head.ETag;
  const plainMd5 =
    etag !== undefined && /^"[0-9a-f]{32}"$/.test(etag) && head.SSECustomerAlgorithm === undefined && !String(head.ServerSideEncryption ?? '').includes('kms');
  return {
    uri,
    size: head.ContentLength ?? -1,
    ...(etag === undefined ? {} : { version: etag }),
    ...(plainMd5 ? { md5: Buffer.from(etag.slice(1, -1), 'hex').toString('base64') } : {}),
  };
}

async function failure(error: unknown, uri: string, description: string, client: S3Client): Promise<Error> {
  if (error instanceof PrescoreError || error instanceof TransientError) return error;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const { name, message } = error as Error;
  if (NOT_FOUND.has(name) || status === 404) return new PrescoreError('SOURCE_NOT_FOUND', `${uri} does not exist in ${description}`, { cause: error });
  if (status === 412) {
    return new PrescoreError('SOURCE_INTEGRITY', `${uri} changed while being read (its ETag no longer matches)`, { hint: 'Run again once it is no longer being written', cause: error });
  }
  if (/checksum mismatch/i.test(message)) return new PrescoreError('SOURCE_INTEGRITY', `${uri} is corrupt: ${message}`, { cause: error });
  if (status === 401 || status === 403 || name === 'CredentialsProviderError') {
    return new PrescoreError('SOURCE_FORBIDDEN', `no permission to read ${uri} in ${description}${await accessKeyOf(client)}: ${message}`, {
      hint: 'Grant s3:GetObject (and s3:ListBucket for prefixes and globs) to these credentials, or set AWS_PROFILE / AWS_ACCESS_KEY_ID',
      cause: error,
    });
  }
  if (/region is missing/i.test(message)) return new PrescoreError('USAGE_MISSING_OPTION', `no AWS region for ${uri}`, { hint: 'Set AWS_REGION', cause: error });
  if ((status !== undefined && isTransientStatus(status)) || isTransientNetworkError(error)) return new TransientError(message, { cause: error });
  return new PrescoreError('SOURCE_READ_FAILED', `cannot read ${uri} from ${description}: ${message}`, { cause: error });
}

async function accessKeyOf(client: S3Client): Promise<string> {
  try {
    return ` (access key ${(await client.config.credentials()).accessKeyId})`;
  } catch {
    return '';
  }
}
