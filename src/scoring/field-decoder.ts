const strict = new TextDecoder('utf-8', { fatal: true });
const lossy = new TextDecoder('utf-8');

/** Longest value (bytes) a rejected row carries; longer ones are cut and end with `…`. */
const REJECT_VALUE_MAX_BYTES = 200;

/**
 * Decodes the text of CSV fields out of one chunk's bytes. Offsets are the
 * field's content (inside the quotes, if any); `escapes` is the number of
 * doubled quotes in it, un-doubled here (RFC 4180).
 */
export class FieldDecoder {
  /** A Buffer (a view, see `asBuffer`): its latin1 decoding is the fastest string maker for ASCII. */
  constructor(private readonly bytes: Buffer) {}

  /** The field as a string, or undefined when it is not valid UTF-8. */
  text(start: number, end: number, escapes: number): string | undefined {
    const bytes = this.bytes;
    let ascii = true;
    for (let i = start; i < end; i++) {
      if ((bytes[i] as number) >= 0x80) {
        ascii = false;
        break;
      }
    }
    let text: string;
    if (ascii) {
      text = bytes.toString('latin1', start, end);
    } else {
      try {
        text = strict.decode(bytes.subarray(start, end));
      } catch {
        return undefined;
      }
    }
    return escapes === 0 ? text : text.replaceAll('""', '"');
  }

  /**
   * The field for a rejected row's `value`: invalid UTF-8 becomes U+FFFD, and
   * only the first `REJECT_VALUE_MAX_BYTES` bytes are kept.
   */
  value(start: number, end: number, quoted: boolean): string {
    const cut = Math.min(end, start + REJECT_VALUE_MAX_BYTES);
    const text = lossy.decode(this.bytes.subarray(start, cut));
    const unquoted = quoted ? text.replaceAll('""', '"') : text;
    return cut < end ? `${unquoted}…` : unquoted;
  }
}
