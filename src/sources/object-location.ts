import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { PrescoreError } from '../errors/index.js';

/** The kinds of store a URI can name; a bare path is `file`. */
export const STORE_KINDS = ['file', 'gs', 's3', 'http'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/**
 * Where an object lives. `key` is the absolute path for `file`, the object name for `gs`/`s3`
 * (may hold glob characters or end with `/` before expansion), the whole URL for `http`.
 */
export interface ObjectLocation {
  readonly kind: StoreKind;
  readonly bucket: string;
  readonly key: string;
}

const BUCKET_SCHEMES = { 'gs://': 'gs', 's3://': 's3' } as const;

/**
 * Parses a URI or a path (relative paths resolve against the working directory). No glob expansion.
 * Throws SOURCE_UNSUPPORTED_URI for an unknown scheme, a `gs://`/`s3://` URI without a bucket,
 * or a `file://` URI naming another host.
 */
export function parseLocation(spec: string): ObjectLocation {
  for (const [prefix, kind] of Object.entries(BUCKET_SCHEMES)) {
    if (!spec.startsWith(prefix)) continue;
    const rest = spec.slice(prefix.length);
    const slash = rest.indexOf('/');
    const bucket = slash === -1 ? rest : rest.slice(0, slash);
    if (bucket === '') throw unsupported(spec, 'it names no bucket');
    return { kind, bucket, key: slash === -1 ? '' : rest.slice(slash + 1) };
  }
  if (/^https?:\/\//i.test(spec)) return { kind: 'http', bucket: '', key: spec };
  if (/^file:/i.test(spec)) return { kind: 'file', bucket: '', key: filePath(spec) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) throw unsupported(spec, 'the scheme is not one of gs://, s3://, https://, file://');
  return { kind: 'file', bucket: '', key: path.resolve(spec) };
}

/** The canonical URI of a location: the inverse of `parseLocation`. */
export function formatLocation(location: ObjectLocation): string {
  switch (location.kind) {
    case 'file':
      return pathToFileURL(location.key).href;
    case 'http':
      return location.key;
    default:
      return `${location.kind}://${location.bucket}/${location.key}`;
  }
}

function filePath(spec: string): string {
  // `new URL` would read a glob's `?` as the start of a query, so only the host is checked through it.
  const match = /^file:\/\/(localhost)?(\/.*)$/i.exec(spec);
  if (match === null) throw unsupported(spec, 'file URIs must be file:///absolute/path');
  try {
    return fileURLToPath(`file://${match[2]!.replaceAll('?', '%3F').replaceAll('#', '%23')}`);
  } catch (error) {
    throw unsupported(spec, 'it is not a valid file URI', error);
  }
}

function unsupported(spec: string, why: string, cause?: unknown): PrescoreError {
  return new PrescoreError('SOURCE_UNSUPPORTED_URI', `cannot read ${JSON.stringify(spec)}: ${why}`, {
    hint: 'Use a path, file:///path, gs://bucket/name, s3://bucket/key or https://host/path',
    cause,
  });
}
