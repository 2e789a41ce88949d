import { describe, expect, it } from 'vitest';

import { fieldText, lengthDelimited, readFields, WireError } from '../../src/model/proto-wire.js';

// field 1 varint 150 (protobuf.dev's example), field 2 "hi", field 3 fixed32, field 4 fixed64.
const MESSAGE = Uint8Array.from([0x08, 0x96, 0x01, 0x12, 0x02, 0x68, 0x69, 0x1d, 1, 2, 3, 4, 0x21, 1, 2, 3, 4, 5, 6, 7, 8]);

describe('readFields', () => {
  it('lists each field with its byte range, without decoding values', () => {
    const fields = readFields(MESSAGE);
    expect(fields.map((f) => [f.field, f.wireType, f.start, f.valueStart, f.end])).toEqual([
      [1, 0, 0, 1, 3],
      [2, 2, 3, 5, 7],
      [3, 5, 7, 8, 12],
      [4, 1, 12, 13, 21],
    ]);
    expect(fieldText(MESSAGE, fields[1]!)).toBe('hi');
  });

  it('says "truncated" when a field runs past the end, "malformed" for what no encoder writes', () => {
    for (const end of [2, 4, 6, 10, 20]) {
      expect(() => readFields(MESSAGE.subarray(0, end))).toThrow(expect.objectContaining({ kind: 'truncated' }));
    }
    expect(() => readFields(Uint8Array.from([0x0b]))).toThrow(expect.objectContaining({ kind: 'malformed', message: expect.stringContaining('wire type 3') }));
    expect(() => readFields(Uint8Array.from([0x02, 0x00]))).toThrow(WireError);
  });

  it('round-trips a length-delimited field, long payloads included', () => {
    const payload = new Uint8Array(300).fill(7);
    const field = lengthDelimited(7, payload);
    const [read] = readFields(field);
    expect(read).toMatchObject({ field: 7, wireType: 2, valueStart: 3, end: 303 });
  });
});
