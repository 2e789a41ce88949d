import { PrescoreError } from '../errors/index.js';
import { compileGlob, hasWildcard } from './glob-pattern.js';
import { parseLocation, type ObjectLocation } from './object-location.js';
import type { ObjectStore } from './object-store.js';
import { resolveSourceOptions, type SourceOptions } from './source-options.js';
import { storeFor } from './store-for.js';
import type { StoredObject } from './stored-object.js';

/**
 * Expands a comma-separated list of inputs into the objects to read, each input's objects ordered by
 * name (plain code-unit order: exports number their parts with zero padding), inputs in the order
 * given, an object named twice kept once. An input is one of:
 * - a path, `file://`, `gs://`, `s3://` or `http(s)://` URI naming one object;
 * - a glob (`gs://b/export/part-*.csv`, `data/*.csv.gz`): `*` and `?` match within one path segment;
 * - a directory or prefix (`gs://b/export/`, `data/`, or a name that is no object but a prefix): the
 *   objects directly inside it, skipping names starting with `.` or `_` (`_SUCCESS` and other markers
 *   that Spark and Hadoop write beside their parts).
 * Throws SOURCE_NOT_FOUND when an input matches nothing, SOURCE_UNSUPPORTED_URI for an unknown scheme
 * or a glob over https, SOURCE_FORBIDDEN, SOURCE_READ_FAILED.
 */
export async function listObjects(spec: string, options: SourceOptions = {}): Promise<StoredObject[]> {
  const resolved = resolveSourceOptions(options);
  const inputs = spec.split(',').map((input) => input.trim()).filter((input) => input !== '');
  if (inputs.length === 0) throw new PrescoreError('SOURCE_NOT_FOUND', 'no input given', { hint: 'Name at least one file or URI' });
  const byUri = new Map<string, StoredObject>();
  for (const input of inputs) {
    const location = parseLocation(input);
    const store = storeFor(location.kind, resolved);
    const objects = await expand(location, store);
    if (objects.length === 0) {
      throw new PrescoreError('SOURCE_NOT_FOUND', `${input} matches no object in ${store.description}`, {
        hint: hasWildcard(location.key) ? 'Check the pattern: * and ? do not match /' : 'Check the name, and the bucket or directory',
      });
    }
    for (const object of objects.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0))) {
      if (!byUri.has(object.uri)) byUri.set(object.uri, object);
    }
  }
  return [...byUri.values()];
}

async function expand(location: ObjectLocation, store: ObjectStore): Promise<StoredObject[]> {
  const { kind, bucket, key } = location;
  if (kind === 'http') {
    const object = await store.stat(location);
    return object === undefined ? [] : [object];
  }
  if (hasWildcard(key)) return collect(store.list(bucket, compileGlob(key)), () => true);
  if (key !== '' && !key.endsWith('/')) {
    const object = await store.stat(location);
    if (object !== undefined) return [object];
  }
  const directory = key === '' || key.endsWith('/') ? key : `${key}/`;
  return collect(store.list(bucket, compileGlob(`${directory}*`)), (name) => !/^[._]/.test(name));
}

async function collect(objects: AsyncIterable<StoredObject>, keep: (name: string) => boolean): Promise<StoredObject[]> {
  const kept: StoredObject[] = [];
  for await (const object of objects) {
    const name = object.uri.slice(object.uri.lastIndexOf('/') + 1);
    // `*` matches the empty name of a `prefix/` placeholder object: never data.
    if (name !== '' && keep(name)) kept.push(object);
  }
  return kept;
}
