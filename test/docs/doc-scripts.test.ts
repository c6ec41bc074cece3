// The library examples of README.md and docs/ run: each ```js block is written to a temp .mjs whose
// `from 'inferbench'` points at this checkout's dist/index.js (built by `npm test` first), run with
// Node in a directory that links fixtures/, examples/ and test/, and must exit 0. A block marked
// `<!-- file: path -->` is an excerpt of that file instead (an example pipeline, the example
// config): its lines must appear in the file, in order, and the file is run by a shell block.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { blocksOf, docFiles, isScript, ROOT, runProcess, sandbox, type DocBlock } from './doc-blocks.js';

const blocks = docFiles().flatMap((file) => blocksOf(file));
const excerpts = blocks.filter((b) => b.excerptOf !== undefined);
const scripts = blocks.filter((b) => isScript(b) && b.excerptOf === undefined && b.notRun === undefined);

describe('code examples in README.md and docs/', () => {
  it('are JavaScript when they run (Node 20 cannot run TypeScript; a .ts example is an excerpt of a checked file)', () => {
    const ts = scripts.filter((b) => b.lang === 'ts' || b.lang === 'typescript');
    expect(ts.map((b) => `${b.file}:${b.line}`)).toEqual([]);
    expect(scripts.length).toBeGreaterThan(0);
  });

  it.each(excerpts.map((b) => [`${b.file}:${b.line} (${b.excerptOf})`, b] as const))('%s is an excerpt of its file', (_name, block) => {
    const path = join(ROOT, block.excerptOf!);
    expect(existsSync(path), `${block.excerptOf} does not exist`).toBe(true);
    const fileLines = readFileSync(path, 'utf8').split('\n').map((l) => l.trim());
    let at = 0;
    for (const line of block.lines.map((l) => l.trim()).filter((l) => l !== '' && !/^(\/\/\s*)?…/.test(l))) {
      const found = fileLines.indexOf(line, at);
      expect(found, `not in ${block.excerptOf} (after line ${at}): ${line}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
  });

  it.each(scripts.map((b) => [`${b.file}:${b.line}`, b] as const))('%s runs against the built package', async (_name, block) => {
    const run = await runScript(block);
    expect(run.code, run.output.slice(-4000)).toBe(0);
  }, 180_000);
});

function runScript(block: DocBlock): Promise<{ code: number | null; output: string }> {
  const dir = sandbox('inferbench-docs-js-');
  const dist = pathToFileURL(join(ROOT, 'dist', 'index.js')).href;
  const source = block.lines.join('\n').replace(/from\s+'inferbench'/g, `from '${dist}'`);
  expect(source, 'the example imports inferbench').toContain(dist);
  const file = join(dir, 'example.mjs');
  writeFileSync(file, source);
  return runProcess(process.execPath, [file], { cwd: dir, env: {}, timeoutMs: 170_000 });
}
