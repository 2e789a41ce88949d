import { PrescoreError } from '../errors/index.js';

/** `--fill` as it arrives: flag entries, an environment string, or the job file's map. */
export type FillOptionValue = string | readonly string[] | Readonly<Record<string, string | number | boolean>>;

/**
 * Reads `--fill COL=VALUE` entries (repeatable flag; `PRESCORE_FILL` as a
 * comma list) or the job file's `fill:` map into value text by column; the
 * model stage checks each value against its input's type. An empty VALUE is
 * the empty string (for string inputs). Throws USAGE_INVALID_OPTION for an
 * entry without `=`.
 */
export function fillOption(value: FillOptionValue | undefined): Readonly<Record<string, string>> {
  if (value === undefined) return {};
  if (typeof value !== 'string' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value as Record<string, string | number | boolean>).map(([column, v]) => [column, String(v)]));
  }
  const entries = typeof value === 'string' ? value.split(',') : (value as readonly string[]);
  const fill: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0) {
      throw new PrescoreError('USAGE_INVALID_OPTION', '--fill takes COL=VALUE (the column, then the value its missing cells take)', {
        value: entry,
        hint: 'For example --fill embarked=S --fill pclass=3; an empty VALUE (--fill embarked=) feeds the empty string',
      });
    }
    fill[entry.slice(0, eq).trim()] = entry.slice(eq + 1);
  }
  return fill;
}
