import { describe, expect, it } from 'vitest';
import { binomialCdf, boundRanks, earlyStoppingFails, earlyStoppingPasses, judgePercentile, minPassingSamples } from '../../src/analyze/early-stopping.js';
import { MIN_SAMPLES } from '../../src/measure/sample-rules.js';

/** P(Binomial(n, r) <= k) summed term by term, for checking. */
function cdfBySum(k: number, n: number, r: number): number {
  let sum = 0;
  let logChoose = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logChoose += Math.log((n - i + 1) / i);
    sum += Math.exp(logChoose + i * Math.log(r) + (n - i) * Math.log1p(-r));
  }
  return sum;
}

describe('binomialCdf', () => {
  it('matches the sum of the pmf', () => {
    for (const [k, n, r] of [[0, 10, 0.1], [3, 50, 0.01], [10, 1000, 0.01], [40, 100, 0.5], [7, 662, 0.01]] as const) {
      expect(binomialCdf(k, n, r)).toBeCloseTo(cdfBySum(k, n, r), 10);
    }
  });
  it('is 0 below 0 and 1 at n', () => {
    expect(binomialCdf(-1, 10, 0.3)).toBe(0);
    expect(binomialCdf(10, 10, 0.3)).toBe(1);
  });
});

describe("LoadGen's early-stopping rule", () => {
  it("needs LoadGen's documented counts: 459 within for none over, 661 (+1 = 662 queries) for one", () => {
    // 0.99^459 = 0.00994 < 1%, 0.99^458 = 0.01004.
    expect(minPassingSamples(0, 0.99)).toBe(459);
    expect(minPassingSamples(1, 0.99) + 1).toBe(662);
    expect(minPassingSamples(1, 0.9) + 1).toBe(64);
    expect(minPassingSamples(1, 0.99) + 1).toBe(MIN_SAMPLES.p99);
  });
  it('needs more samples within the limit for every sample over it', () => {
    let previous = 0;
    for (let over = 0; over < 30; over++) {
      const h = minPassingSamples(over, 0.99);
      expect(h).toBeGreaterThan(previous);
      expect(binomialCdf(over, h + over, 0.01)).toBeLessThan(0.01);
      expect(binomialCdf(over, h - 1 + over, 0.01)).toBeGreaterThanOrEqual(0.01);
      previous = h;
    }
  });
  it('passes, fails or waits', () => {
    expect(judgePercentile(150, 0, 0.99)).toEqual({ verdict: 'undecided', samplesToPass: 309 });
    expect(judgePercentile(662, 1, 0.99).verdict).toBe('pass');
    expect(judgePercentile(150, 2, 0.99).verdict).toBe('undecided');
    // 10 of 150 above the limit: a p99 within it would see that with probability < 1e-5.
    expect(judgePercentile(150, 10, 0.99).verdict).toBe('fail');
    expect(earlyStoppingPasses(10_000, 60, 0.99)).toBe(true);
    expect(earlyStoppingFails(10_000, 140, 0.99)).toBe(true);
    expect(judgePercentile(10_000, 100, 0.99).verdict).toBe('undecided');
  });
  it('bounds the percentile by order statistics that agree with the verdict', () => {
    for (const n of [100, 500, 662, 2000, 20_000]) {
      const { upper, lower } = boundRanks(n, 0.99);
      if (upper !== null) {
        expect(judgePercentile(n, upper - 1, 0.99).verdict).toBe('pass');
        expect(judgePercentile(n, upper, 0.99).verdict).not.toBe('pass');
      } else {
        expect(judgePercentile(n, 0, 0.99).verdict).not.toBe('pass');
      }
      expect(lower).not.toBeNull();
      expect(judgePercentile(n, lower!, 0.99).verdict).toBe('fail');
      expect(judgePercentile(n, lower! - 1, 0.99).verdict).not.toBe('fail');
    }
    expect(boundRanks(100, 0.99).upper).toBeNull();
    expect(boundRanks(662, 0.99).upper).toBe(2);
  });
});
