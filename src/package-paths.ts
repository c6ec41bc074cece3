// Paths into the installed package, for hints: "bundled models are in fixtures/" is true in a
// checkout, but an installed inferbench keeps them under node_modules/inferbench/. Hints name the
// path that exists from where the user stands: relative when inside the cwd, else absolute.
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: dist/package-paths.js (or src/ under a test runner) is one level below. */
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

export function packagePath(path: string): string {
  const absolute = resolve(ROOT, path);
  const fromCwd = relative(process.cwd(), absolute);
  return fromCwd === '' || fromCwd.startsWith('..') || isAbsolute(fromCwd) ? absolute : fromCwd;
}
