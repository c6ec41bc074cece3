import { describe, expect, it } from 'vitest';
import {
  insufficientPercentiles,
  MIN_SAMPLES,
  minimumSamples,
  minSamplesForPercentile,
} from '../../src/measure/sample-rules.js';

/** P(Binomial(n, 1 - p) <= 1) in closed form: p^n + n (1-p) p^(n-1). */
function atMostOneOverlatency(n: number, p: number): number {
  return p ** n + n * (1 - p) * p ** (n - 1);
}

describe('minSamplesForPercentile (MLPerf LoadGen early-stopping rule)', () => {
  it("reproduces LoadGen's documented minimums: 64 for p90, 662 for p99", () => {
    expect(minSamplesForPercentile(0.9)).toBe(64);
    expect(minSamplesForPercentile(0.99)).toBe(662);
  });

  it('derives p50, p95 and p99.9 from the same formula', () => {
    expect(MIN_SAMPLES).toEqual({ p50: 11, p90: 64, p95: 130, p99: 662, p999: 6636 });
    expect(minimumSamples('p99')).toBe(662);
  });

  it('each minimum is the first n where the binomial tail drops below 1 - 0.99', () => {
    for (const p of [0.5, 0.9, 0.95, 0.99, 0.999]) {
      const n = minSamplesForPercentile(p);
      expect(atMostOneOverlatency(n, p)).toBeLessThan(0.01);
      expect(atMostOneOverlatency(n - 1, p)).toBeGreaterThanOrEqual(0.01);
    }
  });

  it('grows with the percentile and with the confidence', () => {
    expect(minSamplesForPercentile(0.999)).toBeGreaterThan(minSamplesForPercentile(0.99));
    expect(minSamplesForPercentile(0.99, 0.999)).toBeGreaterThan(minSamplesForPercentile(0.99));
  });

  it('rejects percentiles and confidences outside (0, 1)', () => {
    expect(() => minSamplesForPercentile(1)).toThrow(RangeError);
    expect(() => minSamplesForPercentile(0)).toThrow(RangeError);
    expect(() => minSamplesForPercentile(0.9, 1)).toThrow(RangeError);
  });
});

describe('insufficientPercentiles', () => {
  it('lists the percentiles the count cannot support, in order', () => {
    expect(insufficientPercentiles(0)).toEqual(['p50', 'p90', 'p95', 'p99', 'p999']);
    expect(insufficientPercentiles(63)).toEqual(['p90', 'p95', 'p99', 'p999']);
    expect(insufficientPercentiles(64)).toEqual(['p95', 'p99', 'p999']);
    expect(insufficientPercentiles(661)).toEqual(['p99', 'p999']);
    expect(insufficientPercentiles(662)).toEqual(['p999']);
    expect(insufficientPercentiles(6636)).toEqual([]);
    expect(insufficientPercentiles(Number.NaN)).toHaveLength(5);
  });
});
