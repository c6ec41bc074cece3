import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { contentionLimit, contentionOf, isContended } from '../../src/compare/contention.js';
import { parseReport } from '../../src/compare/load.js';
import type { TrialOk } from '../../src/types.js';
import { okTrial, reportOf } from './reports.js';

// The sample report's machine: 16 logical cores, 8 physical.
const trialWith = (threads: number | null, cpu: { totalPct: number; processPct: number }): TrialOk => okTrial({ inferenceUs: 600, seed: 1, spec: { threads }, cpu });

describe('contention', () => {
  test('CPU the trial wanted and others had: the smaller of their share and its shortfall', () => {
    const share = (t: TrialOk): number | undefined => contentionOf(reportOf([t]), t)?.share;
    // 4 threads want 25% of the machine; got 10% while the machine was full: 15% taken by others.
    expect(share(trialWith(4, { totalPct: 100, processPct: 10 }))).toBeCloseTo(0.15, 10);
    // One thread beside a job using every other core: it got its core, nothing was taken from it.
    expect(share(trialWith(1, { totalPct: 100, processPct: 6.25 }))).toBe(0);
    // The runtime's default (physical cores, 8 = 50%), quiet machine.
    expect(share(trialWith(null, { totalPct: 50, processPct: 50 }))).toBe(0);
    // No CPU data: unknown, not zero.
    expect(contentionOf(reportOf([okTrial({ inferenceUs: 600, seed: 1 })]), okTrial({ inferenceUs: 600, seed: 1 }))).toBeNull();
  });

  test('the report\'s raw samples (every repetition) are preferred to the trial summary (the first)', () => {
    const report = parseReport(readFileSync('test/data/compare/cnn-t1-a.json', 'utf8'), 'cnn-t1-a');
    const trial = report.trials[0] as TrialOk;
    expect(contentionOf(report, trial)?.samples).toBeGreaterThan(trial.utilisation?.sampleCount ?? 0);
    expect(contentionOf({ ...report, samples: undefined } as typeof report, trial)?.samples).toBe(trial.utilisation?.sampleCount);
  });

  test('each metric tolerates the contention that cannot fill the samples above it', () => {
    expect([contentionLimit('p50'), contentionLimit('p90'), contentionLimit('p99'), contentionLimit('mean'), contentionLimit('throughput')]).toEqual([0.1, 0.1, 0.01, 0.1, 0.1]);
    expect(isContended(0.05, 'p50')).toBe(false);
    expect(isContended(0.05, 'p99')).toBe(true);
    expect(isContended(null, 'p99')).toBe(false);
  });
});
