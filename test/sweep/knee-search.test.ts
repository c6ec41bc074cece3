// The knee search and batching advice over a fake engine: the "rig" is the queueing simulation of
// load/batching-advice.ts with a known S(b) (deterministic), so the orchestration — capacity probe,
// probes as trials, over-target counts from histograms, the replay and the recommendation — is
// tested without a runtime.
import { describe, expect, test } from 'vitest';
import { capacityOf, simulateRun, type ServicePoint } from '../../src/load/batching-advice.js';
import type { ProbeOptions, ServiceRig } from '../../src/load/service-rig.js';
import { createLatencyHistogram, recordMicros } from '../../src/measure/histogram.js';
import { summarizeStage } from '../../src/measure/stats.js';
import { adviceBatchSizes, adviseBatching, searchKnee, serverSettings, type KneeEngine } from '../../src/sweep/knee-search.js';
import { kneeBudget } from '../../src/load/knee-budget.js';
import { parseBudget } from '../../src/budget/budget.js';
import type { ServiceMeasurement, ServingSettings, StageStats, TrialOk, TrialSpec } from '../../src/types.js';
import { error } from '../helpers/errors.js';
import { okTrial } from '../helpers/sample-report.js';

function stats(valuesMs: ArrayLike<number>): StageStats {
  const h = createLatencyHistogram();
  const us = Float64Array.from(valuesMs, (v) => v * 1000);
  for (const v of us) recordMicros(h, v);
  return summarizeStage(us, us.length, h);
}

/** A rig whose probes are the simulation over `points`; past capacity it says overloaded. */
function fakeRig(points: ServicePoint[], instances: number, probes: ProbeOptions[]): ServiceRig {
  return {
    instances,
    async probe(options) {
      probes.push(options);
      const s = options.settings;
      const n = options.measure.kind === 'count' ? options.measure.iterations : 1000;
      const setting = { maxBatch: s.maxBatch, maxDelayMs: s.maxDelayMs, batching: s.batching, instances, itemsPerRequest: 1 };
      const run = simulateRun(points, setting, s.rate, n, s.arrivals === 'constant' ? 'constant' : 'poisson');
      const overloaded = s.rate >= capacityOf(points, setting);
      const total = stats(run.latenciesMs);
      const service = stats(run.batchServiceMs);
      const items = run.batchItems.reduce((a, b) => a + b, 0);
      return {
        interrupted: false,
        stages: { total, inference: service, preprocess: total, postprocess: total, queue: total, batch: total, crossing: total, uncorrected: total, lag: total },
        service: {
          offeredRate: s.rate, achievedRate: (n * 1000) / run.endMs, meanBatchSize: items / run.batchItems.length, batches: run.batchItems.length,
          requests: { scheduled: n, sent: n, completed: n, dropped: 0, unfinished: 0 },
          serviceTime: { meanMs: service.meanMs, secondMomentMs2: 0, stats: service },
          overload: { verdict: overloaded ? 'overloaded' : 'stable', evidence: [], endedEarly: overloaded },
        },
      } as unknown as ServiceMeasurement;
    },
    async close() {},
  };
}

function fakeEngine(points: ServicePoint[], probes: ProbeOptions[] = []): KneeEngine & { opened: number[][] } {
  const opened: number[][] = [];
  return {
    opened,
    itemsPerRequest: 1,
    async open(instances, maxBatch) {
      opened.push([instances, maxBatch]);
      return fakeRig(points, instances, probes);
    },
    spec(settings: ServingSettings): TrialSpec {
      const batching = settings.maxBatch > 1 ? ` max-batch=${settings.maxBatch} delay=${settings.maxDelayMs}ms batching=${settings.batching}` : '';
      return { ...okTrial().spec, id: `cpu fp32 batch=1 threads=1 rate=${Number(settings.rate.toPrecision(4))}/s${batching}`, service: settings };
    },
    trial(spec, m): TrialOk {
      return { ...okTrial(), spec, stages: m.stages, service: m.service };
    },
  };
}

const SETTINGS = { arrivals: 'poisson', seed: 1, maxBatch: 1, maxDelayMs: 0, batching: 'triton', instances: 1, queueLimit: null } as const;
/** 1 ms a single request, 2.5 ms a batch of 8: batching should pay. */
const SUBLINEAR: ServicePoint[] = [{ batch: 1, meanMs: 1, cv: 0 }, { batch: 2, meanMs: 1.2, cv: 0 }, { batch: 4, meanMs: 1.6, cv: 0 }, { batch: 8, meanMs: 2.5, cv: 0 }];

