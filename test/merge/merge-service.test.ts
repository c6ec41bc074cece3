// An open-loop trial measured by two reports: its service stages add like any stage, its request
// counts add, its rates pool over time; an overloaded probe is refused.
import { describe, expect, test } from 'vitest';
import { mergeStageStats } from '../../src/measure/merge-stats.js';
import { mergeServiceSections } from '../../src/merge/merge-service.js';
import { mergeTrialParts } from '../../src/merge/merge-trial.js';
import type { ServiceSection, StageStats, TrialOk } from '../../src/types.js';
import { error } from '../helpers/errors.js';
import { okTrial } from '../helpers/sample-report.js';
import { samples, statsOf } from './reports.js';

function section(scheduled: number, rate: number, seed: number, overrides: Partial<ServiceSection> = {}): ServiceSection {
  const seconds = scheduled / rate;
  return {
    settings: { rate, arrivals: 'poisson', seed: 42, maxBatch: 8, maxDelayMs: 2, batching: 'triton', instances: 1, queueLimit: null },
    itemsPerRequest: 1,
    threadsPerInstance: 1,
    offeredRate: rate,
    sentRate: rate,
    achievedRate: rate,
    requests: { scheduled, sent: scheduled, completed: scheduled, dropped: 0, unfinished: 0 },
    meanBatchSize: 2,
    batches: scheduled / 2,
    inferenceByBatchSize: [
      { batchSize: 1, batches: scheduled / 4, inference: statsOf(samples(800, scheduled / 4, seed)) },
      { batchSize: 3, batches: scheduled / 4, inference: statsOf(samples(1500, scheduled / 4, seed + 1)) },
    ],
    serviceTime: { meanMs: 1, secondMomentMs2: 1.2, stats: statsOf(samples(1000, scheduled / 2, seed + 2)) },
    utilisation: 0.4,
    queue: { maxDepth: 5, endDepth: 0, slopePerSec: 0.01, samples: seconds * 100 },
    overload: { verdict: 'stable', evidence: [], endedEarly: false },
    generator: { verdict: 'ok', lateShare: 0, lagP99Ms: 0.05, eventLoopDelayP99Ms: 1, evidence: [] },
    durationMs: seconds * 1000,
    ...overrides,
  } as ServiceSection;
}

describe('mergeServiceSections', () => {
  test('counts add, rates pool over the time each probe took, batch sizes add by size', () => {
    // 1000 requests at 100/s (10 s) and 1000 at 50/s (20 s): 2000 in 30 s = 66.7/s, not the mean 75/s.
    const a = section(1000, 100, 1);
    const b = section(1000, 50, 2, { meanBatchSize: 4, batches: 250 });
    const merged = mergeServiceSections('t', [{ service: a, source: 'a.json' }, { service: b, source: 'b.json' }]);
    expect(merged.offeredRate).toBeCloseTo(2000 / 30, 9);
    expect(merged.achievedRate).toBeCloseTo(2000 / 30, 9);
    expect(merged.requests).toEqual({ scheduled: 2000, sent: 2000, completed: 2000, dropped: 0, unfinished: 0 });
    expect(merged.batches).toBe(750);
    expect(merged.meanBatchSize).toBeCloseTo((2 * 500 + 4 * 250) / 750, 9);
    expect(merged.inferenceByBatchSize.map((s) => [s.batchSize, s.batches, s.inference.count])).toEqual([[1, 500, 500], [3, 500, 500]]);
    expect(merged.inferenceByBatchSize[0]!.inference).toEqual(mergeStageStats([a.inferenceByBatchSize[0]!.inference, b.inferenceByBatchSize[0]!.inference]));
    expect(merged.serviceTime.stats.count).toBe(1000);
    expect(merged.durationMs).toBeCloseTo(30_000, 6);
    expect(merged.utilisation).toBeCloseTo(0.4, 9);
  });

  test('an overloaded probe is refused, naming the report', () => {
    const overloaded = section(1000, 100, 3, { overload: { verdict: 'overloaded', evidence: [], endedEarly: true } });
    const e = error(() => mergeServiceSections('cpu fp32 batch=1 threads=1 rate=100/s', [{ service: section(1000, 100, 1), source: 'a.json' }, { service: overloaded, source: 'b.json' }]));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe("trial 'cpu fp32 batch=1 threads=1 rate=100/s' is overloaded in b.json: an overloaded probe's latencies grow with its length, so merging it with the other reports' probes would hide the overload");
  });
});

test('mergeTrialParts: a service trial\'s stages (queue, batch, lag, …) add like the others, and its section merges', () => {
  const trial = (seed: number, service: ServiceSection): TrialOk => {
    const base = okTrial();
    const stage = (m: number, s: number): StageStats => statsOf(samples(m, 1000, s));
    const stages = { preprocess: stage(50, seed), inference: stage(1000, seed + 1), postprocess: stage(20, seed + 2), total: stage(1500, seed + 3), queue: stage(300, seed + 4), batch: stage(100, seed + 5), crossing: stage(30, seed + 6), uncorrected: stage(1400, seed + 7), lag: stage(40, seed + 8) };
    return { ...base, stages, service, measure: { ...base.measure, iterations: 1000 } } as TrialOk;
  };
  const a = trial(10, section(1000, 100, 1));
  const b = trial(20, section(1000, 50, 2));
  const merged = mergeTrialParts([a, b], [{ source: 'a.json', shard: null, machine: 'm', count: 1000 }, { source: 'b.json', shard: null, machine: 'm', count: 1000 }]) as TrialOk;
  const stages = merged.stages as unknown as Record<string, StageStats>;
  for (const name of ['queue', 'batch', 'crossing', 'uncorrected', 'lag', 'total']) {
    expect(stages[name]).toEqual(mergeStageStats([(a.stages as unknown as Record<string, StageStats>)[name]!, (b.stages as unknown as Record<string, StageStats>)[name]!]));
  }
  expect(merged.service?.requests.completed).toBe(2000);
  expect(merged.service?.generator.lagP99Ms).toBe(stages.lag!.p99Ms);
});

test('mergeServiceSections: repeated runs of a URL target reopen the same client pool (its size the largest), their waits add', () => {
  const client = (connections: number, waited: number, requests: number): ServiceSection['client'] => ({ connections, body: 'prepared', serializeMs: 0.2, unloadedRequestMs: 1 + waited / 100, waited: { requests: waited, share: waited / requests, p99Ms: waited > 0 ? 4 : 0.1 }, neededConnections: connections / 4, verdict: waited / requests > 0.01 ? 'pool-limited' : 'ok' });
  const a = section(1000, 100, 1, { client: client(8, 0, 1000) });
  const b = section(1000, 50, 2, { client: client(8, 40, 1000) });
  const merged = mergeServiceSections('t', [{ service: a, source: 'a.json' }, { service: b, source: 'b.json' }]);
  expect(merged.client).toEqual({ connections: 8, body: 'prepared', serializeMs: 0.2, unloadedRequestMs: 1, waited: { requests: 40, share: 40 / 2000, p99Ms: 4 }, neededConnections: 2, verdict: 'pool-limited' });
});
