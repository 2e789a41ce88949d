/**
 * How the text of a cell is read for typed inputs. A bool input's value is spelt `true`/`false` in any case, `1`
 * and `0`, and `1.0`/`0.0` (what pandas writes for a bool column that has
 * gaps, since it becomes float). Anything else is refused rather than
 * guessed: `yes`, `y`, `on` mean true to some exporters and nothing to others.
 */
export const BOOL_SPELLINGS = ['true', 'false', '1', '0', '1.0', '0.0'] as const;

/** Leading and trailing spaces and tabs, which numeric cells are trimmed of too. */
const BLANKS = /^[ \t]+|[ \t]+$/g;

/** A cell without its leading and trailing spaces and tabs, as numbers and bools are read. */
export function trimCell(cell: string): string {
  return cell.replace(BLANKS, '');
}

/** The bool a cell spells (1 or 0), or undefined when it is not one of `BOOL_SPELLINGS`. */
export function boolOf(cell: string): 0 | 1 | undefined {
  const text = trimCell(cell).toLowerCase();
  if (text === 'true' || text === '1' || text === '1.0') return 1;
  if (text === 'false' || text === '0' || text === '0.0') return 0;
  return undefined;
}

/** Whether a cell is missing for a bool input: empty after trimming, or one of the NA spellings. */
export function isMissingCell(cell: string, naValues: readonly string[]): boolean {
  const text = trimCell(cell);
  return text === '' || naValues.includes(text);
}
