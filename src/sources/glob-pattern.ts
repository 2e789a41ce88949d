/**
 * A glob over `/`-separated names: `*` matches any run of characters and `?` one character, both
 * within one path segment (never `/`); everything else is literal. No `**`, classes or braces.
 */
export interface GlobPattern {
  readonly source: string;
  /** The part before the first wildcard: every match starts with it (a store lists this prefix). */
  readonly literalPrefix: string;
  /** The pattern's `/`-separated segments, each a literal string or a matcher for one name. */
  readonly segments: readonly (string | RegExp)[];
  /** Whether a whole name matches. */
  matches(name: string): boolean;
}

/** Whether `text` contains a glob wildcard (`*` or `?`). */
export function hasWildcard(text: string): boolean {
  return /[*?]/.test(text);
}

/** Compiles a glob. Never throws: any string is a valid pattern. */
export function compileGlob(source: string): GlobPattern {
  const wildcard = source.search(/[*?]/);
  const whole = new RegExp(`^${toRegExpSource(source)}$`, 's');
  return {
    source,
    literalPrefix: wildcard === -1 ? source : source.slice(0, wildcard),
    segments: source.split('/').map((segment) => (hasWildcard(segment) ? new RegExp(`^${toRegExpSource(segment)}$`, 's') : segment)),
    matches: (name) => whole.test(name),
  };
}

function toRegExpSource(glob: string): string {
  let out = '';
  for (const char of glob) {
    if (char === '*') out += '[^/]*';
    else if (char === '?') out += '[^/]';
    else out += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return out;
}
