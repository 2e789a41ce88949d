/**
 * An integer count with thousands separators, `1,234,567`, as
 * `toLocaleString('en-US')` writes it. Not with toLocaleString: its first call
 * in a process loads ICU's number formatting, 13–20 ms that every run paid on
 * its way to the publish, for the gates' details (BENCHMARKS.md, "The sixth
 * AMD VM"). The gates and the report write their counts with it. Pure.
 */
export function countText(count: number): string {
  if (!Number.isFinite(count)) return String(count);
  const rounded = Math.round(count);
  const digits = String(Math.abs(rounded));
  return `${rounded < 0 ? '-' : ''}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}
