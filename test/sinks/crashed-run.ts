/**
 * A run whose process dies between write and publish, for the stale-lock
 * tests: `node --import tsx crashed-run.ts OUTPUT SCHEMA|- TABLE RUN_ID`.
 * Exits without abort or close, as a killed job would.
 */
import { openSink } from '../../src/sinks/index.js';
import { runStart, writeScores } from './run-fixtures.js';

const [output, schema, table, runId] = process.argv.slice(2);
if (output === undefined || schema === undefined || table === undefined || runId === undefined) throw new Error('usage: OUTPUT SCHEMA|- TABLE RUN_ID');
const sink = await openSink(output, schema === '-' ? {} : { schema });
const writer = await sink.begin(runStart(table, runId));
await writeScores(writer, ['a', 'b'], 1);
process.exit(0);
