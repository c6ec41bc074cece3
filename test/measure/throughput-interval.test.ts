import { describe, expect, test } from 'vitest';
import { BATCH_WINDOWS, relativeRateInterval } from '../../src/measure/throughput-interval.js';

describe('throughput interval by batch means', () => {
  test('steady request times give a tight interval around 1', () => {
    const times = new Float64Array(1_000).fill(100);
    const r = relativeRateInterval(times, 1_000)!;
    expect(r).toMatchObject({ windows: BATCH_WINDOWS, level: 0.95 });
    expect(r.relative[0]).toBeCloseTo(1, 9);
    expect(r.relative[1]).toBeCloseTo(1, 9);
  });

  test('a burst in one window widens it; the same times spread evenly do not', () => {
    const burst = new Float64Array(1_000).fill(100);
    for (let i = 0; i < 100; i++) burst[i] = 300; // the first window ran 3× slower
    const spread = new Float64Array(1_000).fill(100);
    for (let i = 0; i < 1_000; i += 10) spread[i] = 300; // the same extra time, in every window
    const wide = relativeRateInterval(burst, 1_000)!;
    const narrow = relativeRateInterval(spread, 1_000)!;
    expect(wide.relative[1] - wide.relative[0]).toBeGreaterThan(0.2);
    expect(narrow.relative[1] - narrow.relative[0]).toBeLessThan(1e-9);
  });

  test('fewer than two requests per window: no interval', () => {
    expect(relativeRateInterval(new Float64Array(19).fill(1), 19)).toBeNull();
  });
});
