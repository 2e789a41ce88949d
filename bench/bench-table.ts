/**
 * The start of a benchmark table (bench/out/table-1000000.csv by default, written by `make bench`) as
 * a worker gets it: ~1 MiB chunks of whole records, with the parse spec of its 32 numeric features.
 * For the one-thread benchmarks of parsing (parse-chunks.ts, parse-libraries.ts).
 */
import { readFileSync } from 'node:fs';

import { countLines } from '../src/chunking/index.js';
import type { ParseSpec } from '../src/scoring/index.js';

export interface BenchTable {
  readonly header: string[];
  readonly chunks: Buffer[];
  /** Rows in `chunks`: at least the number asked for, up to the end of the chunk that reaches it. */
  readonly rows: number;
  /** The id column, then every other column as a number. */
  readonly parse: ParseSpec;
}

/** The table the one-thread benchmarks read unless told otherwise. */
export const BENCH_TABLE = 'table-1000000.csv';

export function benchTable(rowsWanted: number, file = BENCH_TABLE): BenchTable {
  const table = readFileSync(new URL(`./out/${file}`, import.meta.url));
  const headerEnd = table.indexOf(0x0a);
  const header = table.subarray(0, headerEnd).toString().split(',');
  const chunks: Buffer[] = [];
  let rows = 0;
  for (let at = headerEnd + 1; rows < rowsWanted; ) {
    const end = table.indexOf(0x0a, Math.min(table.length - 1, at + (1 << 20)));
    if (end === -1) break;
    const chunk = Buffer.from(table.subarray(at, end + 1));
    chunks.push(chunk);
    rows += countLines(chunk);
    at = end + 1;
  }
  const numeric = header.slice(1).map((_, i) => i + 1);
  const parse: ParseSpec = { delimiter: 0x2c, header, idColumn: 0, numeric, text: [], naValues: ['', 'NA'], maxFieldBytes: 1 << 20, maxIdBytes: 1024 };
  return { header, chunks, rows, parse };
}
