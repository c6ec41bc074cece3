// The public API as a library user imports it: profile(), compare() and listDevices() from the
// package entry, returning data and printing nothing.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { compare, listDevices, profile, run, validateReport, type Report } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'inferbench-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('public API', () => {
  test('profile() → a schema-valid report; compare() of it with itself never flags a change', async () => {
    const report = await profile({ model: 'fixtures/mlp.onnx', warmup: { kind: 'count', iterations: 5 }, measure: { kind: 'count', iterations: 100 }, sample: false });
    expect(validateReport(report)).toEqual({ valid: true });
    // 100 samples a side: honest intervals may be too wide to say "unchanged", never a change.
    const same = compare(report, report);
    expect(same.exitCode).toBe(0);
    expect(['unchanged', 'inconclusive']).toContain(same.verdict);
    expect(same.base.label).toBe('base');
    expect(compare('test/data/compare/cnn-t1-a.json', 'test/data/compare/cnn-t1-b.json').verdict).toBe('unchanged');
  });

  test('compare() reads report paths like the CLI and labels the sides with them', () => {
    const a = 'test/data/compare/cnn-t1-b.json';
    const b = 'test/data/compare/cnn-slow-t1.json';
    const c = compare(a, b);
    expect(c).toMatchObject({ verdict: 'regressed', exitCode: 1 });
    expect([c.base.label, c.head.label]).toEqual([a, b]);
    expect(() => compare('missing.json', b)).toThrow(/cannot read report missing\.json/);
  });

  test('listDevices(): every runtime with each device probed, and why a GPU is absent', async () => {
    const { runtimes, gpus, gpuNote } = await listDevices();
    expect(runtimes.map((r) => r.runtime)).toEqual(['onnxruntime', 'tensorflow.js']);
    for (const r of runtimes) expect(r.devices.find((d) => d.device === 'cpu')?.available).toBe(true);
    const cuda = runtimes[0]!.devices.find((d) => d.device === 'cuda');
    if (!cuda?.available) expect(cuda?.detail).toMatch(/cuda/);
    if (gpus.length === 0) expect(gpuNote).toMatch(/nvidia-smi/);
  });

  test('compare() refuses reports with no configuration in common, and with strict, reports from other machines', () => {
    const a = 'test/data/compare/cnn-t1-b.json';
    const report = JSON.parse(readFileSync(a, 'utf8')) as Report;
    const otherBatch = { ...report, trials: report.trials.map((t) => ({ ...t, spec: { ...t.spec, batch: 99 } })) } as Report;
    expect(() => compare(a, otherBatch)).toThrow(/no trial of head matches a trial of base/);
    const otherMachine = { ...report, environment: { ...report.environment, cpu: { ...report.environment.cpu, model: 'Another CPU' } } };
    expect(compare(a, otherMachine).exitCode).toBe(0);
    expect(() => compare(a, otherMachine, { strict: true })).toThrow(/not like for like \(--strict\)/);
  });

  test('run(): what a config declares — reports written, budgets checked by profile(), then compared with them as a baseline', async () => {
    const config = join(dir, 'inferbench.config.json');
    writeFileSync(config, JSON.stringify({ models: [resolve('fixtures/mlp.onnx')], measure: { warmup: 5, iterations: 100 }, budgets: ['p99<=10s'], output: { dir: 'first' } }));
    const quiet = { sample: false, opProfile: false, pairedSpeedUp: false } as const;
    const first = await run({ config, overrides: quiet });
    expect(first.exitCode).toBe(0);
    const [model] = first.models;
    expect(model!.written).toContain(join(dir, 'first', 'mlp.json'));
    expect(model!.report!.budget!.checks.map((c) => [c.budget.source, c.pass])).toEqual([['p99<=10s', true]]);
    const second = await run({ config, overrides: { ...quiet, budgets: ['p99<=1us'] }, outDir: join(dir, 'second'), baseline: join(dir, 'first'), comparisonFile: join(dir, 'cmp.md') });
    expect(second.exitCode).toBe(1); // the budget replaced on the command line fails
    expect(second.models[0]!.comparison?.trials).toHaveLength(1);
    expect(existsSync(join(dir, 'cmp.md'))).toBe(true);
  });
});
