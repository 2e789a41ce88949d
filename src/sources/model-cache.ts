import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { InputObject } from '../sinks/index.js';
import type { StoredObject } from './stored-object.js';

/** What the cache remembers beside a model's bytes. */
interface CacheEntry {
  readonly uri: string;
  readonly version: string;
  readonly size: number;
  readonly sha256: string;
}

/**
 * A directory of downloaded models, one folder per URI holding the bytes of its latest version and a
 * JSON entry (`uri`, `version`, `size`, `sha256`). An entry is reused only while the store reports the
 * same version (GCS generation, ETag) and the bytes still hash to the recorded sha256. Files are written
 * under temporary names and renamed, so a concurrent run (another shard) never reads half a model.
 */
export class ModelCache {
  constructor(private readonly dir: string) {}

  /** The cached bytes of exactly this version of `object`, or undefined (a miss, an unreadable or damaged entry). */
  async get(object: StoredObject): Promise<{ readonly bytes: Uint8Array; readonly object: InputObject } | undefined> {
    if (object.version === undefined) return undefined;
    const { entryFile, bytesFile } = this.files(object.uri, object.version);
    try {
      const entry = JSON.parse(await readFile(entryFile, 'utf8')) as CacheEntry;
      if (entry.uri !== object.uri || entry.version !== object.version || entry.size !== object.size) return undefined;
      const bytes = await readFile(bytesFile);
      if (bytes.length !== entry.size || sha256Hex(bytes) !== entry.sha256) return undefined;
      return { bytes, object: entry };
    } catch {
      return undefined;
    }
  }

  /**
   * Stores `bytes` as the cached copy of `object` and drops the URI's older versions. Best effort:
   * failing to write (read-only or full disk) leaves the cache as it was and is not an error, since
   * the model is already in memory.
   */
  async put(object: InputObject, bytes: Uint8Array): Promise<void> {
    if (object.version === undefined || object.sha256 === undefined) return;
    const { folder, entryFile, bytesFile } = this.files(object.uri, object.version);
    const entry: CacheEntry = { uri: object.uri, version: object.version, size: object.size, sha256: object.sha256 };
    const temporary = `.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await mkdir(folder, { recursive: true });
      await writeFile(bytesFile + temporary, bytes);
      await rename(bytesFile + temporary, bytesFile);
      await writeFile(entryFile + temporary, JSON.stringify(entry));
      await rename(entryFile + temporary, entryFile);
      const keep = new Set([path.basename(bytesFile), path.basename(entryFile)]);
      for (const name of await readdir(folder)) {
        if (!keep.has(name) && !name.endsWith('.tmp')) await rm(path.join(folder, name), { force: true });
      }
    } catch {
      await rm(bytesFile + temporary, { force: true }).catch(() => undefined);
      await rm(entryFile + temporary, { force: true }).catch(() => undefined);
    }
  }

  private files(uri: string, version: string): { folder: string; entryFile: string; bytesFile: string } {
    // Hashed names: URIs and ETags hold characters (quotes, slashes, colons) no file name should.
    const folder = path.join(this.dir, sha256Hex(uri).slice(0, 32));
    const stem = path.join(folder, sha256Hex(version).slice(0, 16));
    return { folder, entryFile: `${stem}.json`, bytesFile: `${stem}.model` };
  }
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
