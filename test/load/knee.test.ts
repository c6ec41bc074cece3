import { describe, expect, test } from 'vitest';
import { defaultProbeRequests, findKnee, type KneeProbe, type KneeProbeOutcome } from '../../src/load/knee.js';

/**
 * A deterministic fake service: at rates up to `knee` no request misses the target; above it a
 * share that grows with the rate does; from `capacity` on the engine says overloaded.
 */
function fakeService(knee: number, capacity: number): { probe: KneeProbe; rates: number[] } {
  const rates: number[] = [];
  const probe: KneeProbe = async (rate, plan) => {
    rates.push(rate);
    if (rate >= capacity) return { requests: 100, overTarget: 90, percentileMs: null, overloaded: true };
    const overTarget = rate <= knee ? 0 : Math.ceil(plan.requests * Math.min(0.5, (rate - knee) / knee));
    return { requests: plan.requests, overTarget, percentileMs: rate <= knee ? plan.targetMs * 0.9 : plan.targetMs * 2, overloaded: false, achievedRate: rate };
  };
  return { probe, rates };
}

describe('knee search', () => {
  test('from a capacity estimate: bracket [C/2, C], then bisect to 5%', async () => {
    const { probe, rates } = fakeService(730, 1000);
    const result = await findKnee(probe, { percentile: 0.99, targetMs: 50, capacity: 1000 });
    expect(rates.slice(0, 2)).toEqual([500, 1000]);
    expect(result.stop).toBe('precision');
    expect(result.kneeRate).toBeLessThanOrEqual(730);
    expect(result.failedRate).toBeGreaterThan(730);
    expect(result.precision).toBeLessThanOrEqual(0.05);
    expect(730 / result.kneeRate!).toBeLessThan(1.05);
    expect(result.probes[1]).toMatchObject({ rate: 1000, verdict: 'overloaded', phase: 'bracket' });
    expect(result.probes.slice(2).every((p) => p.phase === 'bisect')).toBe(true);
    // The same fake gives the same search.
    expect((await findKnee(fakeService(730, 1000).probe, { percentile: 0.99, targetMs: 50, capacity: 1000 })).probes.map((p) => p.rate)).toEqual(rates);
  });

  test('without a capacity it doubles from the start rate until a probe fails', async () => {
    const { probe, rates } = fakeService(300, 400);
    const result = await findKnee(probe, { percentile: 0.99, targetMs: 50, startRate: 10, precision: 0.1 });
    expect(rates.slice(0, 7)).toEqual([10, 20, 40, 80, 160, 320, 240]);
    expect(result.kneeRate).toBeLessThanOrEqual(300);
    expect(result.precision).toBeLessThanOrEqual(0.1);
  });

  test('an overestimated capacity: halves down until a probe passes', async () => {
    const { probe } = fakeService(240, 300);
    const result = await findKnee(probe, { percentile: 0.99, targetMs: 50, capacity: 1000 });
    expect(result.probes.slice(0, 3).map((p) => [p.rate, p.verdict])).toEqual([[500, 'overloaded'], [250, 'over-budget'], [125, 'pass']]);
    expect(result.kneeRate).toBeLessThanOrEqual(240);
    expect(result.kneeRate).toBeGreaterThan(240 / 1.06);
  });

  test('an overloaded probe’s achieved rate sets the next probe and the floor', async () => {
    const rates: number[] = [];
    // The burst said 4000/s; the engine serves 800/s; p99 meets the budget up to 600/s.
    const probe: KneeProbe = async (rate, plan) => {
      rates.push(rate);
      if (rate >= 800) return { requests: 300, overTarget: 250, percentileMs: null, overloaded: true, achievedRate: 800 };
      return { requests: plan.requests, overTarget: rate <= 600 ? 0 : 50, percentileMs: 1, overloaded: false };
    };
    const result = await findKnee(probe, { percentile: 0.99, targetMs: 50, capacity: 4000 });
    expect(rates.slice(0, 2)).toEqual([2000, 720]);
    expect(result.kneeRate).toBeLessThanOrEqual(600);
    expect(result.kneeRate).toBeGreaterThan(600 / 1.06);
  });

  test('a budget missed at an eighth of the capacity: the search stops there', async () => {
    const { probe, rates } = fakeService(60, 900);
    const result = await findKnee(probe, { percentile: 0.99, targetMs: 50, capacity: 1000 });
    expect(rates).toEqual([500, 250, 125]);
    expect(result).toMatchObject({ kneeRate: null, failedRate: 125, stop: 'below-min-rate' });
  });

  test('an underestimated capacity: a passing probe at C keeps doubling', async () => {
    const { probe, rates } = fakeService(2500, 3000);
    const result = await findKnee(probe, { percentile: 0.99, targetMs: 50, capacity: 1000 });
    expect(rates.slice(0, 4)).toEqual([500, 1000, 2000, 4000]);
    expect(result.kneeRate).toBeLessThanOrEqual(2500);
    expect(result.kneeRate).toBeGreaterThan(2500 / 1.06);
  });

  test('each probe is judged by early stopping, not by its percentile value', async () => {
    // p99 reads within the target, but 3 of 600 requests over it is too many for LoadGen's rule (3 over need 1 001).
    const probe: KneeProbe = async (_rate, plan) => ({ requests: 600, overTarget: 3, percentileMs: plan.targetMs / 2, overloaded: false });
    const result = await findKnee(probe, { percentile: 0.99, targetMs: 50, capacity: 100, minRate: 20, requestsAt: () => 600 });
    expect(result.probes[0]).toMatchObject({ verdict: 'over-budget', requests: 600, overTarget: 3, needed: 1001 });
    expect(result.kneeRate).toBeNull();
    expect(result.stop).toBe('below-min-rate');
  });

  test('probes ask for at least the early-stopping minimum and two seconds of arrivals', async () => {
    expect(defaultProbeRequests(10, { percentile: 0.99 })).toBe(918);
    expect(defaultProbeRequests(5000, { percentile: 0.99 })).toBe(10000);
    const asked: number[] = [];
    const probe: KneeProbe = async (rate, plan) => {
      asked.push(plan.requests);
      return { requests: plan.requests, overTarget: 0, percentileMs: 1, overloaded: rate > 50 };
    };
    await findKnee(probe, { percentile: 0.99, targetMs: 50, capacity: 100, requestsAt: () => 10 });
    expect(asked.every((n) => n === 459)).toBe(true);
  });

  test('max probes and interruption end the search with what it has', async () => {
    const { probe } = fakeService(730, 1000);
    const capped = await findKnee(probe, { percentile: 0.99, targetMs: 50, capacity: 1000, maxProbes: 3 });
    expect(capped).toMatchObject({ stop: 'max-probes', kneeRate: 500, failedRate: 750 });
    expect(capped.probes).toHaveLength(3);

    const controller = new AbortController();
    const interrupted: KneeProbe = async (rate, plan): Promise<KneeProbeOutcome> => {
      if (rate > 600) {
        controller.abort();
        return { requests: 10, overTarget: 0, percentileMs: null, overloaded: false, interrupted: true };
      }
      return { requests: plan.requests, overTarget: 0, percentileMs: 1, overloaded: false };
    };
    const stopped = await findKnee(interrupted, { percentile: 0.99, targetMs: 50, capacity: 1000, signal: controller.signal });
    expect(stopped).toMatchObject({ stop: 'interrupted', kneeRate: 500, failedRate: null, precision: null });
    expect(stopped.probes.map((p) => p.verdict)).toEqual(['pass', 'interrupted']);
  });
});
