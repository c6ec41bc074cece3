// One trial's result: stage statistics, accounting, analysis. Plain data, built by sweep/ and read by report/ and compare/.
import type { Bottleneck } from './bottleneck.js';
import type { TrialPart } from './merge.js';
import type { OpProfile } from './op-profile.js';
import type { RooflinePosition } from './roofline.js';
import type { UtilisationSummary } from './samples.js';
import type { ServiceSection } from './service.js';
import type { ServiceStage } from './serving.js';
import type { StageStats } from './stage-stats.js';
import type { ElementType, OutputHandling, PercentileKey, PhaseBound, StopReason, TimedStage, TrialSpec } from './spec.js';

/** The StageStats field of each percentile. */
export const PERCENTILE_FIELD: Record<PercentileKey, keyof StageStats & `p${string}Ms`> = { p50: 'p50Ms', p90: 'p90Ms', p95: 'p95Ms', p99: 'p99Ms', p999: 'p999Ms' };

export type { StageStats } from './stage-stats.js';

export interface Warning {
  code:
    | 'too-noisy'
    | 'drift'
    | 'not-converged'
    | 'few-samples'
    | 'memory-growth'
    | 'high-overhead'
    | 'accuracy-unavailable'
    | 'unstable'
    | 'repetitions-failed'
    | 'roofline-unavailable'
    | 'oversubscribed'
    | 'speedup-unpaired'
    | 'fallback'
    | 'guessed-shapes'
    | 'unaccounted-time'
    | 'variant-identical'
    | 'partial-conversion'
    | 'synthetic-calibration'
    | 'overloaded'
    | 'generator-saturated'
    | 'client-pool-limited'
    | 'busy-machine'
    | 'throughput-disagrees'
    | 'partial-load'
    | 'load-not-concurrent';
  message: string;
}

export interface PhaseSummary {
  iterations: number;
  durationMs: number;
}

export interface WarmupSummary extends PhaseSummary {
  /** Iteration (1-based) from which latency was steady, or null if it never settled. */
  convergedAt: number | null;
  bound: PhaseBound;
}

export interface MeasureSummary extends PhaseSummary {
  stopReason: StopReason;
  bound: PhaseBound;
  /** Relative change of median latency from the first to the last third of the phase. */
  driftRatio: number;
  /**
   * Measuring went on past the bound because a --budget could not be decided yet (LoadGen's
   * early-stopping rule): the extra iterations and time (included in iterations/durationMs), and
   * whether the budgets were decided or the time cap (--budget-time-cap) ended it.
   */
  extension?: { iterations: number; durationMs: number; outcome: 'decided' | 'time-cap' | 'interrupted' };
}

/** Cost of the timing harness itself, measured each trial with an empty body. */
export interface HarnessOverhead {
  /** Cost of one process.hrtime.bigint() call. */
  timerNs: number;
  /** Per-iteration cost of the loop's own bookkeeping: five timer reads + histogram records. */
  perIterationUs: number;
  /** perIterationUs / inference p50, so a reader sees whether it matters. */
  shareOfInferenceP50: number;
}

/**
 * Wall time per request next to the sum of its timed stages. Per stream: with --concurrency N a
 * stream's wall time per request is N × phase duration ÷ requests.
 */
export interface WallAccounting {
  /** Measured phase duration ÷ requests (× streams). */
  wallPerIterationMs: number;
  /** Mean of the `total` stage: the timed stages of one request, back to back. */
  timedPerIterationMs: number;
  /** The loop's own bookkeeping between requests, from the empty-loop calibration. */
  harnessPerIterationMs: number;
  /** wall − timed − harness: work the stages did not see (GC pauses, deferred frees, other threads' work on this core). */
  unaccountedPerIterationMs: number;
  /** unaccounted ÷ wall. */
  unaccountedShare: number;
}

/** Faults and bytes per measured request (process-wide counters read before and after the phase). */
export interface MemoryAccounting {
  outputs: OutputHandling;
  /** Bytes of output tensors one request returns, from the untimed pass; null when it did not run (few faults, --concurrency, pipelines). */
  outputBytesPerIteration: number | null;
  /** process.resourceUsage() minorPageFault / majorPageFault over the phase ÷ requests. */
  minorFaultsPerIteration: number;
  majorFaultsPerIteration: number;
  /** Kernel CPU time (page faults, zeroing, munmap) per request, ms: process.resourceUsage().systemCPUTime. */
  systemCpuPerIterationMs: number;
  /** Garbage collections during the phase and their total pause (v8.GCProfiler; the main thread's isolate only, so 0 under --concurrency, whose streams are workers). */
  gcCount: number;
  gcPauseMs: number;
  /** Bytes allocated on the V8 heap per request: heap growth plus what the collections freed. */
  heapAllocatedPerIterationBytes: number;
  /** Resident set size at the start and end of the phase; growth = end − start. */
  rssStartBytes: number;
  rssEndBytes: number;
  rssGrowthBytes: number;
  /** Minor faults per request in each stage, from a short untimed pass after the phase (synthetic inputs, one stream, ≥ 8 faults per request). */
  faultsByStage?: { preprocess: number; inference: number; postprocess: number; iterations: number };
}

