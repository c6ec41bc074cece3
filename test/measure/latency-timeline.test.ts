// The latency timeline: windows of consecutive iterations, warm-up first, with exact medians and maxima.
import { describe, expect, test } from 'vitest';
import { latencyTimeline, TIMELINE_WINDOWS } from '../../src/measure/latency-timeline.js';
import { profile } from '../../src/profile.js';
import { validateReport } from '../../src/report/validate.js';
import type { TrialOk } from '../../src/types.js';

describe('latencyTimeline', () => {
  test('windows per phase, 1-based iterations continuing from warm-up, median and max of each', () => {
    const t = latencyTimeline(Float64Array.of(9, 7, 5), Float64Array.of(1, 3, 2, 10), 3);
    expect(t.windows).toEqual([
      { phase: 'warmup', firstIteration: 1, iterations: 1, p50Us: 9, maxUs: 9 },
      { phase: 'warmup', firstIteration: 2, iterations: 1, p50Us: 7, maxUs: 7 },
      { phase: 'warmup', firstIteration: 3, iterations: 1, p50Us: 5, maxUs: 5 },
      { phase: 'measure', firstIteration: 4, iterations: 1, p50Us: 1, maxUs: 1 },
      { phase: 'measure', firstIteration: 5, iterations: 1, p50Us: 3, maxUs: 3 },
      { phase: 'measure', firstIteration: 6, iterations: 1, p50Us: 2, maxUs: 2 },
      { phase: 'measure', firstIteration: 7, iterations: 1, p50Us: 10, maxUs: 10 },
    ]);
    const long = latencyTimeline(new Float64Array(0), Float64Array.from({ length: 10_000 }, (_, i) => i), 0);
    expect(long.windows.length).toBeLessThanOrEqual(TIMELINE_WINDOWS);
    expect(long.windows.reduce((n, w) => n + w.iterations, 0)).toBe(10_000);
    expect(long.windows[0]).toMatchObject({ firstIteration: 1, p50Us: (long.windows[0]!.iterations - 1) >> 1, maxUs: long.windows[0]!.iterations - 1 });
  });

  test('a profiled trial carries its timeline: every warm-up and measured iteration, schema-valid', async () => {
    const report = await profile({ model: 'fixtures/mlp.onnx', warmup: { kind: 'count', iterations: 30 }, measure: { kind: 'count', iterations: 300 }, threads: 1, sample: false, opProfile: false });
    expect(validateReport(report)).toEqual({ valid: true });
    const trial = report.trials[0] as TrialOk;
    const windows = trial.latencyTimeline!.windows;
    expect(windows.filter((w) => w.phase === 'warmup').reduce((n, w) => n + w.iterations, 0)).toBe(30);
    expect(windows.filter((w) => w.phase === 'measure').reduce((n, w) => n + w.iterations, 0)).toBe(300);
    expect(windows.find((w) => w.phase === 'measure')!.firstIteration).toBe(31);
    expect(windows.every((w) => w.maxUs >= w.p50Us && w.p50Us > 0)).toBe(true);
  });
});
