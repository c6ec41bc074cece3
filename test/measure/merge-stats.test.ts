import { describe, expect, test } from 'vitest';
import { createLatencyHistogram, recordMicros } from '../../src/measure/histogram.js';
import { mergeStageStats } from '../../src/measure/merge-stats.js';
import { summarizeStage } from '../../src/measure/stats.js';
import { mulberry32, normal } from '../helpers/rng.js';

function stats(values: number[]) {
  const samples = Float64Array.from(values);
  const histogram = createLatencyHistogram();
  for (const v of values) recordMicros(histogram, v);
  return summarizeStage(samples, samples.length, histogram);
}

describe('mergeStageStats', () => {
  test('merging parts equals summarising the concatenated samples', () => {
    const gauss = normal(mulberry32(7));
    const a = Array.from({ length: 700 }, () => 1000 + gauss() * 50);
    const b = Array.from({ length: 500 }, () => 1100 + gauss() * 80);
    const merged = mergeStageStats([stats(a), stats(b)]);
    const whole = stats([...a, ...b]);
    expect(merged.count).toBe(1200);
    expect(merged.meanMs).toBeCloseTo(whole.meanMs, 9);
    expect(merged.stddevMs).toBeCloseTo(whole.stddevMs, 9);
    expect(merged.minMs).toBe(whole.minMs);
    expect(merged.maxMs).toBe(whole.maxMs);
    for (const key of ['p50Ms', 'p90Ms', 'p99Ms'] as const) expect(merged[key]).toBe(whole[key]);
    expect(merged.insufficient).toEqual(whole.insufficient);
    // CI bounds from the histogram agree with those from raw samples within HDR's resolution.
    expect(merged.ci.p50Ms?.[0]).toBeCloseTo(whole.ci.p50Ms![0], 1);
    expect(merged.ci.p50Ms?.[1]).toBeCloseTo(whole.ci.p50Ms![1], 1);
  });

  test('one part is returned as it is', () => {
    const only = stats([1, 2, 3]);
    expect(mergeStageStats([only])).toBe(only);
  });
});
