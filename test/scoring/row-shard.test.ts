import { describe, expect, it } from 'vitest';

import type { ParsedChunk } from '../../src/scoring/column-parser.js';
import { shardOfId, takeShard } from '../../src/scoring/row-shard.js';

describe('shardOfId', () => {
  it('is 32-bit FNV-1a over the UTF-8 bytes, mod the count', () => {
    // Reference values of FNV-1a 32 (the published test vectors: "" and "a", "foobar").
    expect(shardOfId('', 2 ** 32 - 1)).toBe(0x811c9dc5 % (2 ** 32 - 1));
    expect(shardOfId('a', 2 ** 32 - 1)).toBe(0xe40c292c % (2 ** 32 - 1));
    expect(shardOfId('foobar', 2 ** 32 - 1)).toBe(0xbf9cf968 % (2 ** 32 - 1));
    // Non-ASCII ids hash their UTF-8 bytes, not UTF-16 units.
    const bytes = Buffer.from('Île-de-France', 'utf8');
    let hash = 0x811c9dc5;
    for (const b of bytes) hash = Math.imul(hash ^ b, 0x01000193);
    expect(shardOfId('Île-de-France', 1000)).toBe((hash >>> 0) % 1000);
  });

  it('spreads ids evenly', () => {
    const counts = new Array<number>(4).fill(0);
    for (let i = 0; i < 40_000; i++) counts[shardOfId(`C${String(i).padStart(6, '0')}`, 4)]!++;
    for (const n of counts) expect(Math.abs(n - 10_000)).toBeLessThan(400);
  });
});

describe('takeShard', () => {
  const reject = (line: number) => ({ source: 'f.csv', line, column: 'age', columnIndex: 1, value: 'x', code: 'CSV_NOT_A_NUMBER' as const, reason: 'not a number' });
  const ids = Array.from({ length: 50 }, (_, i) => `id${i}`);
  const parsed: ParsedChunk = {
    rowsRead: 53,
    rows: 50,
    ids,
    lines: Uint32Array.from(ids, (_, i) => i + 2),
    numeric: [Float64Array.from(ids, (_, i) => i)],
    text: [ids.map((id) => `t-${id}`)],
    rejects: [reject(60), reject(61), reject(62)],
  };

  it('partitions rows and rejects across the shards, keeping their columns aligned and the counts adding up', () => {
    const parts = [0, 1, 2].map((index) => takeShard(parsed, { index, count: 3 }));
    expect(parts.flatMap((p) => p.ids).sort()).toEqual([...ids].sort());
    expect(parts.reduce((n, p) => n + p.rowsRead, 0)).toBe(53);
    expect(parts.map((p) => p.rejects.map((r) => r.line))).toEqual([[60], [61], [62]]);
    for (const [index, part] of parts.entries()) {
      expect(part.rows).toBe(part.ids.length);
      part.ids.forEach((id, r) => {
        const at = ids.indexOf(id);
        expect(shardOfId(id, 3)).toBe(index);
        expect([part.lines[r], part.numeric[0]![r], part.text[0]![r]]).toEqual([at + 2, at, `t-${id}`]);
      });
    }
  });

  it('leaves a chunk as it is without a shard', () => {
    expect(takeShard(parsed, undefined)).toBe(parsed);
  });
});
