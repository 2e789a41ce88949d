/**
 * A shallow reader of the protobuf wire format (protobuf.dev, "Encoding"):
 * it lists a message's fields as byte ranges without decoding them, so a
 * model's graph can be read and spliced without materialising its weights.
 * Pure; works on any Uint8Array.
 */

/** Wire types (protobuf encoding spec): the only ones proto3 messages use. */
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

/** One field occurrence in a message, as offsets into the message's buffer. */
export interface WireField {
  readonly field: number;
  readonly wireType: number;
  /** Offset of the field's tag: `[start, end)` is the whole field, ready to copy as is. */
  readonly start: number;
  /** Offset of the value (after the length prefix for length-delimited fields). */
  readonly valueStart: number;
  readonly end: number;
}

/**
 * Why bytes could not be walked: `truncated` when a field runs past the end
 * of its buffer (a cut download), `malformed` for anything no protobuf
 * encoder writes (a group, a reserved wire type, field number 0).
 */
export class WireError extends Error {
  constructor(
    readonly kind: 'truncated' | 'malformed',
    message: string,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

/** Lists the fields of the message at `bytes[start, end)`, in order. Throws WireError. */
export function readFields(bytes: Uint8Array, start = 0, end = bytes.length): WireField[] {
  const fields: WireField[] = [];
  let p = start;
  while (p < end) {
    const tag = readVarint(bytes, p, end);
    const field = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    if (field === 0) throw new WireError('malformed', `field number 0 at offset ${p}`);
    let valueStart = tag.next;
    let next: number;
    switch (wireType) {
      case VARINT:
        next = readVarint(bytes, valueStart, end).next;
        break;
      case FIXED64:
        next = valueStart + 8;
        break;
      case FIXED32:
        next = valueStart + 4;
        break;
      case LENGTH_DELIMITED: {
        const length = readVarint(bytes, valueStart, end);
        valueStart = length.next;
        next = valueStart + length.value;
        break;
      }
      default:
        throw new WireError('malformed', `wire type ${wireType} at offset ${p}`);
    }
    if (next > end) throw new WireError('truncated', `field ${field} at offset ${p} ends at ${next}, past the end (${end})`);
    fields.push({ field, wireType, start: p, valueStart, end: next });
    p = next;
  }
  return fields;
}

/** The UTF-8 text of a length-delimited field. */
export function fieldText(bytes: Uint8Array, field: WireField): string {
  return decoder.decode(bytes.subarray(field.valueStart, field.end));
}

/** A length-delimited field `field` holding `payload`, encoded (tag, length, bytes). */
export function lengthDelimited(field: number, payload: Uint8Array): Uint8Array {
  const head = [...varint(field * 8 + LENGTH_DELIMITED), ...varint(payload.length)];
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}

const decoder = new TextDecoder();

/** Reads a varint of up to 53 bits (lengths, tags); longer ones are not lengths any buffer has. */
function readVarint(bytes: Uint8Array, at: number, end: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let p = at; p < end && p - at < 10; p++) {
    const byte = bytes[p]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return { value, next: p + 1 };
  }
  if (end - at < 10) throw new WireError('truncated', `a varint at offset ${at} runs past the end (${end})`);
  throw new WireError('malformed', `a varint at offset ${at} is longer than 10 bytes`);
}

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}
