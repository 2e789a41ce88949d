/**
 * Parse libraries against prescore's own parser, on one thread: what a worker could use to turn the
 * benchmark table's bytes into numbers (BENCHMARKS.md, "Parsing: libraries against our own").
 *
 * Usage: npx tsx bench/parse-libraries.ts [--rows N] [--rounds K]   (run `make bench` once first, for the table)
 * Reads the first N rows (default 200,000) of bench/out/table-1000000.csv as 1 MiB chunks of whole
 * records, then parses them K times (default 5) with each parser in turn and prints the median rows/s
 * of the last K-1 rounds (the first warms the JIT). Every parser starts from the chunk's bytes, as a
 * worker does, and ends with every numeric cell as a number; each must count the same rows.
 */
import { parseArgs } from 'node:util';

import { parse as csvParse } from 'csv-parse/sync';
import Papa from 'papaparse';
import { inferSchema, initParser } from 'udsv';

import { parseChunk } from '../src/scoring/column-parser.js';
import { benchTable } from './bench-table.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '5' } } });
const { header, chunks, rows, parse: spec } = benchTable(Number(values.rows));
const headerLine = `${header.join(',')}\n`;
const sample = chunks[0]!.toString('latin1', 0, 4096);
const schema = initParser(inferSchema(headerLine + sample.slice(0, sample.lastIndexOf('\n') + 1)));

/** Each parser: the chunk's bytes in, the number of rows whose cells all came out as numbers. */
const parsers: Record<string, (bytes: Buffer) => number> = {
  'prescore parseChunk (bytes → Float64Array columns)': (bytes) => parseChunk({ index: 0, source: 'bench', firstLine: 2, bytes }, spec).rows,
  'csv-parse 6, strings, then Number()': (bytes) => {
    const records = csvParse(bytes) as string[][];
    for (const record of records) for (let c = 1; c < record.length; c++) Number(record[c]);
    return records.length;
  },
  'csv-parse 6, cast: true': (bytes) => (csvParse(bytes, { cast: true }) as unknown[][]).length,
  'papaparse 5, dynamicTyping': (bytes) => Papa.parse(bytes.toString('utf8'), { dynamicTyping: true, skipEmptyLines: true }).data.length,
  'papaparse 5, dynamicTyping + fastMode (no quotes allowed)': (bytes) =>
    Papa.parse(bytes.toString('utf8'), { dynamicTyping: true, fastMode: true, skipEmptyLines: true }).data.length,
  'udsv 0.7, typedCols': (bytes) => (schema.typedCols(headerLine + bytes.toString('utf8'))[0] as unknown[]).length,
};

console.log(`${rows.toLocaleString('en-US')} rows in ${chunks.length} chunks of ~1 MiB; rows/s on one thread, median of rounds 2-${values.rounds}\n`);
console.log('| parser | rows/s |\n|---|---:|');
for (const [name, run] of Object.entries(parsers)) {
  const perRound: number[] = [];
  for (let round = 1; round <= Number(values.rounds); round++) {
    let counted = 0;
    const started = performance.now();
    for (const bytes of chunks) counted += run(bytes);
    const seconds = (performance.now() - started) / 1000;
    if (counted !== rows) throw new Error(`${name} counted ${counted} rows, not ${rows}`);
    if (round > 1) perRound.push(rows / seconds);
  }
  perRound.sort((a, b) => a - b);
  console.log(`| ${name} | ${Math.round(perRound[Math.floor(perRound.length / 2)]!).toLocaleString('en-US')} |`);
}
