// The knee of the latency–throughput curve (`--rate auto --budget "p99<=50ms"`) and the batching
// advice checked by replay (`--advise-batching`). Plain data: built by sweep/knee-search.ts over
// load/knee.ts and load/batching-advice.ts; read by report/ and compare/.
import type { BatchingPolicy } from './service.js';

/** One probe of a knee search; the probe's full measurement is the trial `trialId` in report.trials. */
export interface KneeProbeSummary {
  rate: number;
  trialId: string;
  phase: 'bracket' | 'bisect';
  /** pass: LoadGen's early-stopping rule says the percentile is within the target at 99% confidence. */
  verdict: 'pass' | 'over-budget' | 'overloaded' | 'interrupted';
  /** Requests completed and judged. */
  requests: number;
  /** Of those, over the target. */
  overTarget: number;
  /** Requests the rule needs to pass with `overTarget` over the target (h + t). */
  needed: number;
  /** The budget's percentile as measured, ms; null when overloaded (no stable percentile). */
  percentileMs: number | null;
  achievedRate: number | null;
  meanBatch: number | null;
}

/** The serving settings a knee was searched for (everything but the rate). */
export interface KneeSettings {
  maxBatch: number;
  maxDelayMs: number;
  batching: BatchingPolicy;
  instances: number;
  itemsPerRequest: number;
}

export interface KneeSearch {
  /** The budget as written, e.g. "p99<=50ms", and what it means. */
  budget: string;
  stage: string;
  percentile: number;
  targetMs: number;
  /** LoadGen's Server-scenario early stopping (mlcommons/inference loadgen/early_stopping.cc). */
  rule: 'loadgen-early-stopping';
  confidence: number;
  /** The trial id the probes share, without their rate. */
  baseTrialId: string;
  settings: KneeSettings;
  /** Where the search started: instances × items per batch ÷ S, from a short probe; null = doubling from a low rate. */
  capacity: { rate: number; serviceTimeMs: number; meanBatch: number } | null;
  /** The highest rate that passed; null when none did. */
  kneeRate: number | null;
  /** The lowest rate that failed above the knee; the knee lies in [kneeRate, failedRate). */
  failedRate: number | null;
  /** (failedRate − kneeRate) / kneeRate reached, and the precision asked for. */
  precision: number | null;
  targetPrecision: number;
  stop: 'precision' | 'max-probes' | 'below-min-rate' | 'interrupted';
  probes: KneeProbeSummary[];
}

/** S(b): the measured service time of a batch of b items (dispatch → instance free). */
export interface ServiceTimePoint {
  batch: number;
  meanMs: number;
  cv: number;
  /** Batches measured. */
  batches: number;
}

export interface BatchingCandidate {
  maxBatch: number;
  maxDelayMs: number;
  batching: BatchingPolicy;
  /** From the simulation over S(b). */
  predictedKneeRate: number;
  predictedCapacity: number;
  predictedMeanBatch: number;
}

/** A setting replayed on the real engine: the knee predicted by simulation beside the knee measured. */
export interface BatchingReplay {
  maxBatch: number;
  maxDelayMs: number;
  batching: BatchingPolicy;
  predictedKneeRate: number;
  /** The knee search's result on the engine (its probes are trials too). */
  kneeRate: number | null;
  /** Mean achieved batch (items) of the highest passing probe. */
  meanBatch: number | null;
  baseTrialId: string;
}

/**
 * The replayed setting in the names of the servers' config keys — only the servers whose batching
 * policy was replayed: Triton for `triton`; TorchServe and Ray Serve for `timeout`. max_batch_size
 * counts items (Triton, Ray with one item per call) or requests (TorchServe's batch_size).
 */
export interface ServerSettings {
  triton?: { max_batch_size: number; dynamic_batching: { max_queue_delay_microseconds: number }; instance_group: { count: number } };
  torchserve?: { batch_size: number; max_batch_delay: number; workers: number };
  ray_serve?: { max_batch_size: number; batch_wait_timeout_s: number; num_replicas: number };
}

export interface BatchingAdvice {
  budget: string;
  instances: number;
  itemsPerRequest: number;
  serviceTimes: ServiceTimePoint[];
  /** Every setting simulated, best predicted first. */
  candidates: BatchingCandidate[];
  /** The best predicted setting and no batching, each replayed with a knee search. */
  replays: BatchingReplay[];
  /** Present only when the replay confirmed the setting (its measured knee beats no batching's). */
  recommendation: (BatchingReplay & { gainOverNoBatching: number; servers: ServerSettings }) | null;
  /** One line: why this recommendation, or why none. */
  reason: string;
}
