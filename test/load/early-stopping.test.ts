import { describe, expect, test } from 'vitest';
import { earlyStopping, maxOverTarget, minimumRequests, minPassingQueries } from '../../src/load/early-stopping.js';

const p99 = { percentile: 0.99 };

// LoadGen's regularized beta, written from its definition in mlcommons/inference
// loadgen/early_stopping.cc (x^a/a (1−x)^(b−1) 2F1(1, 1−b; 1+a; x/(x−1)) / B(a, b)), so the
// binomial-CDF form in src/ is checked against an independent evaluation of the same formula.
function lgamma(x: number): number {
  // Lanczos (g = 7, n = 9): ~15 digits for x > 0.5.
  const c = [0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7];
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}
function loadgenOdds(h: number, t: number, p: number): number {
  const b = 1 + t;
  const x = p;
  const z = x / (x - 1);
  let term = 1;
  let series = 1;
  for (let i = 0; Math.abs(term) > 1 / 2 ** 33; i++) {
    term *= ((1 - b + i) * z) / (1 + h + i);
    series += term;
  }
  const lbeta = lgamma(h) + lgamma(b) - lgamma(h + b);
  return (Math.exp(h * Math.log(x) + (b - 1) * Math.log(1 - x) - lbeta) / h) * series;
}
function loadgenMinPassing(t: number, p: number): number {
  let h = 1;
  while (loadgenOdds(h, t, p) >= 0.01) h++;
  return h;
}

describe('LoadGen early stopping', () => {
  test('459 requests with none over the target is the p99 minimum', () => {
    expect(minimumRequests(p99)).toBe(459);
    expect(earlyStopping(459, 0, p99).pass).toBe(true);
    expect(earlyStopping(458, 0, p99).pass).toBe(false);
  });

  // Requests needed (h + t) with t over the target, p99 at 99% confidence: 459, 662, 2 010 and
  // 3 304 are the values LoadGen's rule gives (shared/research/service-latency.md §1.3); the rest
  // were computed with SciPy's betainc from the same formula.
  test.each([[0, 459], [1, 662], [2, 838], [5, 1307], [10, 2010], [20, 3304], [50, 6898], [100, 12571]])('p99, %i over → %i requests', (t, needed) => {
    expect(minPassingQueries(t, p99) + t).toBe(needed);
    expect(earlyStopping(needed, t, p99)).toMatchObject({ pass: true, needed });
    expect(earlyStopping(needed - 1, t, p99).pass).toBe(false);
  });

  test('other percentiles: p99.9 needs 4 603, p95 90, p90 44', () => {
    expect(minimumRequests({ percentile: 0.999 })).toBe(4603);
    expect(minPassingQueries(1, { percentile: 0.999 }) + 1).toBe(6636);
    expect(minimumRequests({ percentile: 0.95 })).toBe(90);
    expect(minPassingQueries(5, { percentile: 0.95 }) + 5).toBe(259);
    expect(minimumRequests({ percentile: 0.9 })).toBe(44);
  });

  test.each([0, 1, 3, 10])('agrees with LoadGen’s hypergeometric evaluation at t = %i', (t) => {
    expect(minPassingQueries(t, p99)).toBe(loadgenMinPassing(t, 0.99));
  });

  test('the most over-target requests a run can hold', () => {
    expect(maxOverTarget(458, p99)).toBe(-1);
    expect(maxOverTarget(459, p99)).toBe(0);
    expect(maxOverTarget(661, p99)).toBe(0);
    expect(maxOverTarget(662, p99)).toBe(1);
    expect(maxOverTarget(2010, p99)).toBe(10);
    expect(maxOverTarget(3303, p99)).toBe(19);
    // A million requests: the log-space sum neither underflows nor takes long.
    const t = maxOverTarget(1_000_000, p99);
    expect(t).toBeGreaterThan(9_700);
    expect(t).toBeLessThan(10_000);
    expect(earlyStopping(1_000_000, t, p99).pass).toBe(true);
    expect(earlyStopping(1_000_000, t + 1, p99).pass).toBe(false);
  });

  test('bad parameters are refused', () => {
    expect(() => minPassingQueries(-1, p99)).toThrow(RangeError);
    expect(() => minPassingQueries(0, { percentile: 1 })).toThrow(RangeError);
    expect(() => minPassingQueries(0, { percentile: 0.99, confidence: 1 })).toThrow(RangeError);
  });
});
