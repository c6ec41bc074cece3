// `--data` globs, by tinyglobby (picomatch's syntax over fdir's walk): `*`, `?`, `**`, `{a,b}`,
// character classes `[ab]`, extglobs, and symlinked directories followed. It replaced a
// hand-written matcher that knew no `[...]` and did not walk symlinks. Matches are files and
// directories (a directory can be one sample, see data-source.ts), naturally sorted (img_2 before
// img_10), dotfiles left out unless the pattern names them.
import { isAbsolute } from 'node:path';
import { glob as tinyglobby, isDynamicPattern } from 'tinyglobby';

export function isGlob(pattern: string): boolean {
  return isDynamicPattern(pattern);
}

/** Paths matching `pattern`, naturally sorted; relative patterns give paths relative to the cwd. */
export async function glob(pattern: string): Promise<string[]> {
  const matches = await tinyglobby(pattern, {
    onlyFiles: false,
    followSymbolicLinks: true,
    expandDirectories: false,
    absolute: isAbsolute(pattern),
  });
  return matches
    .map((path) => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
