/** Markup that is already safe: `html` inserts it as it is. */
export class SafeHtml {
  constructor(readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

/** What `html` accepts between its tags: text (escaped), numbers, markup, lists of those; null and undefined print nothing. */
export type HtmlValue = string | number | SafeHtml | null | undefined | readonly HtmlValue[];

/**
 * A template tag that escapes every interpolated value (`& < > " '`, enough
 * for text and quoted attribute values) unless it is SafeHtml, so data from
 * the runs table — file names, reject values — can never add markup or a
 * request to the page.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => (out += render(value) + strings[i + 1]!));
  return new SafeHtml(out);
}

/** Escapes text for HTML content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}
