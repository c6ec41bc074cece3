import { describe, expect, test } from 'vitest';
import { mannWhitney } from '../../src/compare/mann-whitney.js';
import { aliasSampler, seededUniform } from '../../src/compare/sampler.js';
import { compareStage, judge, type MetricChange } from '../../src/compare/significance.js';
import { latencyHistogram } from './synthetic.js';

const FIVE = (): number => 0.05;
const decisive = (changes: MetricChange[]): MetricChange[] => changes.filter((c) => c.verdict === 'regressed');

describe('bootstrap on HDR histograms', () => {
  test('A/A: two independent samples of one distribution are not called regressed (50 seeds)', () => {
    let falseAlarms = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const base = latencyHistogram({ medianUs: 600 }, 2000, seed * 2);
      const head = latencyHistogram({ medianUs: 600 }, 2000, seed * 2 + 1);
      const changes = compareStage({ base: [base], head: [head], throughput: { base: 1000, head: 1000 } }, FIVE, undefined, seed);
      if (decisive(changes).length > 0) falseAlarms++;
    }
    // Each metric's interval must clear +5% with its lower bound; observed: 0 of 50.
    expect(falseAlarms).toBeLessThanOrEqual(1);
  });

  test('A/B: head 10% slower is regressed on p50, p90 and mean', () => {
    const base = latencyHistogram({ medianUs: 600 }, 2000, 11);
    const head = latencyHistogram({ medianUs: 660 }, 2000, 12);
    const changes = compareStage({ base: [base], head: [head] }, FIVE);
    const byMetric = Object.fromEntries(changes.map((c) => [c.metric, c]));
    for (const metric of ['p50', 'p90', 'mean']) {
      expect(byMetric[metric]?.verdict).toBe('regressed');
      expect(byMetric[metric]!.ci[0]).toBeGreaterThan(0.05);
      expect(byMetric[metric]!.change).toBeGreaterThan(0.07);
      expect(byMetric[metric]!.change).toBeLessThan(0.13);
    }
  });

  test('a noisy 3% change with a 5% threshold is never called regressed', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const base = latencyHistogram({ medianUs: 600, sigma: 0.3 }, 2000, seed * 2);
      const head = latencyHistogram({ medianUs: 618, sigma: 0.3 }, 2000, seed * 2 + 1);
      expect(decisive(compareStage({ base: [base], head: [head] }, FIVE))).toEqual([]);
    }
  });

  test('head 10% faster is improved, and throughput (bigger is better) follows', () => {
    const base = latencyHistogram({ medianUs: 660 }, 2000, 21);
    const head = latencyHistogram({ medianUs: 600 }, 2000, 22);
    const changes = compareStage({ base: [base], head: [head], throughput: { base: 1000, head: 1100 } }, FIVE);
    expect(changes.find((c) => c.metric === 'p50')?.verdict).toBe('improved');
    const throughput = changes.find((c) => c.metric === 'throughput')!;
    expect(throughput.change).toBeCloseTo(0.1, 5);
    expect(throughput.verdict).toBe('improved');
  });

  test('is deterministic for a seed', () => {
    const base = latencyHistogram({ medianUs: 600 }, 2000, 1);
    const head = latencyHistogram({ medianUs: 620 }, 2000, 2);
    expect(compareStage({ base: [base], head: [head] }, FIVE)).toEqual(compareStage({ base: [base], head: [head] }, FIVE));
  });

  test('a per-metric threshold applies: 10% slower with p50 at 15% is not a p50 regression', () => {
    const base = latencyHistogram({ medianUs: 600 }, 2000, 31);
    const head = latencyHistogram({ medianUs: 660 }, 2000, 32);
    const changes = compareStage({ base: [base], head: [head] }, (m) => (m === 'p50' ? 0.15 : 0.05));
    expect(changes.find((c) => c.metric === 'p50')?.verdict).toBe('unchanged');
  });

  test('drift widens the interval, and drift over 2× the threshold caps even a 2× slowdown', () => {
    const base = latencyHistogram({ medianUs: 600 }, 2000, 41);
    const head = latencyHistogram({ medianUs: 1200 }, 2000, 42);
    const plain = compareStage({ base: [base], head: [head] }, FIVE).find((c) => c.metric === 'p50')!;
    const drifting = compareStage({ base: [base], head: [head], driftAllowance: 0.3 }, FIVE).find((c) => c.metric === 'p50')!;
    expect(drifting.ci[0]).toBeLessThan(plain.ci[0]);
    expect(drifting.ci[1]).toBeGreaterThan(plain.ci[1]);
    expect(plain.verdict).toBe('regressed');
    expect(drifting).toMatchObject({ verdict: 'inconclusive', reason: 'unstable-run' });
  });

  test('a cap from the report (too few samples) turns a regression into inconclusive', () => {
    const base = latencyHistogram({ medianUs: 600 }, 2000, 51);
    const head = latencyHistogram({ medianUs: 700 }, 2000, 52);
    const p50 = compareStage({ base: [base], head: [head], caps: { p50: 'few-samples' } }, FIVE).find((c) => c.metric === 'p50')!;
    expect(p50).toMatchObject({ verdict: 'inconclusive', reason: 'few-samples' });
  });
});

