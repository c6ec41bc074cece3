// Reports of shards for the merge tests: a real plan (planSweep), each shard's trials with stage
// statistics computed from known samples exactly as the timing loop computes them.
import { createLatencyHistogram, recordMicros } from '../../src/measure/histogram.js';
import { mulberry32 } from '../../src/measure/prng.js';
import { summarizeStage } from '../../src/measure/stats.js';
import { shardInfo, takeShard } from '../../src/merge/shard.js';
import { planSweep, type SweepAxes } from '../../src/sweep/plan.js';
import type { Report, StageStats, TrialOk, TrialSpec } from '../../src/types.js';
import { okTrial, sampleReport } from '../helpers/sample-report.js';

/** StageStats of `samplesUs` as the timing loop makes them (summarizeStage over a stage histogram). */
export function statsOf(samplesUs: readonly number[]): StageStats {
  const histogram = createLatencyHistogram();
  for (const us of samplesUs) recordMicros(histogram, us);
  return summarizeStage(Float64Array.from(samplesUs), samplesUs.length, histogram);
}

/** `count` latencies around `medianUs` with a 2% tail at 2–5×, seeded. */
export function samples(medianUs: number, count: number, seed: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => Math.round(medianUs * (0.9 + 0.2 * random()) * (random() < 0.02 ? 2 + 3 * random() : 1)));
}

export function trialOf(spec: TrialSpec, medianUs: number, count: number, seed: number): TrialOk {
  const base = okTrial();
  const stage = (m: number, s: number): StageStats => statsOf(samples(m, count, s));
  const seconds = (count * medianUs) / 1e6;
  return {
    ...base,
    spec,
    stages: { preprocess: stage(medianUs / 20, seed + 1), inference: stage(medianUs, seed + 2), postprocess: stage(medianUs / 40, seed + 3), total: stage(medianUs * 1.1, seed + 4) },
    measure: { ...base.measure, iterations: count, durationMs: seconds * 1000 },
    throughput: { inferencesPerSec: count / seconds, itemsPerSec: (count / seconds) * (spec.batch ?? 1) },
    warnings: [],
  };
}

export const AXES: SweepAxes = { devices: ['cpu'], precisions: ['fp32', 'int8'], threads: [1], batches: [1, 2, 4, 8, 16] };
export const MODEL = 'fixtures/cnn.onnx';

/** The unsharded report of the plan of `axes`. */
export function wholeReport(axes: SweepAxes = AXES, overrides: Partial<Report> = {}): Report {
  // Made once per sweep (histograms take a while), copied for each caller to change.
  const key = JSON.stringify(axes);
  const made = made_.get(key) ?? makeWhole(axes);
  made_.set(key, made);
  return { ...structuredClone(made), ...overrides };
}

const made_ = new Map<string, Report>();

function makeWhole(axes: SweepAxes): Report {
  const specs = planSweep({ model: MODEL, interThreads: null, graphOptimization: 'all' }, axes);
  const report = sampleReport({ model: { ...sampleReport().model, path: MODEL }, options: { devices: axes.devices, precisions: axes.precisions, threads: axes.threads, batches: axes.batches, measure: { kind: 'count', iterations: 200 } } });
  return { ...report, trials: specs.map((spec, i) => trialOf(spec, 1000 * (spec.batch ?? 1), 200, 10 * i)) };
}

/** Shard `index` of `count` of wholeReport(axes): the same trials (same samples), its part only. */
export function shardReport(index: number, count: number, axes: SweepAxes = AXES, overrides: Partial<Report> = {}): Report {
  const whole = wholeReport(axes);
  const specs = whole.trials.map((t) => t.spec);
  const shard = { index, count };
  return {
    ...whole,
    options: { ...whole.options, shard },
    command: { argv: ['inferbench', 'profile', MODEL, '--shard', `${index}/${count}`, '-n', '200'] },
    startedAt: `2026-12-04T10:${String(index).padStart(2, '0')}:00.000Z`,
    finishedAt: `2026-12-04T10:${String(index).padStart(2, '0')}:30.000Z`,
    trials: takeShard(whole.trials, shard),
    shard: shardInfo(shard, specs),
    ...overrides,
  };
}
