import { createHash, type Hash } from 'node:crypto';
import { PrescoreError } from '../errors/index.js';
import { Crc32c } from './crc32c.js';
import type { StoredObject } from './stored-object.js';

/**
 * Hashes an object's stored bytes as they stream: always sha256 (recorded in the run record), plus the
 * checksum the store reported, to verify at the end. MD5 is preferred to CRC32C when both are
 * reported because node:crypto computes it natively. The GCS client's own check is not relied on:
 * it is skipped for ranged reads and, silently, when the response lacks
 * `x-goog-stored-content-encoding` (see NOTES-cloud-storage.md).
 */
export class StoredBytesDigest {
  private readonly sha256 = createHash('sha256');
  private readonly md5: Hash | undefined;
  private readonly crc32c: Crc32c | undefined;
  private received = 0;

  constructor(private readonly object: StoredObject) {
    this.md5 = object.md5 === undefined ? undefined : createHash('md5');
    this.crc32c = object.md5 === undefined && object.crc32c !== undefined ? new Crc32c() : undefined;
  }

  /** Bytes hashed so far. */
  get size(): number {
    return this.received;
  }

  /** Adds the next bytes. Throws SOURCE_INTEGRITY when they run past the object's stated size. */
  update(bytes: Uint8Array): void {
    this.received += bytes.length;
    if (this.object.size >= 0 && this.received > this.object.size) {
      throw this.mismatch(`received more than the ${this.object.size} bytes the store reported`);
    }
    this.sha256.update(bytes);
    this.md5?.update(bytes);
    this.crc32c?.update(bytes);
  }

  /** Checks the reported checksum and returns the sha256 (lowercase hex). Throws SOURCE_INTEGRITY on a mismatch. */
  finish(): string {
    if (this.md5 !== undefined) {
      const actual = this.md5.digest('base64');
      if (actual !== this.object.md5) throw this.mismatch(`MD5 of the bytes read is ${actual}, the store reports ${this.object.md5}`);
    } else if (this.crc32c !== undefined) {
      const actual = this.crc32c.base64();
      if (actual !== this.object.crc32c) throw this.mismatch(`CRC32C of the bytes read is ${actual}, the store reports ${this.object.crc32c}`);
    }
    return this.sha256.digest('hex');
  }

  private mismatch(what: string): PrescoreError {
    return new PrescoreError('SOURCE_INTEGRITY', `${this.object.uri} is corrupt or changed while being read: ${what}`, {
      hint: 'Run again; if it persists, the stored object itself is damaged',
    });
  }
}
