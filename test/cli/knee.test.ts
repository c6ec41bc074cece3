// profile --rate auto end to end on the MLP fixture: bad input is one error line (exit 2) before
// anything runs; a real knee search writes a schema-valid report whose knee is backed by probes
// that are trials of the report. No wall-clock assertions: only the search's own consistency.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { validateReport } from '../../src/report/validate.js';
import type { Report } from '../../src/types.js';
import { problemsWithOneLineError, runCli, tempDir } from '../helpers/cli.js';

const QUICK = ['-w', '5', '--no-sample', '--no-op-profile', '-t', '1'];

describe('profile --rate auto: bad input', () => {
  test.each([
    ['no budget', ['--rate', 'auto'], /--rate auto searches for the highest rate within a latency budget, and none was given/],
    ['a budget without a percentile', ['--rate', 'auto', '--budget', 'mean<=5ms'], /needs a latency budget on a percentile/],
    ['a throughput budget only', ['--rate', 'auto', '--budget', 'throughput>=10/s'], /needs a latency budget on a percentile/],
    ['auto inside a list', ['--rate', '100,auto', '--budget', 'p99<=5ms'], /stands alone/],
    ['--advise-batching without --rate auto', ['--rate', '100', '--max-batch', '4', '--advise-batching'], /needs --rate auto/],
    ['--advise-batching without a max batch', ['--rate', 'auto', '--budget', 'p99<=5ms', '--advise-batching'], /needs --max-batch above 1/],
  ])('%s: one error line with a hint, exit 2', async (_name, flags, message) => {
    const run = await runCli(['profile', 'fixtures/mlp.onnx', ...flags, ...QUICK]);
    expect(run.code).toBe(2);
    expect(problemsWithOneLineError(run)).toEqual([]);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/hint/i);
  });
});

describe('profile --rate auto on the MLP', () => {
  test('finds a knee to the stated precision, every probe a trial', async () => {
    const dir = tempDir();
    // A generous budget: the knee sits near the capacity, so the search is a few short probes.
    const run = await runCli(['profile', 'fixtures/mlp.onnx', '--rate', 'auto', '--budget', 'p99<=1s', ...QUICK, '--format', 'json,console', '-o', dir], { timeoutMs: 180_000 });
    expect(run.stderr).not.toMatch(/internal error/i);
    expect([0, 1]).toContain(run.code);
    const report = JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.json'))!), 'utf8')) as Report;
    expect(validateReport(report)).toEqual({ valid: true });
    const [knee, ...more] = report.knee ?? [];
    expect(more).toHaveLength(0);
    expect(knee).toMatchObject({ budget: 'p99<=1s', percentile: 0.99, targetMs: 1000, rule: 'loadgen-early-stopping' });
    expect(knee!.capacity!.rate).toBeGreaterThan(0);
    // Every probe is a trial of the report; a pass had LoadGen's evidence, an overloaded probe no percentile.
    const ids = new Set(report.trials.map((t) => t.spec.id));
    for (const p of knee!.probes) {
      expect(ids.has(p.trialId)).toBe(true);
      if (p.verdict === 'pass') expect(p.requests).toBeGreaterThanOrEqual(p.needed);
      if (p.verdict === 'overloaded') expect(p.percentileMs).toBeNull();
    }
    const text = readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.txt'))!), 'utf8');
    expect(text).toContain('Latency–throughput curve');
    const pass = knee!.probes.filter((p) => p.verdict === 'pass');
    if (knee!.kneeRate !== null) {
      // The knee is the highest passing probe, below the lowest failing one, to the precision asked.
      expect(Math.max(...pass.map((p) => p.rate))).toBe(knee!.kneeRate);
      if (knee!.failedRate !== null) expect(knee!.failedRate).toBeGreaterThan(knee!.kneeRate);
      if (knee!.stop === 'precision') expect(knee!.precision!).toBeLessThanOrEqual(0.05);
      expect(text).toMatch(/knee of cpu fp32 batch=1 threads=1: .* req\/s meets total\.p99 ≤ 1\.00 s at 99% confidence/);
    } else {
      // A machine too busy to serve even an eighth of the capacity in budget: said, not hidden.
      expect(pass).toHaveLength(0);
      expect(knee!.stop).toBe('below-min-rate');
      expect(text).toMatch(/no rate down to .* meets total\.p99 ≤ 1\.00 s/);
    }
  }, 200_000);
});
