import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { FastRows, KIND, type PlainLayout } from '../../src/scoring/fast-rows.js';
import { WASM_MODULES, wasmModuleText } from '../../scripts/wasm/wasm-module.js';

const root = new URL('../../', import.meta.url);

/** id, two numbers, a text and a skipped column. */
const LAYOUT: PlainLayout = {
  delimiter: 0x2c,
  kinds: Uint8Array.from([KIND.id, KIND.numeric, KIND.numeric, KIND.text, KIND.skip]),
  slots: Int32Array.from([0, 0, 1, 0, 0]),
  numericCount: 2,
  textCount: 1,
  maxFieldBytes: 64,
  maxIdBytes: 8,
  naValues: ['NA', 'null', '.'].map((value) => Buffer.from(value)),
};

function load(input: string | Buffer, layout: PlainLayout = LAYOUT): { fast: FastRows; bytes: Buffer } {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const fast = FastRows.load(layout, bytes);
  if (fast === undefined) throw new Error('no fast path for this layout');
  return { fast, bytes };
}

describe('FastRows', () => {
  it('is the build of fast-rows.wat that is committed', async () => {
    for (const module of WASM_MODULES) {
      expect(readFileSync(new URL(module.target, root), 'utf8'), `${module.target}: run make wasm`).toBe(await wasmModuleText(root, module));
    }
  });

  it('takes plain records: numbers (exponents too), ids and text where they are, CRLF or LF, the last without an LF', () => {
    const { fast, bytes } = load('a1,-1.5,+.25,x y,é~\r\nb2,007,5.,,\nc3,-0,123456789012345,t,s\nd4,2.5e-3,1E+22,,\ne5,-7e007,12.5e-21,,');
    expect(fast.take(0, 100)).toBe(bytes.length);
    expect(fast.taken).toBe(5);
    expect([...fast.numbersOf(0, 5)]).toEqual([-1.5, 7, -0, 0.0025, -7e7]);
    expect(Object.is(fast.numbersOf(0, 5)[2], -0)).toBe(true);
    expect([...fast.numbersOf(1, 5)]).toEqual([0.25, 5, 123456789012345, 1e22, 12.5e-21]);
    const field = (slot: number, row: number) => bytes.toString('latin1', fast.start(slot, row), fast.end(slot, row));
    expect([0, 1, 2, 3, 4].map((r) => field(0, r))).toEqual(['a1', 'b2', 'c3', 'd4', 'e5']);
    expect([0, 1, 2, 3, 4].map((r) => field(1, r))).toEqual(['x y', '', 't', '', '']);
  });

  it('takes well-formed UTF-8 in ids and text, telling which fields are not ASCII, and stops at any other byte sequence', () => {
    const { fast, bytes } = load('a,1,2,é €,s\n"b😀",3,4,"x",\xff\n');
    expect(fast.take(0, 100)).toBe(bytes.length);
    expect(fast.taken).toBe(2);
    const utf8 = (slot: number, row: number) => bytes.toString('utf8', fast.start(slot, row), fast.end(slot, row));
    expect([utf8(0, 0), utf8(0, 1), utf8(1, 0), utf8(1, 1)]).toEqual(['a', 'b😀', 'é €', 'x']);
    expect([fast.ascii(0, 0), fast.ascii(0, 1), fast.ascii(1, 0), fast.ascii(1, 1)]).toEqual([true, false, false, true]);
    const plain = Buffer.from('a,1,2,t,s\n');
    const malformed = [
      [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xe0, 0x9f, 0xbf], // overlong forms
      [0xed, 0xa0, 0x80], // a surrogate
      [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xff], // past U+10FFFF, not a lead byte
      [0x80], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc3, 0x41], // a lone continuation, cut sequences
    ];
    for (const sequence of malformed) {
      for (const field of [Buffer.from(sequence), Buffer.from([0x22, ...sequence, 0x22])]) {
        const record = Buffer.concat([Buffer.from('d,1,2,'), field, Buffer.from(',s\n')]);
        const { fast: f } = load(Buffer.concat([plain, record, plain]));
        expect(f.take(0, 100), field.toString('hex')).toBe(plain.length);
      }
      // A skipped field is never decoded: anything goes.
      const { fast: f } = load(Buffer.concat([plain, Buffer.from('d,1,2,t,'), Buffer.from(sequence), Buffer.from('\n')]));
      expect(f.take(0, 100)).toBe(plain.length + 9 + sequence.length);
    }
  });

  it('reads a numeric cell spelled as an NA value, quoted or not, as missing', () => {
    const layout: PlainLayout = { ...LAYOUT, kinds: Uint8Array.from([KIND.id, KIND.numeric, KIND.numeric]), slots: Int32Array.from([0, 0, 1]), textCount: 0 };
    const { fast, bytes } = load('a,NA,null\nb,".",2\r\nc,3,"NA"', layout);
    expect(fast.take(0, 100)).toBe(bytes.length);
    expect(fast.taken).toBe(3);
    expect([...fast.numbersOf(0, 3)]).toEqual([NaN, NaN, 3]);
    expect([...fast.numbersOf(1, 3)]).toEqual([NaN, 2, NaN]);
    // Within the field limit, like any other field.
    const { fast: short } = load('a,NA,1\nb,null,1\n', { ...layout, maxFieldBytes: 3 });
    expect(short.take(0, 100)).toBe(7);
  });

  it('takes quoted ids, text and skipped fields, giving the content between the quotes', () => {
    const { fast, bytes } = load('"a,1",1,2,"x y, z","é,\t"\r\n"b",3,4,"",s\n');
    expect(fast.take(0, 100)).toBe(bytes.length);
    expect(fast.taken).toBe(2);
    expect([...fast.numbersOf(0, 2)]).toEqual([1, 3]);
    const field = (slot: number, row: number) => bytes.toString('latin1', fast.start(slot, row), fast.end(slot, row));
    expect([field(0, 0), field(0, 1), field(1, 0), field(1, 1)]).toEqual(['a,1', 'b', 'x y, z', '']);
  });

  it('packs a string slot into one string and the end of each field, quoted or empty ones too, unless a field is not ASCII', () => {
    const { fast } = load('"a,1",1,2,"x y, z",s\r\nbb,3,4,,s\ncc,5,6,t,s\n');
    fast.take(0, 100);
    const cut = (packed: string, count: number) => Array.from({ length: count }, (_, r) => packed.slice(r === 0 ? 0 : fast.packedEnd(r - 1), fast.packedEnd(r)));
    const ids = fast.packed(0, 3);
    expect(ids).toBe('a,1bbcc');
    expect(cut(ids!, 3)).toEqual(['a,1', 'bb', 'cc']);
    const text = fast.packed(1, 3);
    expect(cut(text!, 3)).toEqual(['x y, z', '', 't']);
    // The first two records only.
    expect(fast.packed(1, 2)).toBe('x y, z');
    const { fast: wide } = load('a,1,2,t,s\nb,3,4,é,s\n');
    wide.take(0, 100);
    expect(wide.packed(0, 2)).toBe('ab');
    expect(wide.packed(1, 2)).toBeUndefined();
    expect(wide.packed(1, 1)).toBe('t');
  });

  it('reads an empty number as a missing value, NaN, before a delimiter, an LF or a CRLF, quoted or not', () => {
    const layout: PlainLayout = { ...LAYOUT, kinds: Uint8Array.from([KIND.id, KIND.numeric, KIND.numeric]), slots: Int32Array.from([0, 0, 1]), textCount: 0 };
    const { fast, bytes } = load('a,,1\nb,2,\nc,,\r\nd,3,4\ne,"",""\r\nf,"-2e3","0.5"', layout);
    expect(fast.take(0, 100)).toBe(bytes.length);
    expect(fast.taken).toBe(6);
    expect([...fast.numbersOf(0, 6)]).toEqual([NaN, 2, NaN, 3, NaN, -2000]);
    expect([...fast.numbersOf(1, 6)]).toEqual([1, NaN, NaN, 4, NaN, 0.5]);
  });

  it('stops at the start of the first record that is not plain, and after `limit` records', () => {
    const records = ['a,1,2,t,s', 'b,1,2,t,s', 'c,1,2,t,s'];
    const cases = [
      'd,1e,2,t,s', // an exponent without digits
      'd,1e1000,2,t,s', // 4 exponent digits
      'd,1e400,2,t,s', // past the largest double
      'd,1.5e-310,2,t,s', // a subnormal
      'd,12345678901234567890,2,t,s', // 20 digits
      'd,0.00012345678901234567891,2,t,s', // 20 digits after the leading zeros
      'd,1.0000000000000000000,2,t,s', // 20 digits, the trailing zeros count
      'd, 1,2,t,s', // a blank
      'd,-,2,t,s', // a sign alone
      'd,1,2,t"x,s', // a quote in an unquoted field
      'd,1,2,"t""x",s', // a doubled quote
      'd,1,2,"t"x,s', // bytes after the closing quote
      'd,"1 ",2,t,s', // a blank in a quoted number
      'd,"1"x,2,t,s', // bytes after a quoted number's closing quote
      'd,"1,2,t,s', // a quoted number without its closing quote
      'd,NAN,2,t,s', // not an NA spelling
      'd,N,2,t,s', // part of one
      'd,NB,2,t,s', // as long as one, the same first byte
      'd,nulL,2,t,s', // the same but the last byte
      'd,NA ,2,t,s', // one with a blank
      'd,NA"x",2,t,s', // one with a quote after it
      'd,1,2,"t\nx",s', // an LF inside quotes
      'd,1,2,"t\rx",s', // a CR inside quotes
      '"",1,2,t,s', // an empty quoted id
      '"toolongid",1,2,t,s', // a quoted id over maxIdBytes
      'd,1,2,t', // a field short
      'd,1,2,t,s,x', // a field over
      'd,1,2,t\rx,s', // a CR that ends nothing
      'toolongid,1,2,t,s', // over maxIdBytes
      ',1,2,t,s', // an empty id
      '', // a blank line
    ];
    for (const bad of cases) {
      const text = `${records.join('\n')}\n${bad}\n${records[0]}\n`;
      const { fast } = load(text);
      expect(fast.take(0, 100), bad).toBe(records.join('\n').length + 1);
      expect(fast.taken, bad).toBe(3);
    }
    const { fast } = load(`${records.join('\n')}\n`);
    expect(fast.take(0, 2)).toBe(records[0]!.length + records[1]!.length + 2);
    expect(fast.taken).toBe(2);
  });

  it('reads numbers of 16 to 19 digits and exponents past 10^22 exactly as Number() does', () => {
    const bits = new BigUint64Array(1);
    const double = new Float64Array(bits.buffer);
    const random64 = () => BigInt.asUintN(64, (BigInt(Math.floor(Math.random() * 2 ** 32)) << 32n) | BigInt(Math.floor(Math.random() * 2 ** 32)));
    const texts: string[] = [
      // halfway between two doubles, rounding to even; the largest double; the smallest normal one; a carry into the exponent
      ...['9007199254740993', '9007199254740995', '1.7976931348623157e308', '2.2250738585072014e-308', '9999999999999999999', '1e23', '8.5e-300'],
      // more than 19 digits, of which at most 19 after the leading zeros, as String() and Python's repr write 1.2345678901234567e-4
      ...['0.00012345678901234567', '0.000051271269722510295', '-0.0001234567890123456789', '000000000000000000001.5e-3', '0.00000000000000000000000'],
    ];
    while (texts.length < 20_000) {
      bits[0] = random64(); // every double's shortest round-trip text, 17 digits and exponents to ±308 included
      const text = String(double[0]);
      // Past 10^19 String() writes zeros that make more than 19 digits: those are not plain.
      if (Number.isFinite(double[0]) && Math.abs(double[0]!) >= 2.2250738585072014e-308 && text.split('e')[0]!.replace(/\D/g, '').replace(/^0+/, '').length <= 19) texts.push(text);
      const digits = random64().toString().padStart(20, '0').slice(1); // 19 digits, a point anywhere or an exponent
      const point = Math.floor(Math.random() * 20);
      texts.push(Math.random() < 0.5 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `${digits}e${Math.floor(Math.random() * 600) - 320}`);
    }
    const plain = texts.filter((text) => Number(text) === 0 || Math.abs(Number(text)) >= 2.2250738585072014e-308);
    const layout: PlainLayout = { ...LAYOUT, kinds: Uint8Array.from([KIND.id, KIND.numeric]), slots: Int32Array.from([0, 0]), numericCount: 1, textCount: 0 };
    const { fast, bytes } = load(plain.map((text) => `r,${text}\n`).join(''), layout);
    const values: number[] = [];
    for (let p = 0; p < bytes.length; ) {
      p = fast.take(p, 4096);
      expect(fast.taken, `stopped at ${bytes.toString('latin1', p, p + 40)}`).toBeGreaterThan(0);
      values.push(...fast.numbersOf(0, fast.taken));
    }
    expect(values).toEqual(plain.map(Number));
  });

  it('has no fast path for a delimiter that could be part of a number or a record end', () => {
    for (const delimiter of ['.', '-', '+', '5', 'e', '"', '\n', '\r'].map((c) => c.charCodeAt(0))) {
      expect(FastRows.load({ ...LAYOUT, delimiter }, Buffer.from('a.1.2.t.s\n'))).toBeUndefined();
    }
    expect(FastRows.load({ ...LAYOUT, delimiter: 0x3b }, Buffer.from('a;1;2;t;s\n'))).toBeDefined();
  });

  it('grows its memory for a chunk larger than any before', () => {
    const record = `${'x'.repeat(8)},1.5,2,${'t'.repeat(40)},s\n`;
    const text = record.repeat(Math.ceil((4 << 20) / record.length));
    const { fast, bytes } = load(text);
    expect(fast.take(0, 100_000)).toBe(record.length * 4096);
    expect(fast.taken).toBe(4096);
    expect(fast.take(record.length * 4096, 100_000)).toBe(record.length * 8192);
    expect(bytes.length).toBeGreaterThan(4 << 20);
  });

  it('leaves a chunk over 16 MiB to the JavaScript parser, so its memory stays bounded', () => {
    const record = `a,1,2,${'t'.repeat(55)},s\n`; // 64 bytes
    expect(FastRows.load(LAYOUT, Buffer.from(record.repeat((16 << 20) / record.length)))).toBeDefined();
    expect(FastRows.load(LAYOUT, Buffer.from(record.repeat((16 << 20) / record.length + 1)))).toBeUndefined();
  });
});
