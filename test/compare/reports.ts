// Reports whose ok trial's stages come from seeded synthetic histograms (test/compare/synthetic.ts),
// valid against the report schema, for compare's unit and CLI tests.
import { encodeHistogram, mergeHistograms, type Histogram } from '../../src/measure/histogram.js';
import { insufficientPercentiles } from '../../src/measure/sample-rules.js';
import { TIMED_STAGES, type Report, type StageStats, type TimedStage, type TrialOk, type TrialSpec, type UtilisationSummary } from '../../src/types.js';
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
  /** --repeat N: N repetitions of `count` samples each (seeds seed, seed + 1, …); default 1. */
  repetitions?: number;
  /** Inference median of each repetition, overriding inferenceUs (a run-to-run shift). */
  repetitionUs?: number[];
  /**
   * CPU of the measure phase, as the sampler reports it: the machine busy and this process's
   * share, both 0–100% of all cores (the sample report's machine has 16 logical, 8 physical).
   */
  cpu?: { totalPct: number; processPct: number };
}

function stagesOf(inferenceUs: number, sigma: number, count: number, seed: number): Record<TimedStage, Histogram> {
  const shapes: Record<TimedStage, Shape> = {
    preprocess: { medianUs: 10, sigma: 0.05, tail: 0 },
    inference: { medianUs: inferenceUs, sigma },
    postprocess: { medianUs: 10, sigma: 0.05, tail: 0 },
    total: { medianUs: inferenceUs + 20, sigma },
  };
  return Object.fromEntries(TIMED_STAGES.map((stage, i) => [stage, latencyHistogram(shapes[stage], count, seed * 31 + i)])) as Record<TimedStage, Histogram>;
}

const statsOfStages = (h: Record<TimedStage, Histogram>): Record<TimedStage, StageStats> =>
  Object.fromEntries(TIMED_STAGES.map((stage) => [stage, statsOf(h[stage])])) as Record<TimedStage, StageStats>;

function throughputOf(stages: Record<TimedStage, StageStats>, batch: number | null): TrialOk['throughput'] {
  const perSec = 1e6 / (stages.total.meanMs * 1000);
  return { inferencesPerSec: perSec, itemsPerSec: perSec * (batch ?? 1) };
}

export function okTrial(shape: TrialShape): TrialOk {
  const base = sampleReport().trials[0] as TrialOk;
  const count = shape.count ?? 2000;
  const sigma = shape.sigma ?? 0.05;
  const medians = shape.repetitionUs ?? Array.from({ length: shape.repetitions ?? 1 }, () => shape.inferenceUs);
  const reps = medians.map((us, r) => stagesOf(us, sigma, count, shape.seed + r * 1009));
  const merged = Object.fromEntries(TIMED_STAGES.map((stage) => [stage, mergeHistograms(reps.map((h) => h[stage]))])) as Record<TimedStage, Histogram>;
  const stages = statsOfStages(merged);
  const spec = { ...base.spec, ...shape.spec };
  const measure = { ...base.measure, iterations: count * reps.length, driftRatio: shape.driftRatio ?? 0.01 };
  return {
    ...base,
    spec: { ...spec, id: `${spec.device} ${spec.precision} batch=${spec.batch ?? 'model'} threads=${spec.threads ?? 'auto'}` },
    stages,
    throughput: throughputOf(stages, spec.batch),
    measure,
    warnings: [],
    ...(reps.length > 1 && {
      repetitions: reps.map((h) => {
        const repStages = statsOfStages(h);
        return { stages: repStages, throughput: throughputOf(repStages, spec.batch), measure: { ...measure, iterations: count } };
      }),
    }),
    ...(shape.cpu && { utilisation: utilisationOf(shape.cpu) }),
  };
}

/** A measure-phase utilisation summary with the given CPU figures (everything else idle). */
export function utilisationOf(cpu: { totalPct: number; processPct: number }): UtilisationSummary {
  const stat = (mean: number): { mean: number; max: number } => ({ mean, max: mean });
  return {
    trial: '',
    phase: 'measure',
    sampleCount: 20,
    durationMs: 2000,
    cpuTotalPct: stat(cpu.totalPct),
    cpuCoreMaxPct: stat(Math.min(100, cpu.totalPct * 2)),
    iowaitPct: stat(0),
    stealPct: stat(0),
    processCpuPctOfCore: stat(cpu.processPct * 16),
    processCpuPctOfMachine: stat(cpu.processPct),
    processThreads: stat(14),
    rssMaxBytes: 1e8,
    heapUsedMaxBytes: 1e7,
    externalMaxBytes: 1e6,
    arrayBuffersMaxBytes: 1e6,
    memoryAvailableMinBytes: 1e10,
    swapInPagesPerSec: stat(0),
    swapOutPagesPerSec: stat(0),
    diskReadBytesPerSec: stat(0),
    diskWriteBytesPerSec: stat(0),
    processReadBytesPerSec: stat(0),
    processWriteBytesPerSec: stat(0),
    eventLoopUtilization: stat(1),
    gpus: [],
    notes: [],
  };
}

/** sampleReport() with the given trials. */
export function reportOf(trials: Report['trials'], overrides: Partial<Report> = {}): Report {
  return sampleReport({ trials, ...overrides });
}
