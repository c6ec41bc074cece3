import { describe, expect, it } from 'vitest';
import {
  createWarmupDetector,
  driftRatio,
  isDrifting,
  mannKendallZ,
  NOISE_CV_THRESHOLD,
  noiseWarnings,
} from '../../src/measure/convergence.js';
import { insufficientPercentiles } from '../../src/measure/sample-rules.js';
import type { StageStats } from '../../src/types.js';
import { mulberry32, normal } from '../helpers/rng.js';

/** Feeds f(1), f(2), ... until convergence or `limit` iterations. */
function feed(f: (i: number) => number, limit = 1000, options = {}) {
  const detector = createWarmupDetector(options);
  for (let i = 1; i <= limit && detector.convergedAt === null; i++) detector.push(f(i));
  return detector;
}

/** 10 ms + a 5 ms excess decaying with time constant `tau`, after a 100 ms first call. */
const decay = (tau: number, noise: () => number) => (i: number) =>
  (i === 1 ? 100 : 10 + 5 * Math.exp(-(i - 1) / tau)) * (1 + noise());

describe('createWarmupDetector', () => {
  it('a flat series converges at the first possible check (2·W = 20 iterations)', () => {
    const d = feed(() => 10);
    expect(d.detectedAt).toBe(20);
    expect(d.convergedAt).toBe(11);
    expect(d.window).toBe(10);
  });

  it('a flat series with 1% noise converges at the first check too', () => {
    for (const seed of [1, 2, 3]) {
      const z = normal(mulberry32(seed));
      expect(feed(() => 10 * (1 + 0.01 * z())).detectedAt).toBe(20);
    }
  });

  it('a first-call spike followed by a decay converges after the decay, not before', () => {
    for (const seed of [1, 2, 3, 4]) {
      const z = normal(mulberry32(seed));
      const f = decay(10, () => 0.005 * z());
      const d = feed(f);
      const at = d.convergedAt ?? Infinity;
      expect(at).toBeGreaterThan(20);
      expect(at).toBeLessThan(100);
      // By then the excess over the 10 ms floor is under 1% (0.5% noise on top).
      expect(5 * Math.exp(-(at - 1) / 10)).toBeLessThan(0.1);
    }
  });

  it('a noise-free decay converges once the change is below the 0.1% resolution', () => {
    const at = feed(decay(10, () => 0)).convergedAt ?? Infinity;
    expect(5 * Math.exp(-(at - 1) / 10)).toBeLessThan(0.01);
    expect(at).toBeLessThan(100);
  });

  it('a slow monotone decline does not pass for steady (the trend test)', () => {
    // −0.1 ms per iteration from 40 ms: only ~2.5% per 10-iteration window, but monotone.
    const d = feed((i) => 10 + 0.1 * Math.max(0, 300 - i), 1000);
    expect(d.convergedAt).toBeGreaterThan(290);
    expect(feed((i) => 10 * (1 + 0.01 * i), 500).convergedAt).toBeNull();
  });

  it('grows the window for noisy series, then converges', () => {
    const z = normal(mulberry32(5));
    const d = feed(() => 10 * (1 + 0.1 * z()));
    expect(d.window).toBeGreaterThan(10);
    expect(d.window).toBeLessThanOrEqual(100);
    expect(d.convergedAt).not.toBeNull();
    expect(d.detectedAt).toBe((d.convergedAt ?? 0) + d.window - 1);
  });

  it('is sticky and keeps counting after convergence; works past the ring capacity', () => {
    const d = createWarmupDetector({ window: 5, maxWindow: 5 });
    for (let i = 1; i <= 40; i++) d.push(10 + (i <= 25 ? 25 - i : 0));
    expect(d.convergedAt).not.toBeNull();
    expect(d.convergedAt).toBeGreaterThanOrEqual(25);
    expect(d.push(1000)).toBe(true);
    expect(d.iterations).toBe(41);
  });
});

describe('driftRatio', () => {
  it('is the relative change of the median, first third to last third', () => {
    const s = new Float64Array([100, 100, 100, 500, 500, 500, 120, 120, 120]);
    expect(driftRatio(s, 9)).toBeCloseTo(0.2, 12);
    expect(driftRatio(s, 2)).toBe(0);
    expect(driftRatio(new Float64Array([120, 100, 100, 0, 0]), 3)).toBeCloseTo(-1 / 6, 12);
  });
});

