import type { OutputCheck } from './check/check-outputs.js';
import type { OpProfile } from './analyze/op-profile.js';
import type { BudgetCheck } from './budget/budget.js';
import type { RooflinePosition } from './analyze/roofline.js';
import type { Bottleneck } from './analyze/signals.js';
import type { SampleSeries, UtilisationSummary } from './sample/sample-types.js';

export type { BudgetCheck, Bottleneck, OpProfile, RooflinePosition, SampleSeries, UtilisationSummary };

// Cross-layer data. Everything here is plain, JSON-serialisable data: the core returns it, the
// exporters render it, `compare` reads it back. Units live in the names (Ms, Us, Bytes).

/** Microseconds. Stage histograms record integer microseconds. */
export type Micros = number;

/** `load` is reading input data (I/O); model loading is `modelLoadMs`, a different thing. */
export type Stage = 'load' | 'preprocess' | 'inference' | 'postprocess' | 'total';

/** The stages every iteration of the timing loop records, in order. */
export const TIMED_STAGES = ['preprocess', 'inference', 'postprocess', 'total'] as const;
export type TimedStage = (typeof TIMED_STAGES)[number];

/** ONNX tensor element types that ONNX Runtime's JS API accepts. */
export type ElementType =
  | 'float32'
  | 'float16'
  | 'float64'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool'
  | 'string';

/** A dimension: fixed size, a symbolic name ('batch'), or null for a dynamic dim with no name. */
export type Dim = number | string | null;

export interface TensorSpec {
  name: string;
  type: ElementType;
  shape: Dim[];
}

export interface ModelInfo {
  path: string;
  format: 'onnx' | 'tfjs-layers' | 'tfjs-graph' | 'saved-model';
  sizeBytes: number;
  sha256: string;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** From the ONNX ModelProto when readable. */
  irVersion?: number;
  opsets?: { domain: string; version: number }[];
  producer?: string;
  nodeCount?: number;
}

export type GraphOptimization = 'disabled' | 'basic' | 'extended' | 'all';
/** int8 = dynamic quantization (weights int8, activations quantized at run time); int8-static = QDQ with calibrated activations. */
export type Precision = 'fp32' | 'fp16' | 'int8' | 'int8-static';

/** One configuration to measure. The sweep issue grows the axes; the shape stays. */
export interface TrialSpec {
  id: string;
  model: string;
  precision: Precision;
  device: string;
  /** Value of the batch dim, when the model has one we could set. */
  batch: number | null;
  /** Intra-op threads; null = runtime default. */
  threads: number | null;
  interThreads: number | null;
  graphOptimization: GraphOptimization;
  /** Requests in flight at once, each stream on its own session in a worker thread; absent = 1. */
  concurrency?: number;
  /** What happens to each request's outputs (--outputs); absent = 'drop' (docs/large-outputs.md). */
  outputs?: OutputHandling;
}

/**
 * What the timing loop does with a request's outputs after reading them (--outputs):
 * `drop` keeps no reference (a server sending each response and moving on), `dispose` also calls
 * the runtime's dispose(), `reuse` keeps the previous request's outputs alive until the next
 * arrive (the `o = await session.run(feeds)` loop), `fetches` passes preallocated output tensors
 * to run(). What each costs: docs/large-outputs.md.
 */
export type OutputHandling = 'drop' | 'dispose' | 'reuse' | 'fetches';
export const OUTPUT_HANDLINGS: readonly OutputHandling[] = ['drop', 'dispose', 'reuse', 'fetches'];
export const DEFAULT_OUTPUT_HANDLING: OutputHandling = 'drop';

/** How the warm-up or measurement phase is bounded. `auto` adapts to the model's speed. */
export type PhaseBound =
  | { kind: 'auto' }
  | { kind: 'count'; iterations: number }
  | { kind: 'time'; ms: number };

export type StopReason =
  | 'iterations' // the requested -n was reached
  | 'duration' // the requested --duration elapsed
  | 'auto-target' // auto: enough samples for p99 and the minimum time elapsed
  | 'auto-time-budget' // auto: the time budget ran out before the sample target (slow model)
  | 'max-iterations' // hard safety cap
  | 'interrupted'; // Ctrl-C

export type PercentileKey = 'p50' | 'p90' | 'p95' | 'p99' | 'p999';

/** Summary of one stage. All times in milliseconds except where the name says otherwise. */
export interface StageStats {
  count: number;
  minMs: number;
  meanMs: number;
  stddevMs: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** Coefficient of variation: stddev / mean (unitless). */
  cv: number;
  /** Distribution-free confidence intervals (95%) for p50 and p99, null when n is too small. */
  ci: { p50Ms: [number, number] | null; p99Ms: [number, number] | null; level: number };
  /** Percentiles with too few samples to be trusted (MLPerf LoadGen minimums). */
  insufficient: PercentileKey[];
  /** hdr-histogram-js base64 encoding of the microsecond histogram: the source of truth. */
  histogram: string;
}

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
    | 'synthetic-calibration';
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
  /** Per-stage statistics; `load` only when inputs are read from data files (--data). */
  stages: Record<TimedStage, StageStats> & { load?: StageStats };
  throughput: { inferencesPerSec: number; itemsPerSec: number };
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
  /** --repeat N: each repetition's own numbers; `stages` etc. above merge them. */
  repetitions?: { stages: TrialOk['stages']; throughput: TrialOk['throughput']; measure: MeasureSummary }[];
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

export interface Environment {
  hostname: string;
  cpu: { model: string; logicalCores: number; physicalCores: number; speedMHz: number };
  memoryBytes: number;
  os: { platform: string; distro: string; release: string; kernel: string; arch: string };
  node: string;
  runtimes: { name: string; version: string; executionProviders: string[] }[];
  gpus: { name: string; driver: string; memoryBytes: number }[];
  /** Why GPU information is absent, when it is. */
  gpuNote?: string;
}

export interface BudgetSummary {
  checks: BudgetCheck[];
  /** Highest items/s among trials meeting every budget (the knee of the latency/throughput curve); null if none does. */
  best: { trialId: string; itemsPerSec: number } | null;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'inferbench'; version: string };
  command: { argv: string[] };
  startedAt: string;
  finishedAt: string;
  environment: Environment;
  model: ModelInfo;
  /** Options as resolved (after defaults), so the run can be reproduced. */
  options: Record<string, unknown>;
  trials: TrialResult[];
  /** --budget: every check per ok trial, and the best configuration within all budgets. */
  budget?: BudgetSummary;
  /** Raw utilisation samples over the whole run, tagged by trial and phase (absent with --no-sample or --isolate). */
  samples?: SampleSeries;
  /**
   * True when a signal stopped the run (the trials present are complete, the rest are absent),
   * and in every partial report rewritten while the sweep still runs.
   */
  interrupted?: boolean;
  /** --check-outputs: the model's outputs on the shipped ONNX test data sets against output_K.pb. */
  outputCheck?: OutputCheck;
}
