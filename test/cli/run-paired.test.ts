// `inferbench run` with `paired` in the config: each model is measured interleaved with its base
// version, taken from a directory or from a git ref, as a CI job on a pull request would.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs script without types (the fixture generator)
import { DT, Graph, rngFor } from '../../scripts/make-fixtures.mjs';

let dir: string;
const at = (...parts: string[]): string => join(dir, ...parts);
const bin = resolve('bin/inferbench');

function inferbench(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  // A temp directory of its own: what the run leaves there (base copies from a git ref) is checked.
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TMPDIR: at('tmp') } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function chain(layers: number): Uint8Array {
  const rng = rngFor(1);
  const g = new Graph(`chain${layers}`);
  let h = g.input('x', DT.FLOAT, ['batch', 128]);
  for (let i = 0; i < layers; i++) h = g.node('Relu', [g.node('MatMul', [h, g.weight(`w${i}`, [128, 128], rng.he(128 * 128, 128))])], {}, i === layers - 1 ? 'y' : undefined);
  g.output('y', DT.FLOAT, ['batch', 128]);
  return g.encode(`${layers} layers`);
}

const MEASURE = { warmup: 20, iterations: 300, seed: 1 };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'inferbench-run-paired-'));
  mkdirSync(at('base'));
  mkdirSync(at('tmp'));
  copyFileSync('fixtures/mlp.onnx', at('mlp.onnx'));
  copyFileSync('fixtures/mlp.onnx', at('base', 'mlp.onnx'));
  // A repository whose committed model is 4 layers; the working tree's is 12 (the pull request).
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: at('repo'), stdio: 'ignore' });
  mkdirSync(at('repo'));
  git('init', '-q');
  writeFileSync(at('repo', 'model.onnx'), chain(4));
  git('add', 'model.onnx');
  git('commit', '-qm', 'base');
  writeFileSync(at('repo', 'model.onnx'), chain(12));
  writeFileSync(at('repo', 'new.onnx'), chain(4));
  writeFileSync(at('repo', 'ci.json'), JSON.stringify({ models: ['model.onnx', 'new.onnx'], sweep: { batch: [16], threads: [1] }, measure: MEASURE, output: { dir: 'out', comparison: 'out/comparison.md' }, paired: { baseRef: 'HEAD' } }));
  writeFileSync(at('dir.json'), JSON.stringify({ models: ['mlp.onnx'], sweep: { threads: [1] }, measure: MEASURE, thresholds: ['50%'], output: { dir: 'out' }, paired: { baseDir: 'base', epochs: 2 } }));
});

describe('inferbench run with paired', () => {
  test('baseDir: the same model on both sides, measured interleaved in the epochs the config asks for: no regression, comparison JSON written', () => {
    const r = inferbench(dir, 'run', '--config', 'dir.json');
    expect(r.stderr).toContain('interleaved');
    expect(r.status).toBe(0);
    const c = JSON.parse(readFileSync(at('out', 'mlp.compare.json'), 'utf8')) as { path: string; regressions: number; trials: { paired: { epochs: number } }[] };
    expect(c).toMatchObject({ path: 'paired', regressions: 0 });
    // The config's paired.epochs reaches compare.
    expect(c.trials[0]!.paired.epochs).toBe(2);
    expect(r.stdout).toContain('method: Paired:');
  });

  test('baseRef: the model at the git ref is the base; 3× the layers is a regression (exit 1); a new model is listed, not compared', () => {
    const r = inferbench(at('repo'), 'run', '--config', 'ci.json');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^regressed: 1 of 1 trials regressed/m);
    expect(r.stderr).toMatch(/no base version of .*new\.onnx \(not at HEAD\): not compared/);
    const md = readFileSync(at('repo', 'out', 'comparison.md'), 'utf8');
    expect(md).toContain('inferbench compare: regressed');
    expect(md).toContain('No baseline yet, not compared: new');
    // The base version taken from the ref was a temporary copy: removed once measured.
    expect(readdirSync(at('tmp')).filter((f) => f.startsWith('inferbench-base-'))).toEqual([]);
  });

  test('--base-dir on the command line overrides the config; a bad ref is one clear line, exit 2', () => {
    const bad = inferbench(at('repo'), 'run', '--config', 'ci.json', '--base-ref', 'no-such-ref');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/error: cannot take .*model\.onnx from git ref 'no-such-ref'/);
    expect(bad.stderr).toMatch(/^hint: /m);
    // The base directory holds no model of these names: nothing compared is not a pass (exit 4).
    const other = inferbench(at('repo'), 'run', '--config', 'ci.json', '--base-dir', at('base'));
    expect(other.status).toBe(4);
    expect(other.stderr).toMatch(/no base version of .*model\.onnx \(not in .*base\): not compared/);
    expect(other.stderr).toContain('error: nothing was compared');
  });
});
