// Reads the fenced code blocks of README.md and docs/*.md, so that tests can run every command and
// library example the documentation shows (docs/development.md, "Commands in the docs are tested").
// A fence is ``` or ~~~ with an optional language; a marker comment on the line before a fence says
// how the block is checked:
//   <!-- not-run: reason -->   shown, never run (the reason says why; counted by the tests)
//   <!-- file: path -->        an excerpt of that file, which the tests run in its own right
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DocBlock {
  /** Path relative to the repository root, e.g. docs/options.md. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The fence's language, lower-case ('' when none). */
  lang: string;
  /** The block's lines, with the fence's indentation removed. */
  lines: string[];
  notRun?: string;
  excerptOf?: string;
}

export const ROOT = process.cwd();

/** README.md and every page under docs/ (one level: docs/ has no sub-folders of pages). */
export function docFiles(): string[] {
  const pages = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).sort();
  return ['README.md', ...pages.map((name) => `docs/${name}`)];
}

export const readDoc = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;
const MARKER = /^\s*<!--\s*(not-run|file):\s*(.*?)\s*-->\s*$/;

export function blocksOf(file: string, text = readDoc(file)): DocBlock[] {
  const lines = text.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent = '', fence = '', lang = ''] = open;
    const close = new RegExp(`^\\s*\\${fence[0]}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      if (close.test(line)) break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    const block: DocBlock = { file, line: i + 1, lang: lang.toLowerCase(), lines: body };
    const marker = previousNonBlank(lines, i);
    const m = marker === undefined ? null : MARKER.exec(marker);
    if (m?.[1] === 'not-run') block.notRun = m[2] ?? '';
    if (m?.[1] === 'file') block.excerptOf = m[2] ?? '';
    blocks.push(block);
    i = j;
  }
  return blocks;
}

function previousNonBlank(lines: string[], index: number): string | undefined {
  for (let k = index - 1; k >= 0; k--) if (lines[k]!.trim() !== '') return lines[k];
  return undefined;
}

export const isShell = (block: DocBlock): boolean => block.lang === 'sh' || block.lang === 'bash';
export const isScript = (block: DocBlock): boolean => ['js', 'javascript', 'mjs', 'ts', 'typescript'].includes(block.lang);

export interface DocCommand {
  /** The command as a shell reads it: continuation lines joined. */
  text: string;
  /** The exit code the docs imply: 0, or the code of a trailing `# exit N` comment. */
  exit: number;
  line: number;
}

/** The logical lines of a shell block: `\` continuations joined; blank and comment lines dropped. */
export function commandsOf(block: DocBlock): DocCommand[] {
  const commands: DocCommand[] = [];
  let pending = '';
  let start = 0;
  block.lines.forEach((raw, k) => {
    if (pending === '') start = block.line + 1 + k;
    const line = raw.trimEnd();
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      return;
    }
    const text = (pending + line).trim();
    pending = '';
    if (text === '' || text.startsWith('#')) return;
    const exit = /#\s*exit\s+(\d+)\s*$/.exec(text);
    commands.push({ text, exit: exit ? Number(exit[1]) : 0, line: start });
  });
  return commands;
}

/** A line that shows an inferbench command (with or without a `$ ` prompt or `npx`). */
export const COMMAND_LINE = /^\s*(\$\s+)?(npx\s+)?inferbench\s+(profile|compare|run|report|devices|calibrate|completion|help|-)/;

/** Where anchors point: GitHub's heading slugs (lower case, punctuation dropped, spaces → '-'). */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of text.split('\n')) {
    if (FENCE.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = slugOf(heading[1]!);
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  return anchors;
}

export function slugOf(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** A fresh directory linking the repository's fixtures/, examples/ and test/: the docs' relative
 * paths resolve there, and the reports their commands write land there, not in the checkout. */
export function sandbox(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const name of ['fixtures', 'examples', 'test']) symlinkSync(join(ROOT, name), join(dir, name));
  return dir;
}

/** Runs a process to its end, stdout and stderr together; killed after `timeoutMs`. */
export function runProcess(command: string, args: string[], options: { cwd: string; env: Record<string, string>; timeoutMs: number }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
