import { describe, expect, it } from 'vitest';

import { shardPart } from '../../src/cli/shard-plan.js';

const objects = (names: string[]) => names.map((name) => ({ uri: `gs://b/${name}`, size: 1 }));

describe('shardPart', () => {
  it('gives each shard whole objects, by position in name order mod the count, when there are at least as many objects as shards', () => {
    const listed = objects(['p3', 'p0', 'p4', 'p1', 'p2']);
    expect(shardPart(listed, { index: 0, count: 2 })).toEqual({ objects: objects(['p0', 'p2', 'p4']), rowShard: undefined, split: 'object' });
    expect(shardPart(listed, { index: 1, count: 2 }).objects).toEqual(objects(['p1', 'p3']));
    expect(shardPart(listed, { index: 4, count: 5 }).objects).toEqual(objects(['p4']));
  });

  it('splits by id hash when there are fewer objects than shards, every shard reading every object', () => {
    const listed = objects(['one.csv']);
    expect(shardPart(listed, { index: 1, count: 4 })).toEqual({ objects: listed, rowShard: { index: 1, count: 4 }, split: 'id' });
  });

  it('reads everything without a shard', () => {
    const listed = objects(['a', 'b']);
    expect(shardPart(listed, undefined)).toEqual({ objects: listed, rowShard: undefined, split: undefined });
  });
});