describe('mannKendallZ', () => {
  it('matches the closed form for a strictly monotone series', () => {
    // m = 10: S = 45, Var = 10·9·25/18 = 125, z = (45 − 1)/sqrt(125).
    const up = Float64Array.from({ length: 10 }, (_, i) => i);
    expect(mannKendallZ(up, 10)).toBeCloseTo(44 / Math.sqrt(125), 12);
    expect(mannKendallZ(up.slice().reverse(), 10)).toBeCloseTo(-44 / Math.sqrt(125), 12);
    expect(mannKendallZ(new Float64Array(50).fill(3), 50)).toBe(0);
  });
});

describe('isDrifting', () => {
  const z = normal(mulberry32(3));
  const series = (slope: number, noise: number) =>
    Float64Array.from({ length: 3000 }, (_, i) => 1000 * (1 + (slope * i) / 3000) * (1 + noise * z()));

  it('flags a +20% ramp under 5% noise', () => {
    const s = series(0.2, 0.05);
    expect(driftRatio(s, 3000)).toBeGreaterThan(0.1);
    expect(isDrifting(s, 3000)).toBe(true);
  });

  it('ignores a significant but small (2%) trend, stationary noise, and tiny runs', () => {
    expect(isDrifting(series(0.02, 0.01), 3000)).toBe(false);
    expect(isDrifting(series(0, 0.1), 3000)).toBe(false);
    expect(isDrifting(new Float64Array([1, 1, 1, 2, 2, 2, 3, 3, 3]), 9)).toBe(false);
  });

  it('flags latency that falls during the run as negative drift', () => {
    const s = Float64Array.from({ length: 300 }, (_, i) => (i < 200 ? 2000 - 5 * i : 1200));
    expect(driftRatio(s, 300)).toBeCloseTo(1200 / 1752.5 - 1, 12);
    expect(mannKendallZ(s, 300)).toBeLessThan(-2.576);
    expect(isDrifting(s, 300)).toBe(true);
  });
});

function stats(count: number, cv: number): StageStats {
  const meanMs = 4;
  return {
    count,
    minMs: 3,
    meanMs,
    stddevMs: cv * meanMs,
    p50Ms: 4,
    p90Ms: 4.5,
    p95Ms: 4.7,
    p99Ms: 5,
    p999Ms: 6,
    maxMs: 7,
    cv,
    ci: { p50Ms: null, p99Ms: null, level: 0.95 },
    insufficient: insufficientPercentiles(count),
    histogram: '',
  };
}

describe('noiseWarnings', () => {
  it('is quiet for a clean, large run', () => {
    expect(noiseWarnings(stats(10_000, 0.03), false, 0.01)).toEqual([]);
  });

  it("'too-noisy' above cv 10%, with the numbers and a fix", () => {
    expect(NOISE_CV_THRESHOLD).toBe(0.1);
    expect(noiseWarnings(stats(10_000, 0.1), false, 0)).toEqual([]);
    const [w] = noiseWarnings(stats(10_000, 0.142), false, 0);
    expect(w?.code).toBe('too-noisy');
    expect(w?.message).toContain('14.2%');
    expect(w?.message).toContain('0.568 ms');
    expect(w?.message).toContain('--threads');
  });

  it("'few-samples' names the LoadGen minimum and the -n that fixes it", () => {
    const [w] = noiseWarnings(stats(500, 0.02), false, 0);
    expect(w?.code).toBe('few-samples');
    expect(w?.message).toContain('only 500 samples');
    expect(w?.message).toContain('p99 needs 662');
    expect(w?.message).toContain('use -n 1000 for a trustworthy p99');
    const [v] = noiseWarnings(stats(40, 0.02), false, 0);
    expect(v?.message).toContain('p90 needs 64, p95 needs 130, p99 needs 662');
  });

  it('does not warn when only p99.9 lacks samples (it is marked in `insufficient`)', () => {
    const s = stats(1000, 0.02);
    expect(s.insufficient).toEqual(['p999']);
    expect(noiseWarnings(s, false, 0)).toEqual([]);
  });

  it("'drift' gives the signed ratio and the fixes", () => {
    const [w] = noiseWarnings(stats(10_000, 0.02), true, 0.123);
    expect(w?.code).toBe('drift');
    expect(w?.message).toContain('+12.3%');
    expect(w?.message).toContain('--warmup');
    expect(noiseWarnings(stats(10_000, 0.02), true, -0.08)[0]?.message).toContain('-8.0%');
  });

  it('reports all three at once, in a stable order', () => {
    const codes = noiseWarnings(stats(100, 0.3), true, 0.2).map((w) => w.code);
    expect(codes).toEqual(['too-noisy', 'few-samples', 'drift']);
  });
});
