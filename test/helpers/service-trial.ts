// An open-loop (--rate) trial for exporter and compare tests: a complete ServiceSection around
// the sample report's ok trial, its total stage from a real histogram.
import type { ServiceSection, ServingSettings, TrialOk } from '../../src/types.js';
import { okTrial, stageStatsFrom } from './sample-report.js';

export const SERVING: ServingSettings = { rate: 200, arrivals: 'poisson', seed: 1, maxBatch: 1, maxDelayMs: 0, batching: 'triton', instances: 1, queueLimit: null };

/** A service trial at `rate` whose total p50 is about `medianUs`; overloaded ones achieve 70% of the rate. */
export function serviceTrial(rate: number, medianUs: number, options: { seed?: number; overloaded?: boolean; meanBatch?: number; id?: string } = {}): TrialOk {
  const trial = okTrial();
  const settings = { ...SERVING, rate };
  const overloaded = options.overloaded ?? false;
  const total = stageStatsFrom(medianUs, 3000, options.seed ?? rate, []);
  const achieved = overloaded ? rate * 0.7 : rate;
  const service: ServiceSection = {
    settings, itemsPerRequest: 1, threadsPerInstance: 1, offeredRate: rate, sentRate: rate, achievedRate: achieved,
    requests: { scheduled: 3000, sent: 3000, completed: overloaded ? 2100 : 3000, dropped: 0, unfinished: overloaded ? 900 : 0 },
    meanBatchSize: options.meanBatch ?? 1, batches: 3000, inferenceByBatchSize: [{ batchSize: 1, batches: 3000, inference: trial.stages.inference }],
    serviceTime: { meanMs: 1, secondMomentMs2: 1, stats: trial.stages.inference }, utilisation: overloaded ? 1 : rate / 1000,
    queue: { maxDepth: overloaded ? 900 : 3, endDepth: overloaded ? 900 : 0, slopePerSec: overloaded ? 300 : 0, samples: 100 },
    overload: { verdict: overloaded ? 'overloaded' : 'stable', evidence: [], endedEarly: overloaded },
    generator: { verdict: 'ok', lateShare: 0, lagP99Ms: 0.1, eventLoopDelayP99Ms: 1, evidence: [] },
    durationMs: (3000 * 1000) / achieved,
  };
  return { ...trial, spec: { ...trial.spec, id: options.id ?? `cpu fp32 batch=1 threads=1 rate=${rate}/s`, threads: 1, service: settings }, stages: { ...trial.stages, total }, service, warnings: [] };
}
