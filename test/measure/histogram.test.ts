import { describe, expect, it } from 'vitest';
import {
  createLatencyHistogram,
  decodeHistogram,
  encodeHistogram,
  HISTOGRAM_HIGHEST_US,
  mergeHistograms,
  recordMicros,
} from '../../src/measure/histogram.js';

function filled(from: number, to: number) {
  const h = createLatencyHistogram();
  for (let v = from; v <= to; v++) recordMicros(h, v);
  return h;
}

describe('createLatencyHistogram', () => {
  it('is a fixed-range pure-JS histogram with 3 significant digits', () => {
    const h = createLatencyHistogram();
    expect(h.autoResize).toBe(false);
    expect(h.numberOfSignificantValueDigits).toBe(3);
    expect(h.highestTrackableValue).toBeGreaterThanOrEqual(HISTOGRAM_HIGHEST_US);
    expect(h.constructor.name).toBe('Int32Histogram');
  });

  it('reads exact percentiles below 2048 µs (unit resolution there)', () => {
    const h = filled(1, 1000);
    expect(h.totalCount).toBe(1000);
    expect(h.getValueAtPercentile(50)).toBe(500);
    expect(h.getValueAtPercentile(90)).toBe(900);
    expect(h.getValueAtPercentile(99)).toBe(990);
    expect(h.maxValue).toBe(1000);
    expect(h.minNonZeroValue).toBe(1);
  });
});

describe('recordMicros', () => {
  it('rounds, and clamps to [1 µs, 1 h] without throwing', () => {
    const h = createLatencyHistogram();
    for (const v of [0, -5, 0.4, Number.NaN]) recordMicros(h, v);
    expect(h.totalCount).toBe(4);
    expect(h.maxValue).toBe(1);
    recordMicros(h, 2.6);
    expect(h.maxValue).toBe(3);
    recordMicros(h, 1e15);
    recordMicros(h, Number.POSITIVE_INFINITY);
    expect(h.totalCount).toBe(7);
    expect(Math.abs(h.maxValue - HISTOGRAM_HIGHEST_US) / HISTOGRAM_HIGHEST_US).toBeLessThan(1e-3);
  });
});

describe('encodeHistogram / decodeHistogram', () => {
  it('round-trips counts and percentiles', () => {
    const h = filled(1, 1000);
    recordMicros(h, 123_456); // a value in a coarser bucket
    const encoded = encodeHistogram(h);
    expect(typeof encoded).toBe('string');
    const back = decodeHistogram(encoded);
    expect(back.totalCount).toBe(h.totalCount);
    for (const p of [0, 50, 90, 99, 99.9, 100]) {
      expect(back.getValueAtPercentile(p)).toBe(h.getValueAtPercentile(p));
    }
    // The encoding keeps bucket counts, not raw values: a decoded max is its bucket's highest
    // equivalent value, within the histogram's 0.1% (StageStats.maxMs comes from raw samples).
    expect(Math.abs(back.maxValue - h.maxValue) / h.maxValue).toBeLessThan(1e-3);
    expect(encodeHistogram(back)).toBe(encoded);
  });

  it('round-trips an empty histogram', () => {
    const back = decodeHistogram(encodeHistogram(createLatencyHistogram()));
    expect(back.totalCount).toBe(0);
  });
});

describe('mergeHistograms', () => {
  it('adds counts: the merge equals the histogram of the union', () => {
    const a = filled(1, 500);
    const b = filled(501, 1000);
    const merged = mergeHistograms([a, decodeHistogram(encodeHistogram(b))]);
    const union = filled(1, 1000);
    expect(merged.totalCount).toBe(1000);
    for (const p of [1, 25, 50, 75, 90, 99, 99.9, 100]) {
      expect(merged.getValueAtPercentile(p)).toBe(union.getValueAtPercentile(p));
    }
    expect(a.totalCount).toBe(500); // inputs untouched
    expect(b.totalCount).toBe(500);
  });

  it('of nothing is an empty histogram', () => {
    expect(mergeHistograms([]).totalCount).toBe(0);
  });
});
