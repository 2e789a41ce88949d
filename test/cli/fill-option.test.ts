import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { fillOption } from '../../src/cli/fill-option.js';
import { readJobFile } from '../../src/cli/job-file.js';
import { resolveScoreOptions } from '../../src/cli/score-options.js';

const required = { model: 'm.onnx', input: 't.csv', idColumn: 'id', output: 'out.db', table: 'scores' };

describe('--fill', () => {
  it('reads repeated COL=VALUE flags, an empty VALUE included, and values holding "=" or ","', () => {
    expect(fillOption(['embarked=', 'pclass=3', 'note=a=b,c'])).toEqual({ embarked: '', pclass: '3', note: 'a=b,c' });
    expect(fillOption('a=1,b=2')).toEqual({ a: '1', b: '2' });
    expect(() => fillOption(['pclass'])).toThrow(expect.objectContaining({ code: 'USAGE_INVALID_OPTION', value: 'pclass' }));
  });

  it('takes the job file map, flags replacing it whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prescore-fill-'));
    const path = join(dir, 'job.yaml');
    writeFileSync(path, 'fill:\n  embarked: S\n  pclass: 3\n  flag: false\n');
    const file = readJobFile(path);
    expect(resolveScoreOptions(required, file, {}, 2).fill).toEqual({ embarked: 'S', pclass: '3', flag: 'false' });
    expect(resolveScoreOptions({ ...required, fill: ['age=0'] }, file, {}, 2).fill).toEqual({ age: '0' });
    expect(resolveScoreOptions(required, undefined, { PRESCORE_FILL: 'age=0' }, 2).fill).toEqual({ age: '0' });
    expect(resolveScoreOptions(required, undefined, {}, 2).fill).toEqual({});
  });
});
