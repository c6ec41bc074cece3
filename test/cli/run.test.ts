// Spawns the built CLI (`npm test` runs tsc first): `inferbench run` on a config in a temp directory,
// profiling the MLP fixture with few iterations. Asserts files, exit codes and wording, never timings.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { validateReport } from '../../src/report/validate.js';
import type { Report } from '../../src/types.js';

let dir: string;
const at = (...parts: string[]): string => join(dir, ...parts);

function inferbench(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/inferbench', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeConfig(name: string, config: object): string {
  const path = at(name);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

const readReport = (path: string): Report => JSON.parse(readFileSync(path, 'utf8')) as Report;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'inferbench-run-'));
  writeConfig('ci.json', {
    models: [resolve('fixtures/mlp.onnx')],
    measure: { warmup: 5, iterations: 30, repeat: 3 },
    budgets: ['inference.p99<=10s', 'throughput>=1/s'],
    thresholds: ['500%'],
    output: { dir: 'out', formats: ['md'], comparison: 'out/comparison.md' },
    baseline: 'baseline',
  });
});

describe('inferbench run', () => {
  test('profiles what the config declares, with flags overriding the file; budgets pass: exit 0', () => {
    const r = inferbench('run', '--config', at('ci.json'), '-n', '40', '--repeat', '2', '--no-compare');
    expect(r.stderr).toContain('budget inference.p99 <= 10.0 s on cpu fp32 batch=1 threads=auto:');
    expect(r.stderr).toMatch(/headroom \+\d+% — pass/);
    expect(r.status).toBe(0);
    // Stable names under output.dir (relative to the config file); the JSON is always written.
    const report = readReport(at('out', 'mlp.json'));
    expect(validateReport(report)).toEqual({ valid: true });
    expect(existsSync(at('out', 'mlp.md'))).toBe(true);
    expect(report.options).toMatchObject({ repeat: 2, measure: { kind: 'count', iterations: 40 }, warmup: { kind: 'count', iterations: 5 } });
    const trial = report.trials[0];
    expect(trial?.status === 'ok' && trial.repetitions?.length).toBe(2);
    // --no-compare: no comparison file.
    expect(existsSync(at('out', 'comparison.md'))).toBe(false);
  });

  test('without a baseline yet: runs, says so, and the comparison file says so too', () => {
    const r = inferbench('run', '--config', at('ci.json'), '--out', at('first'), '--comparison', at('first', 'comparison.md'));
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`no baseline for mlp (${at('baseline', 'mlp.json')} is missing): not compared`);
    expect(readFileSync(at('first', 'comparison.md'), 'utf8')).toContain('No baseline yet, not compared: mlp');
  });

  test('with a baseline: compares, prints the table and writes the Markdown comparison', () => {
    const r = inferbench('run', '--config', at('ci.json'), '--baseline', at('first'), '--out', at('second'), '--comparison', at('second', 'comparison.md'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`base  ${at('first', 'mlp.json')} (mlp.onnx`);
    expect(r.stdout).toMatch(/│ inference\s+│ p50\s+│/);
    const md = readFileSync(at('second', 'comparison.md'), 'utf8');
    expect(md).toMatch(/^## .+ inferbench compare: /);
    expect(md).toContain('threshold 500%');
    expect(md).toContain('### Budgets (head)');
  });

  test("the config's pipeline feeds real data through a user module (paths relative to the config)", () => {
    const path = writeConfig('pipeline.json', {
      models: [{ path: resolve('fixtures/mlp.onnx'), pipeline: { data: resolve('examples/pipelines/features.csv'), name: resolve('examples/pipelines/custom.mjs'), options: { scale: '0.5' } } }],
      measure: { warmup: 5, iterations: 20 },
      output: { dir: 'piped' },
    });
    const r = inferbench('run', '--config', path);
    expect(r.status).toBe(0);
    const report = readReport(at('piped', 'mlp.json'));
    expect(report.options).toMatchObject({ pipeline: { name: resolve('examples/pipelines/custom.mjs'), data: resolve('examples/pipelines/features.csv'), options: { scale: '0.5' } } });
    const trial = report.trials[0];
    expect(trial?.status).toBe('ok');
    expect(trial?.status === 'ok' && trial.stages.load?.count).toBeGreaterThan(0);
  });

  test('a violated budget exits 1; --budget replaces the file budgets', () => {
    const r = inferbench('run', '--config', at('ci.json'), '--out', at('tight'), '--no-compare', '--budget', 'total.p50<1us');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/budget total\.p50 < 1\.00 µs on cpu fp32 batch=1 threads=auto: .+, headroom −\d+% — FAIL/);
    expect(r.stderr).not.toContain('inference.p99');
  });

  test.each([
    [{ models: [] }, /\/models: must NOT have fewer than 1 items/],
    [{ models: ['m.onnx'], sweep: { batch: [0] } }, /\/sweep\/batch\/0: must be >= 1/],
    [{ models: ['m.onnx'], pipeline: { date: 'images' } }, /\/pipeline: unknown field 'date'/],
    [{ models: ['m.onnx'], budgets: ['p99 under 5ms'] }, /\/budgets\/0: budget 'p99 under 5ms': not a budget/],
  ])('an invalid config %j: exit 2, the error names the field', (config, message) => {
    const path = writeConfig('bad.json', config);
    const r = inferbench('run', '--config', path);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: .*bad\.json: /m);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^hint: /m);
  });

  test('a missing config file: exit 2 with a hint', () => {
    const r = inferbench('run', '--config', at('missing.json'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no such file');
    expect(r.stderr).toContain('examples/inferbench.config.json');
  });
});
