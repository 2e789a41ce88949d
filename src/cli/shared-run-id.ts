import { createHash } from 'node:crypto';

/** What makes two processes shards of the same run: the same model, the same objects as stored, the same options. */
export interface RunIdentity {
  readonly modelSha256: string;
  /** Every object the input lists (not only this shard's), with the version the store reports. */
  readonly objects: readonly { readonly uri: string; readonly size: number; readonly version?: string | undefined }[];
  /** The options that shape the published result (table, mapping, mode, shard count, …); never the shard index. */
  readonly config: Readonly<Record<string, unknown>>;
  /** The engine's name for this execution when it gives one (Cloud Run's CLOUD_RUN_EXECUTION), so a re-run is a new run. */
  readonly execution?: string | undefined;
}

/**
 * The run id every shard of a run computes alike, without talking to the
 * others: `shards-` + 20 hex digits of a sha256 over a canonical JSON of the
 * identity (object keys sorted, objects in name order). A changed model, a
 * re-exported input (new generation or ETag) or a different option gives a
 * different id, so shards that saw different inputs never mix. Pure.
 */
export function sharedRunId(identity: RunIdentity): string {
  const objects = [...identity.objects]
    .map((o) => ({ uri: o.uri, size: o.size, version: o.version ?? null }))
    .sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  const text = canonicalJson({ modelSha256: identity.modelSha256, objects, config: identity.config, execution: identity.execution ?? null });
  return `shards-${createHash('sha256').update(text).digest('hex').slice(0, 20)}`;
}

/** JSON with object keys sorted at every level and undefined members left out, so equal values give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
