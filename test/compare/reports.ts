// Reports whose ok trial's stages come from seeded synthetic histograms (test/compare/synthetic.ts),
// valid against the report schema, for compare's unit and CLI tests.
import { encodeHistogram, type Histogram } from '../../src/measure/histogram.js';
import { insufficientPercentiles } from '../../src/measure/sample-rules.js';
import { TIMED_STAGES, type Report, type StageStats, type TimedStage, type TrialOk, type TrialSpec } from '../../src/types.js';
import { sampleReport } from '../helpers/sample-report.js';
import { latencyHistogram, type Shape } from './synthetic.js';

export function statsOf(h: Histogram): StageStats {
  const ms = (us: number): number => us / 1000;
  return {
    count: h.totalCount,
    minMs: ms(h.minNonZeroValue),
    meanMs: ms(h.mean),
    stddevMs: ms(h.stdDeviation),
    p50Ms: ms(h.getValueAtPercentile(50)),
    p90Ms: ms(h.getValueAtPercentile(90)),
    p95Ms: ms(h.getValueAtPercentile(95)),
    p99Ms: ms(h.getValueAtPercentile(99)),
    p999Ms: ms(h.getValueAtPercentile(99.9)),
    maxMs: ms(h.maxValue),
    cv: h.stdDeviation / h.mean,
    ci: { p50Ms: null, p99Ms: null, level: 0.95 },
    insufficient: insufficientPercentiles(h.totalCount),
    histogram: encodeHistogram(h),
  };
}

export interface TrialShape {
  /** Median of the inference stage in µs; total adds 20 µs of pre/postprocess. */
  inferenceUs: number;
  sigma?: number;
  count?: number;
  seed: number;
  spec?: Partial<TrialSpec>;
  driftRatio?: number;
}

export function okTrial(shape: TrialShape): TrialOk {
  const base = sampleReport().trials[0] as TrialOk;
  const count = shape.count ?? 2000;
  const shapes: Record<TimedStage, Shape> = {
    preprocess: { medianUs: 10, sigma: 0.05, tail: 0 },
    inference: { medianUs: shape.inferenceUs, sigma: shape.sigma ?? 0.05 },
    postprocess: { medianUs: 10, sigma: 0.05, tail: 0 },
    total: { medianUs: shape.inferenceUs + 20, sigma: shape.sigma ?? 0.05 },
  };
  const stages = Object.fromEntries(
    TIMED_STAGES.map((stage, i) => [stage, statsOf(latencyHistogram(shapes[stage], count, shape.seed * 31 + i))]),
  ) as Record<TimedStage, StageStats>;
  const perSec = 1e6 / (stages.total.meanMs * 1000);
  const spec = { ...base.spec, ...shape.spec };
  return {
    ...base,
    spec: { ...spec, id: `${spec.device} ${spec.precision} batch=${spec.batch ?? 'model'} threads=${spec.threads ?? 'auto'}` },
    stages,
    throughput: { inferencesPerSec: perSec, itemsPerSec: perSec * (spec.batch ?? 1) },
    measure: { ...base.measure, iterations: count, driftRatio: shape.driftRatio ?? 0.01 },
    warnings: [],
  };
}

/** sampleReport() with the given trials. */
export function reportOf(trials: Report['trials'], overrides: Partial<Report> = {}): Report {
  return sampleReport({ trials, ...overrides });
}
