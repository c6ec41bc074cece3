import { describe, expect, it } from 'vitest';
import {
  createLatencyHistogram,
  decodeHistogram,
  recordMicros,
} from '../../src/measure/histogram.js';
import { summarizeStage } from '../../src/measure/stats.js';
import type { StageStats } from '../../src/types.js';
import { draw, exponential, mulberry32, normal } from '../helpers/rng.js';

/** What the timing loop does: raw samples in a preallocated buffer, and the histogram. */
function summarize(samples: Float64Array, count = samples.length): StageStats {
  const h = createLatencyHistogram();
  for (let i = 0; i < count; i++) recordMicros(h, samples[i] ?? 0);
  return summarizeStage(samples, count, h);
}

function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

/** Within HDR precision: 3 significant digits = 0.1% relative. */
const closeHdr = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected * 1e-3);

describe('summarizeStage: 1..1000 µs', () => {
  const s = summarize(Float64Array.from({ length: 1000 }, (_, i) => i + 1));

  it('computes exact moments from the raw samples, in ms', () => {
    expect(s.count).toBe(1000);
    expect(s.minMs).toBe(0.001);
    expect(s.maxMs).toBe(1);
    expect(s.meanMs).toBeCloseTo(0.5005, 12);
    // Sample variance of 1..n is n(n+1)/12.
    expect(s.stddevMs).toBeCloseTo(Math.sqrt((1000 * 1001) / 12) / 1000, 12);
    expect(s.cv).toBeCloseTo(s.stddevMs / s.meanMs, 12);
  });

  it('reads percentiles from the histogram (exact below 2048 µs)', () => {
    expect(s.p50Ms).toBe(0.5);
    expect(s.p90Ms).toBe(0.9);
    expect(s.p95Ms).toBe(0.95);
    expect(s.p99Ms).toBe(0.99);
    expect(s.p999Ms).toBe(0.999);
  });

  it('has order-statistic CIs around p50 and p99, and the LoadGen verdicts', () => {
    expect(s.ci.level).toBe(0.95);
    const [lo50, hi50] = s.ci.p50Ms ?? [0, 0];
    expect(lo50).toBeLessThan(0.5);
    expect(hi50).toBeGreaterThan(0.5);
    expect(hi50 - lo50).toBeLessThan(0.07); // ≈ 2·1.96·sqrt(.25/1000)·1000 µs = 62 µs
    const [lo99, hi99] = s.ci.p99Ms ?? [0, 0];
    expect(lo99).toBeLessThanOrEqual(0.99);
    expect(hi99).toBeGreaterThanOrEqual(0.99);
    expect(s.insufficient).toEqual(['p999']);
  });

  it('carries the encoded histogram', () => {
    const back = decodeHistogram(s.histogram);
    expect(back.totalCount).toBe(1000);
    expect(back.getValueAtPercentile(50)).toBe(500);
  });
});

describe('summarizeStage: edge cases', () => {
  it('constant latency has stddev 0 and cv 0', () => {
    const s = summarize(new Float64Array(700).fill(2500));
    expect(s.stddevMs).toBe(0);
    expect(s.cv).toBe(0);
    expect(s.minMs).toBe(2.5);
    expect(s.maxMs).toBe(2.5);
    expect(s.meanMs).toBe(2.5);
    for (const p of [s.p50Ms, s.p90Ms, s.p99Ms, s.p999Ms]) closeHdr(p, 2.5);
    expect(s.ci.p50Ms).toEqual([2.5, 2.5]);
  });

  it('0 samples: zeros, nulls, everything insufficient, never NaN', () => {
    const s = summarize(new Float64Array(16), 0);
    expect(s.count).toBe(0);
    expect(numbersIn(s).every((x) => Number.isFinite(x))).toBe(true);
    expect([s.minMs, s.meanMs, s.stddevMs, s.p50Ms, s.p99Ms, s.maxMs, s.cv]).toEqual([
      0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(s.ci).toEqual({ p50Ms: null, p99Ms: null, level: 0.95 });
    expect(s.insufficient).toEqual(['p50', 'p90', 'p95', 'p99', 'p999']);
    expect(decodeHistogram(s.histogram).totalCount).toBe(0);
  });

  it('1 sample: its value everywhere, stddev and cv 0', () => {
    const s = summarize(new Float64Array([1234, 0, 0]), 1);
    expect(numbersIn(s).every((x) => Number.isFinite(x))).toBe(true);
    expect([s.minMs, s.meanMs, s.maxMs]).toEqual([1.234, 1.234, 1.234]);
    closeHdr(s.p50Ms, 1.234);
    expect([s.stddevMs, s.cv]).toEqual([0, 0]);
    expect(s.ci.p50Ms).toBeNull();
  });

  it('ignores the preallocated tail past count', () => {
    const buffer = new Float64Array(2000).fill(9e9);
    for (let i = 0; i < 1000; i++) buffer[i] = i + 1;
    const s = summarize(buffer, 1000);
    expect(s.count).toBe(1000);
    expect(s.maxMs).toBe(1);
    expect(s.meanMs).toBeCloseTo(0.5005, 12);
    expect(s.ci.p99Ms?.[1]).toBeLessThanOrEqual(1);
  });

  it('clamps a count larger than the buffer', () => {
    expect(summarize(new Float64Array([5, 7]), 10).count).toBe(2);
  });
});

describe('summarizeStage: seeded distributions', () => {
  it('normal(mean 10 ms, sd 1 ms), n = 20000', () => {
    const z = normal(mulberry32(11));
    const s = summarize(draw(20_000, () => 10_000 + 1_000 * z()));
    // Standard errors: mean 0.007 ms, sd 0.005 ms, p50 0.009 ms, p99 ~0.025 ms; bounds ≈ 4 SE.
    expect(Math.abs(s.meanMs - 10)).toBeLessThan(0.03);
    expect(Math.abs(s.stddevMs - 1)).toBeLessThan(0.02);
    expect(Math.abs(s.cv - 0.1)).toBeLessThan(0.003);
    expect(Math.abs(s.p50Ms - 10)).toBeLessThan(0.04);
    expect(Math.abs(s.p99Ms - 12.3263)).toBeLessThan(0.12);
    expect(s.insufficient).toEqual([]);
  });

  it('exponential(mean 1 ms), n = 50000', () => {
    const s = summarize(draw(50_000, exponential(mulberry32(12), 1_000)));
    expect(Math.abs(s.meanMs - 1)).toBeLessThan(0.02);
    expect(Math.abs(s.stddevMs - 1)).toBeLessThan(0.03);
    expect(Math.abs(s.p50Ms - Math.LN2)).toBeLessThan(0.02);
    expect(Math.abs(s.p99Ms - Math.log(100))).toBeLessThan(0.15);
    const [lo, hi] = s.ci.p99Ms ?? [0, 0];
    expect(lo).toBeLessThanOrEqual(Math.log(100));
    expect(hi).toBeGreaterThanOrEqual(Math.log(100));
  });
});
