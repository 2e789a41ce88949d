import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { readJobFile } from '../../src/cli/job-file.js';
import { resolveScoreOptions } from '../../src/cli/score-options.js';

const required = { model: 'm.onnx', input: 't.csv', idColumn: 'id', output: 'out.db', table: 'scores' };

describe('resolveScoreOptions', () => {
  it('lets flags win over the job file and the file over the environment', () => {
    const options = resolveScoreOptions(
      { ...required, workers: '3' },
      { workers: 2, table: 'from_file', mode: 'upsert', features: ['b', 'a'] },
      { PRESCORE_MODE: 'replace', PRESCORE_BATCH_ROWS: '100', DATABASE_URL: 'postgres://x' },
      8,
    );
    expect(options).toMatchObject({ workers: 3, table: 'scores', mode: 'upsert', batchRows: 100, features: ['b', 'a'], output: 'out.db' });
  });

  it('fills defaults', () => {
    const options = resolveScoreOptions(required, undefined, {}, 2);
    expect(options).toMatchObject({ workers: 2, mode: 'replace', delimiter: 44, maxRejectRate: 0, extra: [], features: undefined });
  });

  it('takes --output from DATABASE_URL', () => {
    const { output: _, ...rest } = required;
    expect(resolveScoreOptions(rest, undefined, { DATABASE_URL: 'postgres://u@h/db' }, 2).output).toBe('postgres://u@h/db');
  });

  it('names every missing option, and the invalid one with its value', () => {
    expect(() => resolveScoreOptions({ model: 'm' }, undefined, {}, 2)).toThrow(
      expect.objectContaining({ code: 'USAGE_MISSING_OPTION', exitCode: 2, message: expect.stringContaining('--input, --id-column, --output, --table') }),
    );
    expect(() => resolveScoreOptions({ ...required, workers: '3' }, undefined, {}, 2)).toThrow(
      expect.objectContaining({ code: 'USAGE_INVALID_OPTION', value: '3', message: expect.stringContaining('more than the 2 cores') }),
    );
    expect(() => resolveScoreOptions({ ...required, workers: 'many' }, undefined, {}, 2)).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION', value: 'many' }));
    expect(() => resolveScoreOptions({ ...required, mode: 'merge' }, undefined, {}, 2)).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION' }));
    expect(() => resolveScoreOptions({ ...required, delimiter: ';;' }, undefined, {}, 2)).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION' }));
  });
});

describe('readJobFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prescore-job-'));

  it('reads YAML and JSON with the flag names', () => {
    writeFileSync(join(dir, 'job.yaml'), 'model: m.onnx\nid-column: id\nfeatures: [a, b]\nmax-reject-rate: 0.01\n');
    expect(readJobFile(join(dir, 'job.yaml'))).toEqual({ model: 'm.onnx', 'id-column': 'id', features: ['a', 'b'], 'max-reject-rate': 0.01 });
    writeFileSync(join(dir, 'job.json'), '{"table": "t", "workers": 2}');
    expect(readJobFile(join(dir, 'job.json'))).toEqual({ table: 't', workers: 2 });
  });

  it('refuses unknown keys and bad values, naming the file', () => {
    writeFileSync(join(dir, 'typo.yaml'), 'id_column: id\n');
    expect(() => readJobFile(join(dir, 'typo.yaml'))).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', file: join(dir, 'typo.yaml'), message: expect.stringContaining('id_column') }));
    writeFileSync(join(dir, 'bad.yaml'), 'workers: -1\n');
    expect(() => readJobFile(join(dir, 'bad.yaml'))).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('workers') }));
    writeFileSync(join(dir, 'broken.json'), '{');
    expect(() => readJobFile(join(dir, 'broken.json'))).toThrow(expect.objectContaining({ code: 'CONFIG_FILE_UNREADABLE' }));
    expect(() => readJobFile(join(dir, 'missing.yaml'))).toThrow(expect.objectContaining({ code: 'CONFIG_FILE_UNREADABLE' }));
  });
});