describe('--rate auto', () => {
  test('the budget: the first latency percentile; none is a usage error with a hint', () => {
    expect(kneeBudget([parseBudget('throughput>=10/s'), parseBudget('p99<=50ms')])).toEqual({ source: 'p99<=50ms', stage: 'total', percentile: 0.99, targetMs: 50 });
    expect(kneeBudget([parseBudget('inference.p99.9<=2ms')])).toMatchObject({ stage: 'inference', percentile: 0.999 });
    for (const budgets of [[], [parseBudget('mean<=5ms')], [parseBudget('throughput>=10/s')]]) {
      const e = error(() => kneeBudget(budgets));
      expect(e.exitCode).toBe(2);
      expect(e.message).toMatch(/--rate auto/);
      expect(e.hint).toContain('--budget "p99<=50ms"');
    }
  });

  test('capacity from a saturating probe, then bracket and bisect; every probe is a trial', async () => {
    const probes: ProbeOptions[] = [];
    const engine = fakeEngine(SUBLINEAR, probes);
    const rig = await engine.open(1, 1);
    const { knee, trials } = await searchKnee(engine, rig, SETTINGS, { budget: kneeBudget([parseBudget('p99<=10ms')]) });
    // The capacity probe: a burst of constant arrivals far above capacity.
    expect(probes[0]!.settings).toMatchObject({ arrivals: 'constant', rate: 1_000_000 });
    expect(knee.capacity!.rate).toBeCloseTo(1000, 0);
    expect(knee.capacity!.serviceTimeMs).toBeCloseTo(1, 3);
    // M/D/1 at S = 1 ms: p99 ≤ 10 ms holds up to about ρ = 0.83.
    expect(knee.kneeRate).toBeGreaterThan(700);
    expect(knee.kneeRate).toBeLessThan(1000);
    expect(knee.precision).toBeLessThanOrEqual(0.05);
    expect(knee.stop).toBe('precision');
    expect(knee.probes[0]).toMatchObject({ rate: 500, phase: 'bracket', verdict: 'pass' });
    expect(knee.probes[1]).toMatchObject({ rate: 1000, verdict: 'overloaded', percentileMs: null });
    expect(trials.map((t) => t.spec.id)).toEqual(knee.probes.map((p) => p.trialId));
    expect(knee.baseTrialId).toBe('cpu fp32 batch=1 threads=1');
    expect(probes.slice(1).every((p) => p.measure.kind === 'count' && p.measure.iterations >= 918)).toBe(true);
  });

  test('the over-target count comes from the histogram and feeds LoadGen’s rule', async () => {
    const engine = fakeEngine(SUBLINEAR);
    const rig = await engine.open(1, 1);
    const { knee } = await searchKnee(engine, rig, SETTINGS, { budget: kneeBudget([parseBudget('p99<=10ms')]), capacity: { rate: 1000, serviceTimeMs: 1, meanBatch: 1 } });
    for (const p of knee.probes.filter((x) => x.verdict !== 'overloaded')) {
      expect(p.needed).toBeGreaterThanOrEqual(459 + p.overTarget);
      expect(p.verdict === 'pass').toBe(p.requests >= p.needed);
    }
  });
});

describe('--advise-batching', () => {
  test('S(b) measured per batch size, the best setting replayed, recommended with server keys', async () => {
    const engine = fakeEngine(SUBLINEAR);
    const { advice, knees, trials } = await adviseBatching(engine, { ...SETTINGS, maxBatch: 8 }, { budget: kneeBudget([parseBudget('p99<=10ms')]) });
    expect(advice.serviceTimes.map((p) => [p.batch, Number(p.meanMs.toFixed(2))])).toEqual([[1, 1], [2, 1.2], [4, 1.6], [8, 2.5]]);
    expect(advice.replays).toHaveLength(2);
    const [best, none] = advice.replays;
    expect(best!.maxBatch).toBeGreaterThan(1);
    expect(none!.maxBatch).toBe(1);
    expect(best!.kneeRate!).toBeGreaterThan(1.5 * none!.kneeRate!);
    expect(advice.recommendation).toMatchObject({ maxBatch: best!.maxBatch, batching: 'triton' });
    expect(advice.recommendation!.servers.triton!.max_batch_size).toBe(best!.maxBatch);
    expect(advice.recommendation!.servers.torchserve).toBeUndefined();
    expect(knees).toHaveLength(2);
    expect(trials.length).toBe(knees[0]!.probes.length + knees[1]!.probes.length);
    // Predicted and replayed agree here: the fake engine IS the simulation.
    expect(best!.kneeRate! / best!.predictedKneeRate).toBeGreaterThan(0.85);
    expect(best!.kneeRate! / best!.predictedKneeRate).toBeLessThan(1.1);
  });

  test('on a model whose cost is linear in the batch, no batching is recommended, with the reason', async () => {
    const linear: ServicePoint[] = [1, 2, 4, 8].map((b) => ({ batch: b, meanMs: b, cv: 0 }));
    const { advice } = await adviseBatching(fakeEngine(linear), { ...SETTINGS, maxBatch: 8 }, { budget: kneeBudget([parseBudget('p99<=10ms')]) });
    expect(advice.recommendation).toBeNull();
    expect(advice.replays).toHaveLength(1);
    expect(advice.reason).toMatch(/predicts no batching setting beats no batching/);
  });

  test('batch sizes and the servers’ keys', () => {
    expect(adviceBatchSizes(8, 1)).toEqual([1, 2, 4, 8]);
    expect(adviceBatchSizes(6, 1)).toEqual([1, 2, 4, 6]);
    expect(adviceBatchSizes(8, 2)).toEqual([2, 4, 8]);
    expect(serverSettings({ maxBatch: 8, maxDelayMs: 2, batching: 'timeout' }, 2, 1)).toEqual({
      torchserve: { batch_size: 8, max_batch_delay: 2, workers: 2 },
      ray_serve: { max_batch_size: 8, batch_wait_timeout_s: 0.002, num_replicas: 2 },
    });
    expect(serverSettings({ maxBatch: 8, maxDelayMs: 0.25, batching: 'timeout' }, 1, 1).torchserve).toBeUndefined();
    expect(serverSettings({ maxBatch: 8, maxDelayMs: 0.25, batching: 'triton' }, 3, 1)).toEqual({ triton: { max_batch_size: 8, dynamic_batching: { max_queue_delay_microseconds: 250 }, instance_group: { count: 3 } } });
  });
});
