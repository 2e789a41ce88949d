// A production-like SQLite reader in its own thread (better-sqlite3 blocks its thread while it reads):
// loops a count/run-id summary and a point lookup on the published table until told to stop, and
// posts what it saw. Statements are prepared once, as a service would; SQLite re-prepares them when
// a publish changes the schema.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, table, stop } = workerData;
const flag = new Int32Array(stop);
const db = new Database(path, { readonly: true });
db.pragma('busy_timeout = 5000');
const summary = db.prepare(`SELECT count(*) AS n, min(run_id) AS first, max(run_id) AS last FROM "${table}"`);
const lookup = db.prepare(`SELECT score FROM "${table}" WHERE entity_id = ?`);
const seen = new Map();
const errors = [];
let reads = 0;
while (Atomics.load(flag, 0) === 0) {
  try {
    const { n, first, last } = summary.get();
    const found = lookup.get('e0') !== undefined;
    const key = JSON.stringify({ n, first, last, found });
    seen.set(key, (seen.get(key) ?? 0) + 1);
    reads++;
  } catch (error) {
    errors.push(String(error));
  }
}
db.close();
parentPort.postMessage({ reads, errors: errors.slice(0, 10), seen: [...seen.keys()].map((k) => JSON.parse(k)) });
