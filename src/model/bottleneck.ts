// What the classifier reads and what it returns. Plain data, so the lead can map the sampler's
// summary (src/sample) and the trial's stage statistics onto ClassifierInput without this folder
// importing either.
import type { Precision } from './spec.js';
import type { RooflinePosition } from './roofline.js';

/**
 * Each stage's share of the request (0..1; e.g. stage mean ÷ total mean). A stage the trial did
 * not time is null or absent (`load` exists only when inputs are read from files).
 */
export interface StageShares {
  load?: number | null;
  preprocess?: number | null;
  inference?: number | null;
  postprocess?: number | null;
}

/**
 * Utilisation during the measure phase, means over the samples (the sampler's
 * UtilisationSummary `.mean` fields). A metric that was not collected is null.
 */
export interface UtilisationInput {
  /** Samples behind the means; 0 means no utilisation data at all. */
  sampleCount: number;
  /** System CPU busy (user + system), % of all cores (0..100). */
  cpuTotalPct: number | null;
  /** The busiest core's busy %, per sample, averaged (0..100). */
  cpuCoreMaxPct: number | null;
  /** This process's CPU, % of ONE core (top's convention: 200 = two cores busy). */
  processCpuPctOfCore: number | null;
  /** CPU time waiting on I/O, % of all CPU time (0..100). */
  iowaitPct: number | null;
  /** Disk reads, bytes per second (system-wide). */
  diskReadBytesPerSec: number | null;
  /** GPU busy (nvidia-smi utilization.gpu: % of time a kernel was running) of the trial's GPU. */
  gpuUtilPct: number | null;
}

/**
 * What allocation cost the measured phase, per request (the trial's MemoryAccounting, with the
 * wall time per request). Absent when not measured.
 */
export interface AllocationInput {
  wallPerIterationMs: number;
  minorFaultsPerIteration: number;
  /** Kernel CPU time per request: page faults, zeroing fresh pages, munmap. */
  systemCpuPerIterationMs: number;
  gcPausePerIterationMs: number;
  outputBytesPerIteration: number | null;
  /** Minor faults per request inside run(), from the untimed attribution pass; null when not run. */
  inferenceFaultsPerIteration: number | null;
}

/**
 * What the backend that ran the trial can act on, so that the classifier advises only what can be
 * followed on it (advice is data: a step the user can take, not a wish). The sweep computes it
 * from the runtime adapter; analyze/ never sees an adapter.
 */
export interface BackendCapabilities {
  /** Precisions the runtime computes in on the trial's device (tfjs: fp32 only); advice to try another names only these. */
  precisions: readonly Precision[];
  /** Whether more intra-op threads reach the compute: false where the backend runs on one thread whatever is asked (tfjs wasm and tfjs-cpu). */
  canSetThreads: boolean;
}

export interface ClassifierInput {
  stages: StageShares | null;
  utilisation: UtilisationInput | null;
  /** Intra-op threads the trial asked for; null = runtime default (taken as logicalCores). */
  threads: number | null;
  /** Logical cores of the machine. */
  logicalCores: number;
  /** Batch size of the trial; null when the model has no batch dim. */
  batch: number | null;
  /** inferbench device name: 'cpu', 'cuda', 'tensorrt', ... */
  device: string;
  precision: Precision;
  /** From roofline() with a calibration of the trial's device; null when not computed. */
  roofline: RooflinePosition | null;
  /** Why `roofline` is null, in words that name the fix (e.g. "the per-operator profile was off (--no-op-profile)"). */
  rooflineMissing?: string;
  /** Page faults, kernel time and GC per request; absent or null when not measured. */
  allocation?: AllocationInput | null;
  /** What the backend can act on; absent: nothing is ruled out (every precision, settable threads). */
  capabilities?: BackendCapabilities;
}

export type BottleneckLabel = 'cpu-bound' | 'gpu-bound' | 'memory-bound' | 'io-bound' | 'inconclusive';

/** One number that decided something, with the threshold it was compared against. */
export interface Evidence {
  metric: string;
  value: number;
  unit: string;
  /** The rule's threshold in the same unit; null when the value is context, not compared. */
  threshold: number | null;
}

export type RuleStatus = 'bound' | 'not-bound' | 'no-data';

/** What one rule says about one resource. */
export interface RuleVerdict {
  rule: string;
  resource: 'io' | 'cpu' | 'gpu' | 'memory' | 'stage';
  status: RuleStatus;
  /** How strongly the data supports `bound` (0..1); 0 for not-bound and no-data. */
  strength: number;
  evidence: Evidence[];
  /** Why there is no data, or a qualifier ('moderately input-bound'). */
  note?: string;
}

export type StageName = 'load' | 'preprocess' | 'inference' | 'postprocess';
export type StageLabel = Exclude<BottleneckLabel, 'inconclusive'> | 'unknown';

export interface StageVerdict {
  stage: StageName;
  /** Share of the request (0..1). */
  share: number;
  label: StageLabel;
  /** 0..1: strength of the rules that gave the label (0 when unknown). */
  strength: number;
  /** Rules that decided the label. */
  rules: string[];
}

export interface Recommendation {
  id: string;
  text: string;
  why: string;
}

export interface Bottleneck {
  label: BottleneckLabel;
  /** 0..1: share of the request the label explains × strength of the rules behind it. */
  confidence: number;
  evidence: Evidence[];
  recommendations: Recommendation[];
  /** Per stage, largest share first (stages under 5% of the request are left out). */
  stages: StageVerdict[];
  /** Every rule's verdict, for the report's detail view. */
  rules: RuleVerdict[];
  /** One line, e.g. "inference is memory-bound; preprocess is CPU-bound and takes 40% of the request". */
  summary: string;
}
