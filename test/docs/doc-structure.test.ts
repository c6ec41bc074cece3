// The shape of the documentation: a short README whose table of contents matches its sections,
// docs/README.md indexing every page, relative links and anchors that resolve, the generated
// options table's markers, and no command hiding where doc-commands.test.ts would not run it.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { anchorsOf, blocksOf, COMMAND_LINE, docFiles, isShell, readDoc, ROOT, slugOf } from './doc-blocks.js';

/** The README is the front door, not the manual (issue 14: at most 250 lines). */
const README_MAX_LINES = 250;

describe('README.md', () => {
  const readme = readDoc('README.md');

  it(`has at most ${README_MAX_LINES} lines`, () => {
    expect(readme.trimEnd().split('\n').length).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('has a table of contents that lists its sections, in order', () => {
    const sections = outsideFences(readme).flatMap((line) => /^## (.*)$/.exec(line)?.[1] ?? []).filter((s) => s !== 'Contents');
    const contents = readme.split(/^## Contents$/m)[1]!.split(/^## /m)[0]!;
    const listed = [...contents.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(listed).toEqual(sections.map(slugOf));
  });

  it('keeps the exit codes table', () => {
    expect(readme).toMatch(/^## Exit codes$/m);
    for (const code of [0, 1, 2, 3, 4, 5, 6, 70]) expect(readme).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
  });
});

describe('docs/', () => {
  it('docs/README.md links every page', () => {
    const index = readDoc('docs/README.md');
    const pages = docFiles().filter((f) => f.startsWith('docs/') && f !== 'docs/README.md');
    expect(pages.filter((page) => !index.includes(`](${page.slice('docs/'.length)}`))).toEqual([]);
  });

  it('options.md holds the options table between the generator markers', () => {
    const lines = readDoc('docs/options.md').split('\n');
    const begin = lines.indexOf('<!-- options-table:begin -->');
    const end = lines.indexOf('<!-- options-table:end -->');
    expect(begin).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(begin);
    expect(lines.slice(begin, end).filter((l) => l.startsWith('| `')).length).toBeGreaterThan(20);
  });
});

describe('links in README.md and docs/', () => {
  it('point at files and headings that exist', () => {
    const broken: string[] = [];
    for (const file of docFiles()) {
      for (const target of linksOf(readDoc(file))) {
        if (/^[a-z]+:/i.test(target)) continue;
        const [path = '', anchor] = target.split('#');
        const resolved = path === '' ? join(ROOT, file) : normalize(join(ROOT, dirname(file), decodeURI(path)));
        if (!resolved.startsWith(ROOT) || !existsSync(resolved)) broken.push(`${file}: ${target} (no such file)`);
        else if (anchor !== undefined && statSync(resolved).isFile() && resolved.endsWith('.md') && !anchorsOf(readDoc(resolved.slice(ROOT.length + 1))).has(anchor)) {
          broken.push(`${file}: ${target} (no such heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('paths named in README.md and docs/', () => {
  it('exist (`src/...`, `bench/...` in inline code: a moved file must take its docs along)', () => {
    const missing: string[] = [];
    for (const file of docFiles()) {
      for (const [, path] of readDoc(file).matchAll(/`((?:src|bench|scripts|test|examples|fixtures|docs)\/[\w./-]+)`/g)) {
        if (!existsSync(join(ROOT, path!))) missing.push(`${file}: ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('commands in README.md and docs/', () => {
  it('are all in ```sh blocks, where they are run (none in output blocks or indented blocks)', () => {
    const hidden: string[] = [];
    for (const file of docFiles()) {
      for (const block of blocksOf(file).filter((b) => !isShell(b) && b.excerptOf === undefined)) {
        block.lines.forEach((line, k) => COMMAND_LINE.test(line) && hidden.push(`${file}:${block.line + 1 + k}: ${line.trim()}`));
      }
      outsideFences(readDoc(file)).forEach((line) => /^ {4,}/.test(line) && COMMAND_LINE.test(line) && hidden.push(`${file}: ${line.trim()}`));
    }
    expect(hidden).toEqual([]);
  });

  it('inline `inferbench …` spans name real subcommands and flags', () => {
    const helps = new Map<string, Set<string>>();
    const flagsOf = (sub: string): Set<string> => {
      if (!helps.has(sub)) {
        const help = execFileSync(process.execPath, [BIN, ...(sub ? [sub] : []), '--help'], { encoding: 'utf8' });
        helps.set(sub, new Set(help.match(/(?<![\w-])--?[a-zA-Z][\w-]*/g)));
      }
      return helps.get(sub)!;
    };
    const global = flagsOf('');
    const wrong: string[] = [];
    for (const file of docFiles()) {
      for (const [, span] of readDoc(file).matchAll(/`(?:npx )?inferbench ([^`]+)`/g)) {
        const sub = span!.split(/\s+/)[0]!;
        if (!/^(profile|compare|run|report|devices|calibrate|completion)$/.test(sub)) continue;
        const known = flagsOf(sub);
        for (const flag of span!.match(/(?<![\w-])--?[a-zA-Z][\w-]*/g) ?? []) {
          if (!known.has(flag) && !global.has(flag)) wrong.push(`${file}: \`inferbench ${span}\` (${flag})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

/** Markdown links and images: [text](target) — targets without spaces, titles dropped. */
function linksOf(text: string): string[] {
  return outsideFences(text)
    .join('\n')
    .replace(/`[^`\n]*`/g, '')
    .match(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)
    ?.map((m) => /\]\(([^)\s]+)/.exec(m)![1]!) ?? [];
}

function outsideFences(text: string): string[] {
  let fence: string | null = null;
  return text.split('\n').filter((line) => {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (m) {
      if (fence === null) fence = m[1]!;
      else if (line.trim().startsWith(fence)) fence = null;
      return false;
    }
    return fence === null;
  });
}
