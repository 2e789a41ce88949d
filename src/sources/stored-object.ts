/** One object (bucket object, file, URL) as its store describes it, before it is read. Plain data. */
export interface StoredObject {
  /** Canonical URI: `file:///abs/path`, `gs://bucket/name`, `s3://bucket/key`, `https://…`. */
  readonly uri: string;
  /** Bytes as stored (before gzip decoding); -1 when an HTTP server does not say. */
  readonly size: number;
  /** GCS generation, S3/HTTP ETag, or local mtime in ms: changes whenever the content may have. */
  readonly version?: string;
  /** CRC32C of the stored bytes as the store reports it: base64 of the big-endian uint32. */
  readonly crc32c?: string;
  /** MD5 of the stored bytes as the store reports it: base64 of the 16-byte digest. */
  readonly md5?: string;
}