export interface InputDescription {
  name: string;
  type: ElementType;
  dims: number[];
  /** How the values were made: 'random-normal', 'ones (mask)', 'token ids 0..1000', 'const 16000', 'file x.npy'. */
  source: string;
  /** Dims the model left open and inferbench guessed from the input's layout (see inputs/guess-shapes.ts). */
  guessed?: { axis: number; dim: string | null; size: number; layout: string }[];
}

export interface ColdStart {
  modelLoadMs: number;
  firstInferenceMs: number;
  firstTotalMs: number;
}

/** Where a trial's model file came from. fp32 is the model itself ('original'). */
export interface VariantInfo {
  path: string;
  source: 'original' | 'user' | 'sibling' | 'generated';
  /** For generated variants: what they were made from and how. */
  provenance?: { from: string; method: string; toolVersion: string };
  /** For generated variants: what the conversion changed (per op type, weight bytes). */
  coverage?: VariantCoverage;
  /** For int8-static: the inputs its activation ranges were calibrated on. */
  calibration?: { inputSets: number; source: string; synthetic: boolean };
}

/** What a precision conversion changed. */
export interface VariantCoverage {
  /** Per op type: nodes converted out of the nodes a converter of this precision could convert. */
  ops: { opType: string; eligible: number; converted: number }[];
  /** Bytes of all weights (initializers and Constant tensors) before → after. */
  weightBytes: { before: number; after: number };
  /** Converted / all constant weight elements of MatMul, Gemm and Conv (a proxy for the FLOPs' share); null when none. */
  computeWeightShare: number | null;
  /** Constant / Identity / Cast nodes folded into initializers before converting. */
  foldedConstants: number;
  /**
   * When the converter had to raise the model's default-domain opset (the int8 converters need
   * 11 / 13): from → to, and per operator the nodes converted to the new version's definition.
   */
  opsetRaise?: { from: number; to: number; converted: { opType: string; nodes: number; change: string }[] };
}

export interface AccuracyMetrics {
  /** max |variant − fp32| over all output elements, in the output's unit. */
  maxAbsError: number;
  /** Σ|variant − fp32| / Σ|fp32| (an L1 relative error). */
  meanRelativeError: number;
  /** Cosine similarity of the flattened outputs; 1 = identical direction. */
  cosineSimilarity: number;
  /** Share of rows whose argmax agrees, for class-score outputs; null when none look like that. */
  top1Agreement: number | null;
}

/** A precision variant's outputs against the fp32 model's (on the CPU) on identical inputs. */
export interface AccuracyVsFp32 {
  overall: AccuracyMetrics;
  outputs: (AccuracyMetrics & { name: string; elements: number })[];
  /** How many input sets (batches) the drift is measured on. */
  inputSets: number;
  /** Where they came from: the --data batches, or synthetic inputs with their seeds. */
  inputSource: string;
  /** Every output bit-identical to fp32's on every set: the variant computes what fp32 computes. */
  identical: boolean;
}

export interface TrialOk {
  status: 'ok';
  spec: TrialSpec;
  variant?: VariantInfo;
  /** Present for fp16/int8 trials; absent for fp32 (the reference itself). */
  accuracy?: AccuracyVsFp32;
  /** Backend / execution provider that really ran, e.g. 'onnxruntime-node 1.30.0 cpu'. */
  backend: string;
  inputs: InputDescription[];
  coldStart: ColdStart;
  warmup: WarmupSummary;
  measure: MeasureSummary;
  /** Wall time per request against the timed stages: what the stages do not show (GC, deferred frees). */
  accounting?: WallAccounting;
  /** Page faults, system CPU, GC and RSS over the measured phase: what allocation cost. */
  memory?: MemoryAccounting;
  /** Per-stage statistics; `load` only when inputs are read from data files (--data); queue, batch, … only in service trials (model/service.ts ServiceStages). */
  stages: Record<TimedStage, StageStats> & { load?: StageStats } & Partial<Record<ServiceStage, StageStats>>;
  /** Open-loop service trial (--rate): offered/achieved rate, batching, verdicts (model/service.ts). */
  service?: ServiceSection;
  throughput: TrialThroughput;
  /** Peak resident set size of the process during the trial (VmHWM after a reset on Linux). */
  peakRssBytes: number;
  overhead: HarnessOverhead;
  warnings: Warning[];
  /** Nodes each execution provider ran (from ORT's profiler): the proof of where the work ran. */
  providers?: Record<string, number>;
  /** --op-profile: the per-operator table (top nodes by time) and per-op-type totals. */
  opProfile?: OpProfile;
  /** --op-profile: FLOPs and bytes moved per inference, from the operators' shapes. */
  cost?: { flops: number; bytes: number; arithmeticIntensity: number; unknownOpTypes: string[] };
  /** --op-profile on CPU: position against the machine's measured peaks. */
  roofline?: RooflinePosition & { calibration: { gflops: number; gbps: number; measuredAt: string; fromCache: boolean } };
  /** What bounds this trial, with the evidence and recommendations. */
  bottleneck?: Bottleneck;
  /** Utilisation while measuring (mean/max per metric), when the sampler ran. */
  utilisation?: UtilisationSummary;
  /**
   * The speed-up against the sweep's baseline trial, measured paired: both interleaved in short
   * blocks after the sweep (src/sweep/speedups.ts), so machine drift cancels. Absent for the
   * baseline itself, for a single trial, with --no-paired-speedup, --isolate or concurrency > 1.
   */
  pairedSpeedUp?: PairedSpeedUp;
  /** Inference latency over the iterations (warm-up, then measured), windowed; single-stream trials. */
  latencyTimeline?: LatencyTimeline;
  /** A remote target (profile URL): the protocol, the tensors' encoding, and what the server said it did. */
  endpoint?: EndpointSection;
  /** --repeat N: each repetition's own numbers; `stages` etc. above merge them. */
  repetitions?: { stages: TrialOk['stages']; throughput: TrialOk['throughput']; measure: MeasureSummary }[];
  /** `inferbench merge`: the reports this trial's numbers come from (several when their histograms were added). */
  parts?: TrialPart[];
}

