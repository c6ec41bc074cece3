// A small glob for `--data`: `*` and `?` within one path segment, `**` across segments, and
// `{a,b}` alternatives. Node 20 has no fs.glob (it arrived in Node 22), and the project takes no
// dependency for this. Matches are files and directories (a directory can be one sample, see
// data-source.ts), naturally sorted (img_2 before img_10), with dotfiles left out unless the pattern names them.
import { readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';

const MAGIC = /[*?{[]/;

export function isGlob(pattern: string): boolean {
  return MAGIC.test(pattern);
}

/** The regular expression a glob pattern (with `/` separators) stands for. */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  let alternatives = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      out += slash ? '(?:[^/]*/)*' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      out += '(?:';
      alternatives++;
    } else if (c === '}' && alternatives > 0) {
      out += ')';
      alternatives--;
    } else if (c === ',' && alternatives > 0) out += '|';
    else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** The literal directory a pattern starts in, and the prefix its matches get. */
function baseOf(segments: string[]): { base: string; prefix: string; rest: string[] } {
  const i = segments.findIndex((s) => isGlob(s));
  const literal = segments.slice(0, i < 0 ? segments.length : i);
  const rest = segments.slice(literal.length);
  if (literal.length === 0) return { base: '.', prefix: '', rest };
  const base = literal.join('/') || '/';
  return { base, prefix: base.endsWith('/') ? base : `${base}/`, rest };
}

async function walk(dir: string, relative: string, depth: number, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
    out.push(rel);
    if (entry.isDirectory() && depth > 1) await walk(join(dir, entry.name), rel, depth - 1, out);
  }
}

/** Paths matching `pattern`, naturally sorted; relative patterns give paths relative to the cwd. */
export async function glob(pattern: string): Promise<string[]> {
  const segments = pattern.split(sep === '\\' ? /[\\/]/ : '/');
  const { base, prefix, rest } = baseOf(segments);
  const recursive = rest.some((s) => s.includes('**'));
  const candidates: string[] = [];
  await walk(base, '', recursive ? Number.POSITIVE_INFINITY : rest.length, candidates);
  const regexp = globToRegExp(rest.join('/'));
  const dotAllowed = rest.some((s) => s.startsWith('.'));
  return candidates
    .filter((rel) => regexp.test(rel) && (dotAllowed || !rel.split('/').some((s) => s.startsWith('.'))))
    .map((rel) => prefix + rel)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
