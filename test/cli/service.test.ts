// profile --rate end to end: bad input is one clear error (exit 2) before anything is measured (the
// messages of each check: test/load/service-options.test.ts); a
// short open-loop run writes a schema-valid report with the service section; SIGINT mid-load keeps
// the trials finished so far. No wall-clock assertions.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { validateReport } from '../../src/report/validate.js';
import type { Report, TrialOk } from '../../src/types.js';
import { problemsWithOneLineError, runCli, tempDir } from '../helpers/cli.js';

const QUICK = ['-w', '5', '--no-sample', '--no-op-profile', '-t', '1'];

function savedReport(dir: string): Report {
  const file = readdirSync(dir).find((f) => f.endsWith('.json'));
  expect(file).toBeDefined();
  return JSON.parse(readFileSync(join(dir, file!), 'utf8')) as Report;
}

describe('profile --rate: bad input', () => {
  const trace = (text: string): string => {
    const path = join(tempDir(), 'offsets.txt');
    writeFileSync(path, text);
    return path;
  };
  test.each([
    ['a rate of 0', ['--rate', '0'], /--rate '0': '0' is not a rate above 0/],
    ['batching flags without --rate', ['--max-batch', '4'], /--max-batch needs --rate/],
    ['--repeat with --rate', ['--rate', '100', '--repeat', '2'], /--repeat with --rate is not supported/],
  ])('%s: one error line, exit 2', async (_name, flags, message) => {
    const run = await runCli(['profile', 'fixtures/mlp.onnx', ...flags, ...QUICK, '-n', '10']);
    expect(run.code).toBe(2);
    expect(problemsWithOneLineError(run)).toEqual([]);
    expect(run.stderr).toMatch(message);
  });

  test('a trace with unsorted or negative offsets names the line', async () => {
    for (const [text, message] of [['0\n5\n3\n', /line 3: 3 ms comes after 5 ms/], ['0\n-2\n', /line 2: negative offset/]] as const) {
      const run = await runCli(['profile', 'fixtures/mlp.onnx', '--rate', '100', '--arrivals', trace(text), ...QUICK, '-n', '10']);
      expect(run.code).toBe(2);
      expect(problemsWithOneLineError(run)).toEqual([]);
      expect(run.stderr).toMatch(message);
    }
  });

  test('batching on a model whose batch dim is fixed at 1', async () => {
    const out = tempDir();
    const run = await runCli(['profile', 'fixtures/fixed.onnx', '--rate', '50', '--max-batch', '4', ...QUICK, '-n', '10', '--out', out]);
    expect(run.code).toBe(2);
    expect(problemsWithOneLineError(run)).toEqual([]);
    expect(run.stderr).toMatch(/no batch dim to stack requests along/);
  });
});

describe('profile --rate: a short open-loop run', () => {
  test('writes the service section and its stages, and the report validates', async () => {
    const out = tempDir();
    const run = await runCli(['profile', 'fixtures/mlp.onnx', '--rate', '100,200', '--arrivals', 'constant', '--max-batch', '4', '--max-delay', '1ms', '-n', '60', ...QUICK, '-f', 'json', '--out', out], { timeoutMs: 90_000 });
    expect(run.code).toBe(0);
    const report = savedReport(out);
    expect(validateReport(report)).toEqual({ valid: true });
    const trials = report.trials as TrialOk[];
    expect(trials.map((t) => t.spec.id)).toEqual([
      'cpu fp32 batch=1 threads=1 rate=100/s arrivals=constant max-batch=4 delay=1ms batching=triton',
      'cpu fp32 batch=1 threads=1 rate=200/s arrivals=constant max-batch=4 delay=1ms batching=triton',
    ]);
    for (const trial of trials) {
      const s = trial.service!;
      expect(s.requests.scheduled).toBe(60);
      expect(s.requests.completed + s.requests.dropped + s.requests.unfinished).toBe(s.requests.sent);
      expect(trial.stages.total.count).toBe(s.requests.completed);
      for (const stage of ['queue', 'batch', 'crossing', 'uncorrected', 'lag'] as const) expect(trial.stages[stage]?.count).toBe(s.requests.completed);
      // Every request's total is the sum of its stages, so the means add up too.
      const parts = (['queue', 'batch', 'crossing', 'preprocess', 'inference', 'postprocess'] as const).reduce((sum, k) => sum + trial.stages[k]!.meanMs, 0);
      expect(parts).toBeCloseTo(trial.stages.total.meanMs, 6);
      expect(s.inferenceByBatchSize.every((b) => b.batchSize >= 1 && b.batchSize <= 4)).toBe(true);
      expect(s.inferenceByBatchSize.reduce((n, b) => n + b.batches, 0)).toBe(s.batches);
      expect(['stable', 'overloaded']).toContain(s.overload.verdict);
    }
  }, 120_000);

  test('SIGINT mid-load writes the partial report with the rates finished and exits 130', async () => {
    const out = tempDir();
    let sent = false;
    const run = await runCli(['profile', 'fixtures/mlp.onnx', '--rate', '50,60', '--duration', '60s', ...QUICK, '-f', 'json', '--out', out], {
      timeoutMs: 90_000,
      onStderr: (text, child) => {
        if (!sent && text.includes('[1/2]')) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 2500);
        }
      },
    });
    expect(run.code).toBe(130);
    const report = savedReport(out);
    expect(report.interrupted).toBe(true);
    expect(report.trials[0]).toMatchObject({ status: 'ok', measure: { stopReason: 'interrupted' } });
    expect(validateReport(report)).toEqual({ valid: true });
  }, 120_000);
});