describe('repetitions', () => {
  const reps = (medianUs: number, seeds: number[]) => seeds.map((s) => latencyHistogram({ medianUs }, 1000, s));

  test('5 repetitions a side, head 10% slower in every one: regressed, rank test p < 0.05', () => {
    const changes = compareStage({ base: reps(600, [1, 2, 3, 4, 5]), head: reps(660, [6, 7, 8, 9, 10]) }, FIVE);
    const p50 = changes.find((c) => c.metric === 'p50')!;
    expect(p50.rank).not.toBeNull();
    expect(p50.rank?.p).toBeLessThan(0.05);
    expect(p50.verdict).toBe('regressed');
  });

  test('repetitions that disagree (one slow run in base and head each) are not regressed', () => {
    const base = [...reps(600, [1, 2, 3]), ...reps(720, [4])];
    const head = [...reps(600, [5, 6, 7]), ...reps(720, [8])];
    expect(decisive(compareStage({ base, head }, FIVE))).toEqual([]);
  });
});

describe('judge', () => {
  test.each([
    [[0.08, 0.12], 'regressed', 'beyond-threshold'],
    [[-0.12, -0.08], 'improved', 'beyond-threshold'],
    [[-0.02, 0.03], 'unchanged', 'within-threshold'],
    [[0.01, 0.09], 'inconclusive', 'too-noisy'],
    [[0.03, 0.06], 'unchanged', 'near-threshold'],
  ] as const)('CI %j at 5%% → %s', (ci, verdict, reason) => {
    expect(judge(ci, 0.05, null, 0.05)).toEqual({ verdict, reason });
  });

  test('past the threshold but the rank test does not agree → inconclusive', () => {
    expect(judge([0.08, 0.12], 0.05, { u: 10, p: 0.3, method: 'exact', nBase: 4, nHead: 4 }, 0.05).verdict).toBe('inconclusive');
  });

  test('past the threshold but below the timer resolution → unchanged', () => {
    expect(judge([0.5, 1.0], 0.05, null, 0.05, false)).toEqual({ verdict: 'unchanged', reason: 'below-resolution' });
  });
});

describe('Mann–Whitney U', () => {
  test('complete separation of 4 vs 4: exact two-sided p = 2/70', () => {
    const r = mannWhitney([1, 2, 3, 4], [5, 6, 7, 8]);
    expect(r.u).toBe(16);
    expect(r.p).toBeCloseTo(2 / 70, 10);
  });

  test('interleaved samples: p = 1 region', () => {
    expect(mannWhitney([1, 4, 5, 8], [2, 3, 6, 7]).p).toBeGreaterThan(0.5);
  });

  test('ties use the normal approximation', () => {
    const r = mannWhitney([1, 1, 2, 2, 3], [2, 3, 3, 4, 4]);
    expect(r.method).toBe('normal');
    expect(r.p).toBeGreaterThan(0);
    expect(r.p).toBeLessThan(1);
  });
});

describe('alias sampler', () => {
  test('draws buckets in proportion to their counts', () => {
    const sampler = aliasSampler(Float64Array.from([1, 3, 6]));
    const uniform = seededUniform(7);
    const seen = [0, 0, 0];
    for (let i = 0; i < 100_000; i++) seen[sampler.draw(uniform)]! += 1;
    expect(seen[0]! / 100_000).toBeCloseTo(0.1, 2);
    expect(seen[1]! / 100_000).toBeCloseTo(0.3, 2);
    expect(seen[2]! / 100_000).toBeCloseTo(0.6, 2);
  });
});
