/**
 * The sources stage: turns URIs (paths, `file://`, `gs://`, `s3://`, `http(s)://`, globs, prefixes)
 * into verified byte streams plus the facts a run record needs about them (size, sha256, version).
 */
export { listObjects } from './list-objects.js';
export { openObject } from './open-object.js';
export { fetchModel } from './fetch-model.js';
export { resolveSourceOptions } from './source-options.js';
export type { StoredObject } from './stored-object.js';
export type { ObjectRead } from './read-stored-bytes.js';
export type { FetchedModel, FetchModelOptions } from './fetch-model.js';
export type { ResolvedSourceOptions, SourceOptions } from './source-options.js';