/**
 * Sequential throughput: iterations over the measured phase's wall time. `interval` is a 95%
 * interval of items/s from batch means (the phase cut into consecutive windows, the spread of
 * their rates: bursts of other work widen it) or, with --repeat, from the repetitions.
 */
export interface TrialThroughput {
  inferencesPerSec: number;
  itemsPerSec: number;
  interval?: { itemsPerSec: [number, number]; level: number; method: 'batch-means' | 'repetitions'; windows: number };
}

/** Items/s of a trial over items/s of the sweep's baseline trial, from an interleaved measurement. */
export interface PairedSpeedUp {
  /** The baseline trial's id. */
  vsTrial: string;
  /** >1: this trial delivers more items/s than the baseline. */
  ratio: number;
  /** Bootstrap interval of `ratio` over the pairs of blocks. */
  ci: [number, number];
  level: number;
  blocks: number;
  iterationsPerBlock: number;
  durationMs: number;
}

/** One window of consecutive iterations of the latency timeline (µs). */
export interface TimelineWindow {
  phase: 'warmup' | 'measure';
  /** Iteration of the trial (1-based, warm-up first) the window starts at. */
  firstIteration: number;
  iterations: number;
  p50Us: number;
  maxUs: number;
}

/** Inference latency over the trial's iterations, windowed for drawing (src/measure/latency-timeline.ts). */
export interface LatencyTimeline {
  stage: 'inference';
  windows: TimelineWindow[];
  /** Warm-up iterations traced (the first WARMUP_TRACE_CAPACITY). */
  warmupTraced: number;
}

export interface TrialFailed {
  status: 'failed';
  spec: TrialSpec;
  phase: 'open' | 'inputs' | 'cold-start' | 'warmup' | 'measure';
  error: { code: string; message: string; hint?: string };
}

export interface TrialSkipped {
  status: 'skipped';
  spec: TrialSpec;
  reason: string;
}

export type TrialResult = TrialOk | TrialFailed | TrialSkipped;

/**
 * A remote target's stages keep the timed-loop names: preprocess = serialize (tensors → request
 * body), inference = request (send → last byte of the response: network + server), postprocess =
 * deserialize (response body → tensors).
 */
export interface EndpointInfo {
  protocol: 'kserve-v2' | 'kserve-v2-grpc' | 'tfserving';
  /** The target URL as given, without credentials or query. */
  url: string;
  /** How tensors travel: json, binary (KServe binary tensor extension), raw (gRPC raw contents), row/columnar (TF Serving). */
  encoding: 'json' | 'binary' | 'raw' | 'row' | 'columnar';
}

/**
 * What the server's statistics extension says about the measured requests: the difference of two
 * snapshots (before and after the measured phase), as per-request AVERAGES in µs — the
 * extension keeps cumulative sums, so it has no percentiles.
 */
export interface ServerStatsDelta {
  /** Requests the server completed between the snapshots (the measured ones, if nothing else used it). */
  requests: number;
  failed: number;
  /** Model executions: requests / executions is the mean dynamic batch, in requests. */
  executions: number;
  queueUs: number;
  computeInputUs: number;
  computeInferUs: number;
  computeOutputUs: number;
}

export interface EndpointSection extends EndpointInfo {
  /** Absent when the server has no statistics extension. */
  server?: ServerStatsDelta;
}
