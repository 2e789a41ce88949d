import { createGcsStore } from './gcs-store.js';
import { createHttpStore } from './http-store.js';
import { localStore } from './local-store.js';
import { createS3Store } from './s3-store.js';
import type { StoreKind } from './object-location.js';
import type { ObjectStore } from './object-store.js';
import type { ResolvedSourceOptions } from './source-options.js';

/** The store that serves URIs of `kind` with these options (clients are shared between calls with the same endpoint settings). */
export function storeFor(kind: StoreKind, options: ResolvedSourceOptions): ObjectStore {
  if (kind === 'file') return localStore;
  if (kind === 'gs') return createGcsStore(options);
  if (kind === 'http') return createHttpStore(options);
  return createS3Store(options);
}
