import type { GlobPattern } from './glob-pattern.js';
import type { ObjectLocation } from './object-location.js';
import type { StoredObject } from './stored-object.js';

/**
 * What the sources stage needs from one kind of store (local disk, GCS, S3, HTTP). Each adapter is
 * the only importer of its client library. Methods throw PrescoreError for permanent failures
 * (SOURCE_NOT_FOUND, SOURCE_FORBIDDEN) and TransientError for ones worth retrying; `stat` and `list`
 * retry their own requests, `read` does not (the caller resumes it from the last byte received).
 */
export interface ObjectStore {
  /** Names the store and the credentials in use, for error messages. */
  readonly description: string;
  /** Whether a body that ends short is a dropped connection to resume (remote stores) rather than an object that changed (local files). */
  readonly resumesShortReads: boolean;
  /** Describes the object at `location`, or undefined when there is none (a directory counts as none). */
  stat(location: ObjectLocation): Promise<StoredObject | undefined>;
  /** The objects of `bucket` whose names match `pattern`, in any order. Throws SOURCE_UNSUPPORTED_URI when the store cannot list. */
  list(bucket: string, pattern: GlobPattern): AsyncIterable<StoredObject>;
  /**
   * The stored bytes of `object` (its `version`, when the store can pin one) from byte `start` on. Stops
   * when `signal` aborts. With `reuseBuffers` the store may read into a buffer again once the consumer
   * has asked for two more (local files do), for a consumer that copies what it keeps.
   */
  read(object: StoredObject, start: number, signal: AbortSignal, reuseBuffers?: boolean): AsyncIterable<Uint8Array>;
}
