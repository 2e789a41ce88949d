import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GcsTestServer } from '../support/gcs-server.js';
import { ROOT, runCli } from '../support/run-cli.js';

let gcs: GcsTestServer;
let dir: string;

/** fixtures/customers.csv cut into `parts` files, each with the header, as BigQuery exports are. */
function partsOf(text: string, parts: number): string[] {
  const [header, ...rows] = text.trimEnd().split('\n');
  // Records can span lines (quoted newlines): cut only before a line that starts a record.
  const starts = rows.map((line, i) => (/^C\d{6},/.test(line) ? i : -1)).filter((i) => i >= 0);
  const cuts = Array.from({ length: parts - 1 }, (_, p) => starts[Math.floor(((p + 1) * starts.length) / parts)]!);
  const bounds = [0, ...cuts, rows.length];
  return bounds.slice(1).map((end, p) => `${header}\n${rows.slice(bounds[p], end).join('\n')}\n`);
}

function published(db: string, table: string): unknown[] {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare(`SELECT entity_id, score, model_version FROM "${table}" ORDER BY entity_id`).all();
  } finally {
    conn.close();
  }
}

beforeAll(async () => {
  gcs = await GcsTestServer.start();
  dir = mkdtempSync(join(tmpdir(), 'prescore-gcs-'));
  gcs.put('models', 'churn/trees.onnx', readFileSync(join(ROOT, 'fixtures/models/trees.onnx')));
  const parts = partsOf(readFileSync(join(ROOT, 'fixtures/customers.csv'), 'utf8'), 3);
  gcs.put('exports', 'customers/part-000.csv', parts[0]!);
  gcs.put('exports', 'customers/part-001.csv.gz', gzipSync(parts[1]!));
  gcs.put('exports', 'customers/part-002.csv', parts[2]!);
  gcs.put('exports', 'customers/_SUCCESS', '');
});
afterAll(() => gcs.close());

describe('prescore score from gs://', () => {
  const gsScore = (db: string, input = 'gs://exports/customers/part-*') =>
    runCli([
      'score',
      '--model', 'gs://models/churn/trees.onnx',
      '--input', input,
      '--id-column', 'customer_id',
      '--output', db,
      '--table', 'scores',
      '--gcs-endpoint', gcs.endpoint,
      '--cache-dir', join(dir, 'cache'),
    ]);

  it('publishes exactly what the same files give locally, and reuses the cached model', async () => {
    const local = join(dir, 'local.db');
    const fromLocal = await runCli(['score', '--model', join(ROOT, 'fixtures/models/trees.onnx'), '--input', join(ROOT, 'fixtures/customers.csv'), '--id-column', 'customer_id', '--output', local, '--table', 'scores']);
    expect(fromLocal.exitCode).toBe(0);

    const remote = join(dir, 'gcs.db');
    const first = await gsScore(remote);
    expect(first.stderr).not.toContain('"level":"error"');
    expect(first.exitCode).toBe(0);
    expect(published(remote, 'scores')).toEqual(published(local, 'scores'));
    const summary = JSON.parse(first.stdout) as { inputs: { uri: string; version: string; sha256: string }[] };
    expect(summary.inputs.map((i) => i.uri)).toEqual(['gs://exports/customers/part-000.csv', 'gs://exports/customers/part-001.csv.gz', 'gs://exports/customers/part-002.csv']);
    for (const input of summary.inputs) expect(input).toMatchObject({ version: expect.stringMatching(/^\d+$/), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const modelMedia = () => gcs.log.filter((r) => r.kind === 'media' && r.bucket === 'models').length;
    expect(modelMedia()).toBe(1);
    const second = await gsScore(remote);
    expect(second.exitCode).toBe(0);
    expect(second.stderr).toContain('"cached":true');
    expect(modelMedia()).toBe(1);
  });

  it('stops before publishing when a part fails its checksum, leaving the table as it was', async () => {
    const db = join(dir, 'integrity.db');
    // Named objects (a comma list): each one's checksum comes from its own metadata request.
    const named = ['part-000.csv', 'part-001.csv.gz', 'part-002.csv'].map((p) => `gs://exports/customers/${p}`).join(',');
    expect((await gsScore(db, named)).exitCode).toBe(0);
    const before = published(db, 'scores');
    gcs.serveWrongChecksum('exports', 'customers/part-002.csv');
    const failed = await gsScore(db, named);
    expect(failed.exitCode).toBe(5);
    expect(failed.stderr).toContain('SOURCE_INTEGRITY');
    expect(failed.stderr).toContain('gs://exports/customers/part-002.csv');
    expect(published(db, 'scores')).toEqual(before);
  });
});
