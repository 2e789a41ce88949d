/**
 * Size of the buffers sources read and decompress into: 1 MiB. Large reads keep per-chunk costs
 * (syscalls, hashing calls, promise turns) negligible; the chunker re-cuts them on record boundaries.
 */
export const READ_CHUNK_BYTES = 1 << 20;
