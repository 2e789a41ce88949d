import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const built = new Map<string, string | undefined>();

/**
 * Whether the locale `name` (e.g. `en_US.UTF-8`) is installed (`locale -a`),
 * and if not, a directory to pass as LOCPATH where `localedef` built it under
 * `dir` — undefined when localedef or its sources are missing. Built once per
 * directory and name.
 */
export function localeFor(name: string, dir: string): { readonly native: boolean; readonly path: string | undefined } {
  const canonical = (text: string) => text.toLowerCase().replace(/-/g, '');
  const listed = spawnSync('locale', ['-a'], { encoding: 'utf8' }).stdout ?? '';
  if (listed.split('\n').some((line) => canonical(line.trim()) === canonical(name))) return { native: true, path: undefined };
  const key = `${dir}\0${name}`;
  if (!built.has(key)) {
    const path = join(dir, 'locales');
    const [language, charset = 'UTF-8'] = name.split('.');
    mkdirSync(path, { recursive: true });
    spawnSync('localedef', ['-i', language!, '-f', charset, join(path, name)], { encoding: 'utf8' });
    built.set(key, existsSync(join(path, name, 'LC_CTYPE')) ? path : undefined);
  }
  return { native: false, path: built.get(key) };
}
