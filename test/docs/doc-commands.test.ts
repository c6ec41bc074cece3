// Every shell command the README and docs/ show is run, verbatim, and must exit as the docs say:
// 0, or N where the line ends in `# exit N` (a failing gate, a device this machine lacks). Each
// ```sh / ```bash block runs as one bash script in a fresh directory that links the repository's
// fixtures/, examples/ and test/ (so the docs' relative paths resolve and reports land there, not
// in the checkout), with `inferbench` and `npx inferbench` on PATH as this checkout's
// bin/inferbench. A block that cannot run here carries `<!-- not-run: reason -->` (counted below).
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { blocksOf, commandsOf, docFiles, isShell, runProcess, sandbox, type DocBlock } from './doc-blocks.js';

/** What a runnable block may call: inferbench itself, and the few shell steps its examples need. */
const ALLOWED = new Set(['inferbench', 'npx', 'mkdir', 'cd', 'cp']);
/** Markers are for what truly cannot run here (registry installs, timing benchmarks, the suite). */
const MAX_NOT_RUN = 10;

const shellBlocks = docFiles().flatMap((file) => blocksOf(file)).filter(isShell);
const runnable = shellBlocks.filter((b) => b.notRun === undefined);
/** A block that repeats an earlier one command for command (a README recipe that a docs page
 * shows too) is the same check: it runs once, under the first one's name. */
const distinct = runnable.filter((b, k) => runnable.findIndex((o) => sameCommands(o, b)) === k);

describe('shell blocks in README.md and docs/', () => {
  it('are few that are not run, and each says why', () => {
    const notRun = shellBlocks.filter((b) => b.notRun !== undefined);
    expect(notRun.length).toBeLessThanOrEqual(MAX_NOT_RUN);
    for (const b of notRun) expect(b.notRun, `${b.file}:${b.line}`).toMatch(/\w{3,}.*\w{3,}/);
  });

  it('call only inferbench and simple shell steps (anything else is marked not-run)', () => {
    const bad = runnable.flatMap((b) =>
      commandsOf(b)
        .filter((c) => !ALLOWED.has(c.text.split(/\s+/)[0]!) || (c.text.startsWith('npx ') && !c.text.startsWith('npx inferbench ')))
        .map((c) => `${b.file}:${c.line}: ${c.text}`),
    );
    expect(bad).toEqual([]);
  });

  it.each(distinct.map((b) => [`${b.file}:${b.line}`, b] as const))('%s runs and exits as documented', async (_name, block) => {
    const commands = commandsOf(block);
    expect(commands.length, 'a shell block with no command').toBeGreaterThan(0);
    const run = await runBlock(block);
    const report = commands.map((c, k) => `${c.text}  →  exit ${run.codes[k] ?? 'none'}`).join('\n');
    expect(run.codes, `${report}\n--- output (tail) ---\n${run.output.slice(-4000)}`).toEqual(commands.map((c) => c.exit));
    expect(run.output).not.toMatch(/internal error/);
  }, 240_000);
});

interface BlockRun {
  codes: number[];
  output: string;
}

/** Runs the block as one bash script; after each command its exit status is appended to a file. */
async function runBlock(block: DocBlock): Promise<BlockRun> {
  const dir = sandbox('inferbench-docs-');
  const shims = join(dir, '.bin');
  const home = join(dir, '.home');
  mkdirSync(shims);
  mkdirSync(home);
  shim(join(shims, 'inferbench'), `exec "${process.execPath}" "${BIN}" "$@"`);
  shim(join(shims, 'npx'), `[ "$1" = inferbench ] || { echo "npx: only 'npx inferbench' is shimmed here" >&2; exit 127; }\nshift\nexec inferbench "$@"`);
  const codes = join(dir, '.codes');
  const script = commandsOf(block).map((c) => `${c.text}\necho $? >> "${codes}"`).join('\n');
  writeFileSync(join(dir, '.block.sh'), script + '\n');
  const { output } = await runProcess('bash', [join(dir, '.block.sh')], { cwd: dir, env: { PATH: `${shims}:${process.env.PATH}`, HOME: home }, timeoutMs: 200_000 });
  let written = '';
  try {
    written = readFileSync(codes, 'utf8');
  } catch {
    // no command finished
  }
  return { codes: written.split('\n').filter(Boolean).map(Number), output };
}

function sameCommands(a: DocBlock, b: DocBlock): boolean {
  return commandsOf(a).map((c) => c.text).join('\n') === commandsOf(b).map((c) => c.text).join('\n');
}

function shim(path: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}
