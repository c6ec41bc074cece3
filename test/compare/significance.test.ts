import { describe, expect, test } from 'vitest';
import { mannWhitney } from '../../src/compare/mann-whitney.js';
import { aliasSampler, seededUniform } from '../../src/compare/sampler.js';
import { compareStage, DEFAULT_SIGNIFICANCE, repetitionSpread, RUN_VARIANCE, type MetricChange } from '../../src/compare/significance.js';
import { latencyHistogram } from './synthetic.js';

const FIVE = (): number => 0.05;
const decisive = (changes: MetricChange[]): MetricChange[] => changes.filter((c) => c.verdict === 'regressed');

describe('bootstrap on HDR histograms', () => {
  test('A/A without the run-to-run allowance: two samples of one distribution are not called regressed (50 seeds)', () => {
    let falseAlarms = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const base = latencyHistogram({ medianUs: 600 }, 2000, seed * 2);
      const head = latencyHistogram({ medianUs: 600 }, 2000, seed * 2 + 1);
      const changes = compareStage({ base: [base], head: [head], throughput: { base: 1000, head: 1000 } }, FIVE, undefined, seed);
      if (decisive(changes).length > 0) falseAlarms++;
    }
    // Each metric's interval must clear +5% with its lower bound; observed: 0 of 50.
    expect(falseAlarms).toBe(0);
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

  test('a side measured once: intervals widen by the run-to-run allowance, or by half the drifts when larger', () => {
    const base = latencyHistogram({ medianUs: 600 }, 2000, 41);
    const head = latencyHistogram({ medianUs: 1200 }, 2000, 42);
    const p50 = (drift?: { base: number | null; head: number | null }) => compareStage({ base: [base], head: [head], ...(drift && { drift }) }, FIVE).find((c) => c.metric === 'p50')!;
    const plain = p50();
    const single = p50({ base: 0.01, head: 0.02 });
    expect(plain.driftAllowance).toBe(0);
    expect(single.driftAllowance).toBe(RUN_VARIANCE);
    expect(single.ci[0]).toBeCloseTo((1 + plain.ci[0]) / (1 + RUN_VARIANCE) - 1, 10);
    expect(single.ci[1]).toBeCloseTo((1 + plain.ci[1]) * (1 + RUN_VARIANCE) - 1, 10);
    expect(p50({ base: -0.3, head: 0.1 }).driftAllowance).toBeCloseTo(0.2, 10);
    expect(plain.verdict).toBe('regressed');
    expect(single.verdict).toBe('regressed');
    // A run that drifted over 2× the threshold within itself widens the interval by its whole
    // drift; it never vetoes: a 2× slowdown is still past 5% after widening by 30%.
    const drifting = p50({ base: 0.01, head: -0.3 });
    expect(drifting.verdict).toBe('regressed');
    expect(drifting.ci[0]).toBeCloseTo((1 + plain.ci[0]) / (1 + 0.155) / (1 + 0.3) - 1, 10);
    // ... while a 30% slowdown in the same drifting run is not resolved, and says why.
    const modest = compareStage({ base: [base], head: [latencyHistogram({ medianUs: 780 }, 2000, 43)], drift: { base: 0.01, head: -0.3 } }, FIVE).find((c) => c.metric === 'p50')!;
    expect(modest).toMatchObject({ verdict: 'inconclusive', reason: 'unstable-run' });
    // A side with repetitions (null) carries its spread in the interval, not its drift.
    expect(p50({ base: null, head: null })).toMatchObject({ driftAllowance: 0, verdict: 'regressed' });
  });

  test('one run a side resolves about threshold + run-to-run allowance: 10% slower is inconclusive, 30% regressed', () => {
    const base = latencyHistogram({ medianUs: 600 }, 2000, 61);
    const drift = { base: 0.01, head: 0.01 };
    const p50Of = (medianUs: number, runVariance = RUN_VARIANCE) =>
      compareStage({ base: [base], head: [latencyHistogram({ medianUs }, 2000, 62)], drift }, FIVE, { ...DEFAULT_SIGNIFICANCE, runVariance }).find((c) => c.metric === 'p50')!;
    expect(p50Of(660)).toMatchObject({ verdict: 'inconclusive', reason: 'too-noisy' });
    expect(p50Of(780).verdict).toBe('regressed');
    // On a machine whose runs agree (--run-variance 0%), the 10% change is resolved.
    expect(p50Of(660, 0).verdict).toBe('regressed');
  });

  test('A/A, one run a side: never regressed (50 seeds); p99 is decided only with the rank test', () => {
    let falseAlarms = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const base = latencyHistogram({ medianUs: 600 }, 2000, seed * 2);
      const head = latencyHistogram({ medianUs: 600 }, 2000, seed * 2 + 1);
      const changes = compareStage({ base: [base], head: [head], drift: { base: 0.02, head: -0.02 } }, FIVE, undefined, seed);
      if (changes.some((c) => c.verdict === 'regressed' || c.verdict === 'improved')) falseAlarms++;
    }
    expect(falseAlarms).toBe(0);
    const base = latencyHistogram({ medianUs: 600 }, 2000, 71);
    const head = latencyHistogram({ medianUs: 1200 }, 2000, 72);
    const p99 = compareStage({ base: [base], head: [head], drift: { base: 0, head: 0 } }, FIVE).find((c) => c.metric === 'p99')!;
    // One run a side: p99's interval is widened by TAIL_RUN_VARIANCE (50%), which a 2× change
    // with this tail does not clear...
    expect(p99).toMatchObject({ verdict: 'inconclusive', reason: 'tail-needs-repetitions' });
    // ... and a gross one does: widened, never vetoed.
    const gross = compareStage({ base: [base], head: [latencyHistogram({ medianUs: 6000 }, 2000, 72)], drift: { base: 0, head: 0 } }, FIVE).find((c) => c.metric === 'p99')!;
    expect(gross.verdict).toBe('regressed');
    const repeated = (median: number, seed: number) => [0, 1, 2, 3, 4].map((r) => latencyHistogram({ medianUs: median, tail: 0 }, 2000, seed + r));
    expect(compareStage({ base: repeated(600, 100), head: repeated(1200, 200) }, FIVE).find((c) => c.metric === 'p99')?.verdict).toBe('regressed');
  });

  test('contention: a contended head cannot regress, a contended base cannot improve; p99 tolerates only 1%', () => {
    const reps5 = (median: number, seed: number) => [0, 1, 2, 3, 4].map((r) => latencyHistogram({ medianUs: median }, 2000, seed + r));
    const base = latencyHistogram({ medianUs: 600 }, 2000, 81);
    const slow = latencyHistogram({ medianUs: 900 }, 2000, 82);
    const verdicts = (contention: { base: number | null; head: number | null }, a = base, b = slow) =>
      Object.fromEntries(compareStage({ base: [a], head: [b], contention }, FIVE).map((c) => [c.metric, c.verdict]));
    expect(verdicts({ base: 0, head: 0 }).p50).toBe('regressed');
    expect(verdicts({ base: 0, head: 0.5 }).p50).toBe('inconclusive');
    expect(verdicts({ base: 0.5, head: 0 }).p50).toBe('regressed');
    expect(verdicts({ base: 0.5, head: 0 }, slow, base).p50).toBe('inconclusive');
    // 5% contention in head: p50 and p90 stand, p99 (1% of the samples above it) does not.
    const light = compareStage({ base: reps5(600, 300), head: reps5(900, 400), contention: { base: 0, head: 0.05 } }, FIVE).map((c) => c.verdict);
    expect(light.slice(0, 3)).toEqual(['regressed', 'regressed', 'inconclusive']);
    // Unknown contention (no samples) changes nothing.
    expect(verdicts({ base: null, head: null }).p50).toBe('regressed');
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

  test('A/A with 5 repetitions a side: p50 and p90 unchanged, nothing decisive', () => {
    const changes = compareStage({ base: reps(600, [1, 2, 3, 4, 5]), head: reps(600, [6, 7, 8, 9, 10]) }, FIVE);
    expect(changes.filter((c) => c.metric === 'p50' || c.metric === 'p90').map((c) => c.verdict)).toEqual(['unchanged', 'unchanged']);
    expect(decisive(changes)).toEqual([]);
  });

  test('a run-to-run shift between repetitions widens the interval (cluster bootstrap)', () => {
    const steady = compareStage({ base: reps(600, [1, 2, 3, 4]), head: reps(600, [5, 6, 7, 8]) }, FIVE)[0]!;
    const shifted = compareStage({ base: [...reps(600, [1, 2, 3]), ...reps(700, [4])], head: reps(600, [5, 6, 7, 8]) }, FIVE)[0]!;
    expect(shifted.ci[1] - shifted.ci[0]).toBeGreaterThan(3 * (steady.ci[1] - steady.ci[0]));
  });

  test('a machine state that outlasts a repetition: base mostly in a slow mode, head mostly fast, is not "improved"', () => {
    // As measured on the development VM: the latency floor moved 315 → 435 µs for tens of seconds.
    const base = [...reps(600, [1]), ...reps(830, [2, 3, 4, 5])];
    const head = [...reps(600, [6, 7, 8]), ...reps(830, [9, 10])];
    const changes = compareStage({ base, head }, FIVE);
    expect(changes.filter((c) => c.verdict === 'improved' || c.verdict === 'regressed')).toEqual([]);
    expect(changes.some((c) => c.reason === 'unstable-repetitions' || c.reason === 'too-noisy')).toBe(true);
    expect(repetitionSpread([600, 830, 830, 830, 830])).toBeCloseTo(230 / 830, 10);
  });

  test('repetitions that disagree (one slow run in base and head each) are not regressed', () => {
    const base = [...reps(600, [1, 2, 3]), ...reps(720, [4])];
    const head = [...reps(600, [5, 6, 7]), ...reps(720, [8])];
    expect(decisive(compareStage({ base, head }, FIVE))).toEqual([]);
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
