import { describe, expect, test } from 'vitest';
import { capped, judge, type Judged } from '../../src/compare/judge.js';

const rank = (p: number) => ({ u: 10, p, method: 'exact' as const, nBase: 4, nHead: 4 });

describe('judge', () => {
  test.each([
    [[0.08, 0.12], 'regressed', 'beyond-threshold'],
    [[-0.12, -0.08], 'improved', 'beyond-threshold'],
    [[-0.02, 0.03], 'unchanged', 'within-threshold'],
    [[0.01, 0.09], 'inconclusive', 'too-noisy'],
    [[-0.2, 0.2], 'inconclusive', 'too-noisy'],
    [[0.03, 0.06], 'unchanged', 'near-threshold'],
  ] as const)('CI %j at 5%% → %s', (ci, verdict, reason) => {
    expect(judge(ci, 0.05)).toEqual({ verdict, reason });
  });

  test('a precise CI grazing the threshold is not "unchanged" when the change itself is past it', () => {
    expect(judge([0.045, 0.09], 0.05, { change: 0.07 })).toEqual({ verdict: 'inconclusive', reason: 'past-threshold-uncertain' });
    expect(judge([0.02, 0.06], 0.05, { change: 0.04 })).toEqual({ verdict: 'unchanged', reason: 'near-threshold' });
  });

  test('past the threshold but the rank test does not agree → inconclusive; agreeing → regressed', () => {
    expect(judge([0.08, 0.12], 0.05, { rank: rank(0.3) })).toEqual({ verdict: 'inconclusive', reason: 'rank-disagrees' });
    expect(judge([0.08, 0.12], 0.05, { rank: rank(0.029) }).verdict).toBe('regressed');
  });

  test('differences under the resolution are unchanged, judged on the interval before widening', () => {
    // 2 µs on a 2 µs stage: resolution 100%. Widened to +105%, but the raw interval is within it.
    expect(judge([-0.09, 1.2], 0.05, { raw: [0, 1], resolution: 1, allowance: 0.1 })).toEqual({ verdict: 'unchanged', reason: 'below-resolution' });
    // A 330 µs median whose resamples all agree (raw [0, 0]) is not "unchanged" when the
    // run-to-run allowance (10% = 33 µs) is far above the 2 µs resolution.
    expect(judge([-0.09, 0.1], 0.05, { raw: [0, 0], resolution: 2 / 330, allowance: 0.1 })).toEqual({ verdict: 'inconclusive', reason: 'too-noisy' });
    // Past the threshold, but the nearer bound is under the resolution.
    expect(judge([0.5, 3], 0.05, { resolution: 1 })).toEqual({ verdict: 'unchanged', reason: 'below-resolution' });
    expect(judge([0.5, 3], 0.05, { resolution: 0.01 }).verdict).toBe('regressed');
  });
});

describe('data caps only weaken a verdict', () => {
  const regressed: Judged = { verdict: 'regressed', reason: 'beyond-threshold' };
  const improved: Judged = { verdict: 'improved', reason: 'beyond-threshold' };
  const unchanged: Judged = { verdict: 'unchanged', reason: 'within-threshold' };

  test('a data cap turns decisive verdicts into inconclusive and leaves the rest', () => {
    expect(capped(improved, 'few-samples')).toEqual({ verdict: 'inconclusive', reason: 'few-samples' });
    expect(capped(unchanged, 'heavy-tail')).toBe(unchanged);
    expect(capped(regressed, undefined)).toBe(regressed);
  });
});
