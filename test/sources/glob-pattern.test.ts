import { describe, expect, it } from 'vitest';
import { compileGlob, hasWildcard } from '../../src/sources/glob-pattern.js';
import { Crc32c } from '../../src/sources/crc32c.js';

describe('compileGlob', () => {
  it('matches * and ? within one segment only', () => {
    const glob = compileGlob('export/part-*.csv');
    expect(glob.matches('export/part-00001.csv')).toBe(true);
    expect(glob.matches('export/part-.csv')).toBe(true);
    expect(glob.matches('export/sub/part-1.csv')).toBe(false);
    expect(glob.matches('export/part-1.csv.gz')).toBe(false);
    expect(compileGlob('a/?.csv').matches('a/1.csv')).toBe(true);
    expect(compileGlob('a/?.csv').matches('a/12.csv')).toBe(false);
    expect(compileGlob('a/?.csv').matches('a//.csv')).toBe(false);
  });

  it('treats regular-expression characters literally', () => {
    const glob = compileGlob('d/x+(1).[csv]*');
    expect(glob.matches('d/x+(1).[csv]')).toBe(true);
    expect(glob.matches('d/xx(1).[csv]')).toBe(false);
  });

  it('exposes the literal prefix and the segments', () => {
    const glob = compileGlob('b/export/*/part-?.csv');
    expect(glob.literalPrefix).toBe('b/export/');
    expect(glob.segments.map((segment) => typeof segment)).toEqual(['string', 'string', 'object', 'object']);
    expect(compileGlob('plain/name').literalPrefix).toBe('plain/name');
    expect(hasWildcard('a/b')).toBe(false);
    expect(hasWildcard('a/b?')).toBe(true);
  });
});

describe('Crc32c', () => {
  it('gives the Castagnoli check value and GCS encoding, incrementally', () => {
    const crc = new Crc32c();
    crc.update(Buffer.from('1234'));
    crc.update(Buffer.from('56789'));
    expect(crc.value()).toBe(0xe3069283); // RFC 3720 check value of "123456789"
    expect(crc.base64()).toBe(Buffer.from([0xe3, 0x06, 0x92, 0x83]).toString('base64'));
    expect(new Crc32c().base64()).toBe('AAAAAA==');
  });
});
