import type { File, FileMetadata, Storage } from '@google-cloud/storage';
import { PrescoreError } from '../errors/index.js';
import { formatLocation, parseLocation } from './object-location.js';
import type { ObjectStore } from './object-store.js';
import { withRetries } from './retry-policy.js';
import type { ResolvedSourceOptions } from './source-options.js';
import type { StoredObject } from './stored-object.js';
import { isTransientNetworkError, isTransientStatus, TransientError } from './transient-error.js';

const PAGE_SIZE = 1000;
// Promises of clients, so that the library loads (~130 ms) only in runs that read gs:// at all.
const clients = new Map<string, Promise<Storage>>();

/**
 * `gs://` through @google-cloud/storage (the only importer of it). The client's own retries are off
 * (`autoRetry: false`): the caller's retry loops and resumption cover metadata, listing pages and
 * bodies with one policy, and the client cannot retry a body once it streams anyway. Its checksum
 * validation is off too: StoredBytesDigest checks the whole object, ranged or not.
 * Endpoint: `gcsEndpoint` (no credentials), else `gcsEmulatorHost` (no credentials, no `/storage/v1`
 * prefix, as the client does with STORAGE_EMULATOR_HOST), else Google with Application Default Credentials.
 */
export function createGcsStore(options: ResolvedSourceOptions): ObjectStore {
  const client = clientFor(options);
  const description =
    options.gcsEndpoint !== undefined ? `GCS at ${options.gcsEndpoint} (anonymous)`
    : options.gcsEmulatorHost !== undefined ? `the GCS emulator at ${options.gcsEmulatorHost} (no credentials)`
    : 'GCS with Application Default Credentials';
  const fail = async (error: unknown, uri: string): Promise<Error> => failure(error, uri, description, await client);

  return {
    description,
    resumesShortReads: true,
    async stat(location) {
      const uri = formatLocation(location);
      const file = (await client).bucket(location.bucket).file(location.key);
      return withRetries(`reading the metadata of ${uri}`, async () => {
        try {
          const [metadata] = await file.getMetadata();
          return toStoredObject(location.bucket, metadata);
        } catch (error) {
          if (statusOf(error) === 404) return undefined;
          throw await fail(error, uri);
        }
      }, options);
    },
    async *list(bucketName, pattern) {
      const bucket = (await client).bucket(bucketName);
      const where = `gs://${bucketName}/${pattern.literalPrefix}`;
      for (let pageToken: string | undefined, page = 1; page === 1 || pageToken !== undefined; page++) {
        const query = { prefix: pattern.literalPrefix, autoPaginate: false, maxResults: PAGE_SIZE, ...(pageToken === undefined ? {} : { pageToken }) };
        const [files, next] = await withRetries(`listing ${where} (page ${page})`, async () => {
          try {
            return await bucket.getFiles(query);
          } catch (error) {
            throw await fail(error, where);
          }
        }, options);
        for (const file of files) if (pattern.matches(file.name)) yield toStoredObject(bucketName, file.metadata);
        pageToken = (next as { pageToken?: string } | null)?.pageToken ?? undefined;
      }
    },
    async *read(object, start, signal) {
      const { bucket, key } = parseLocation(object.uri);
      // Pinning the generation makes a resumed read of a replaced object fail rather than splice two versions.
      const file: File = (await client).bucket(bucket).file(key, object.version === undefined ? {} : { generation: object.version });
      const stream = file.createReadStream({ validation: false, decompress: false, ...(start > 0 ? { start } : {}) });
      const abort = (): void => void stream.destroy(signal.reason as Error);
      signal.addEventListener('abort', abort, { once: true });
      try {
        yield* stream;
      } catch (error) {
        if (start > 0 && statusOf(error) === 404) {
          throw new PrescoreError('SOURCE_INTEGRITY', `${object.uri} was replaced or deleted while being read (generation ${String(object.version)} is gone)`, {
            hint: 'Run again once it is no longer being written',
            cause: error,
          });
        }
        throw await fail(error, object.uri);
      } finally {
        signal.removeEventListener('abort', abort);
        stream.destroy();
      }
    },
  };
}

function clientFor(options: ResolvedSourceOptions): Promise<Storage> {
  const cacheKey = `${options.gcsEndpoint ?? ''} ${options.gcsEmulatorHost ?? ''} ${options.idleTimeoutMs}`;
  let client = clients.get(cacheKey);
  if (client === undefined) {
    client = createClient(withScheme(options.gcsEndpoint ?? options.gcsEmulatorHost), options.gcsEndpoint === undefined, options.idleTimeoutMs);
    clients.set(cacheKey, client);
  }
  return client;
}

async function createClient(apiEndpoint: string | undefined, emulated: boolean, timeout: number): Promise<Storage> {
  const { Storage } = await import('@google-cloud/storage');
  // `timeout` bounds the wait for a metadata or listing answer (a download's body is the watchdog's).
  const storage = new Storage({ ...(apiEndpoint === undefined ? {} : { apiEndpoint }), retryOptions: { autoRetry: false }, timeout });
  // The client drops `/storage/v1` only when it reads STORAGE_EMULATOR_HOST itself; only src/cli reads
  // the environment, so the same base URL is set here from the value passed in.
  if (emulated && apiEndpoint !== undefined) storage.baseUrl = apiEndpoint;
  return storage;
}

function withScheme(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  return (/^https?:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`).replace(/\/+$/, '');
}

function toStoredObject(bucket: string, metadata: FileMetadata): StoredObject {
  return {
    uri: formatLocation({ kind: 'gs', bucket, key: String(metadata.name) }),
    size: Number(metadata.size),
    ...(metadata.generation === undefined ? {} : { version: String(metadata.generation) }),
    ...(metadata.crc32c === undefined ? {} : { crc32c: metadata.crc32c }),
    ...(metadata.md5Hash === undefined ? {} : { md5: metadata.md5Hash }),
  };
}

function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

async function failure(error: unknown, uri: string, description: string, storage: Storage): Promise<Error> {
  if (error instanceof PrescoreError || error instanceof TransientError) return error;
  const status = statusOf(error);
  const message = (error as Error).message;
  if (status === 404) return new PrescoreError('SOURCE_NOT_FOUND', `${uri} does not exist in ${description}`, { cause: error });
  if (status === 401 || status === 403 || /default credentials/i.test(message)) {
    const account = description.includes('Application Default') ? await accountOf(storage) : '';
    return new PrescoreError('SOURCE_FORBIDDEN', `no permission to read ${uri} in ${description}${account}: ${message}`, {
      hint: 'Grant the account roles/storage.objectViewer on the bucket, or point GOOGLE_APPLICATION_CREDENTIALS at an account that has it',
      cause: error,
    });
  }
  if ((status !== undefined && isTransientStatus(status)) || isTransientNetworkError(error)) return new TransientError(message, { cause: error });
  return new PrescoreError('SOURCE_READ_FAILED', `cannot read ${uri} from ${description}: ${message}`, { cause: error });
}

async function accountOf(storage: Storage): Promise<string> {
  try {
    const credentials = await storage.authClient.getCredentials();
    return credentials.client_email === undefined ? '' : ` (account ${credentials.client_email})`;
  } catch {
    return '';
  }
}
