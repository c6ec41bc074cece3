// A sweep's speed-ups measured paired with the baseline trial (src/sweep/speedups.ts), through
// profile() on the real runtime.
import { describe, expect, test } from 'vitest';
import { profile } from '../../src/profile.js';
import { validateReport } from '../../src/report/validate.js';
import { sweepTable } from '../../src/report/sweep-table.js';
import type { TrialOk } from '../../src/types.js';

const QUICK = { warmup: { kind: 'count', iterations: 5 }, measure: { kind: 'count', iterations: 100 }, threads: 1, sample: false, opProfile: false } as const;

describe('paired speed-ups', () => {
  test('every trial but the baseline gets an interleaved speed-up with its interval; the table shows it', async () => {
    const started: string[] = [];
    const report = await profile({ model: 'fixtures/mlp.onnx', batch: [1, 8], ...QUICK }, { onSpeedUpStart: (spec, baseline) => started.push(`${spec.id} vs ${baseline.id}`) });
    expect(validateReport(report)).toEqual({ valid: true });
    const [baseline, batch8] = report.trials as TrialOk[];
    expect(baseline?.pairedSpeedUp).toBeUndefined();
    const s = batch8!.pairedSpeedUp!;
    expect(s.vsTrial).toBe(baseline!.spec.id);
    expect(s.blocks).toBeGreaterThan(0);
    expect(s.ci[0]).toBeLessThanOrEqual(s.ratio);
    expect(s.ci[1]).toBeGreaterThanOrEqual(s.ratio);
    // Items per second: batch 8 moves 8 items an iteration, the baseline 1.
    expect(s.ratio).toBeGreaterThan(1);
    expect(started).toEqual(['cpu fp32 batch=8 threads=1 vs cpu fp32 batch=1 threads=1']);
    const table = sweepTable(report)!;
    const column = table.header.indexOf('speed-up');
    expect(table.rows[1]![column]).toMatch(/^\d+(\.\d+)?× ±\d+(\.\d+)?%$/);
  });

  test('pairedSpeedUp: false (--no-paired-speedup) keeps the sequential ratio, and one trial has nothing to pair', async () => {
    const report = await profile({ model: 'fixtures/mlp.onnx', batch: [1, 2], pairedSpeedUp: false, ...QUICK });
    expect(report.trials.every((t) => t.status === 'ok' && t.pairedSpeedUp === undefined)).toBe(true);
    const table = sweepTable(report)!;
    expect(table.rows[1]![table.header.indexOf('speed-up')]).toMatch(/^\d+(\.\d+)?× seq\.$/);
    const single = await profile({ model: 'fixtures/mlp.onnx', ...QUICK });
    expect((single.trials[0] as TrialOk).pairedSpeedUp).toBeUndefined();
  });
});
