import { createReadStream } from 'node:fs';
import { open, readdir, stat, type FileReadResult } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrescoreError } from '../errors/index.js';
import type { GlobPattern } from './glob-pattern.js';
import { formatLocation, type ObjectLocation } from './object-location.js';
import type { ObjectStore } from './object-store.js';
import { READ_CHUNK_BYTES } from './read-chunk-bytes.js';
import type { StoredObject } from './stored-object.js';

const MISSING = new Set(['ENOENT', 'ENOTDIR']);
const DENIED = new Set(['EACCES', 'EPERM']);

/**
 * Local files. The version is the mtime in whole milliseconds; there is no stored checksum, and no
 * retries: a local read error is not transient. Globs walk the directory tree one segment at a time,
 * so `/data/*.csv` reads one directory whatever lies below it.
 */
export const localStore: ObjectStore = {
  description: 'the local file system',
  resumesShortReads: false,
  stat: (location) => statFile(location.key),
  list: (_bucket, pattern) => walk('/', pattern.segments.slice(1)),
  async *read(object, start, signal, reuseBuffers = false) {
    const file = fileURLToPath(object.uri);
    try {
      yield* reuseBuffers ? readReusing(file, start, signal) : createReadStream(file, { start, highWaterMark: READ_CHUNK_BYTES, signal });
    } catch (error) {
      throw fsError(error, object.uri);
    }
  },
};

/**
 * The file from `start` on, read into three buffers in turn, so that a run allocates three read buffers
 * instead of one per MiB (each was garbage until the main thread's next collection: BENCHMARKS.md,
 * "Memory"). The next read runs while the consumer works on the current buffer, as a read stream's
 * does (without it, reading and cutting a 10M-row table took 3.2 s instead of 2.6 s); so a buffer is
 * read into again once the consumer has asked for two more (openObject peeks at the first for
 * gzip's magic bytes while it asks for the second).
 */
async function* readReusing(file: string, start: number, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const handle = await open(file, 'r');
  const buffers = Array.from({ length: 3 }, () => Buffer.allocUnsafeSlow(READ_CHUNK_BYTES));
  let position = start;
  let turn = 0;
  const readAhead = (): Promise<FileReadResult<Buffer>> => {
    const read = handle.read(buffers[turn]!, 0, READ_CHUNK_BYTES, position);
    read.catch(() => undefined); // awaited on the next step; until then its failure is not unhandled
    return read;
  };
  let next = readAhead();
  try {
    for (;;) {
      const { bytesRead, buffer } = await next;
      if (bytesRead === 0) return;
      signal.throwIfAborted();
      position += bytesRead;
      turn = (turn + 1) % buffers.length;
      next = readAhead();
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await next.catch(() => undefined); // a read still running must end before its file is closed
    await handle.close();
  }
}

async function statFile(file: string): Promise<StoredObject | undefined> {
  const location: ObjectLocation = { kind: 'file', bucket: '', key: file };
  try {
    const stats = await stat(file);
    if (!stats.isFile()) return undefined;
    return { uri: formatLocation(location), size: stats.size, version: String(Math.trunc(stats.mtimeMs)) };
  } catch (error) {
    if (MISSING.has(codeOf(error))) return undefined;
    throw fsError(error, formatLocation(location));
  }
}

async function* walk(dir: string, segments: GlobPattern['segments']): AsyncGenerator<StoredObject> {
  const [head, ...rest] = segments;
  if (head === undefined) return;
  if (typeof head === 'string') {
    yield* descend(path.join(dir, head), rest);
    return;
  }
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (MISSING.has(codeOf(error))) return;
    throw fsError(error, formatLocation({ kind: 'file', bucket: '', key: dir }));
  }
  for (const name of names.filter((entry) => head.test(entry))) yield* descend(path.join(dir, name), rest);
}

async function* descend(entry: string, rest: GlobPattern['segments']): AsyncGenerator<StoredObject> {
  if (rest.length > 0) {
    yield* walk(entry, rest); // a non-directory entry just matches nothing below it
    return;
  }
  const object = await statFile(entry); // follows symlinks, skips directories
  if (object !== undefined) yield object;
}

function fsError(error: unknown, uri: string): PrescoreError {
  const code = codeOf(error);
  if (MISSING.has(code)) return new PrescoreError('SOURCE_NOT_FOUND', `${uri} does not exist`, { cause: error });
  if (DENIED.has(code)) {
    return new PrescoreError('SOURCE_FORBIDDEN', `no permission to read ${uri}`, { hint: 'Check the file permissions', cause: error });
  }
  return new PrescoreError('SOURCE_READ_FAILED', `cannot read ${uri}: ${(error as Error).message}`, { cause: error });
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}
