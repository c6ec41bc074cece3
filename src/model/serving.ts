// The serving settings of an open-loop trial (issue 22): plain values every layer reads; no imports,
// so TrialSpec (spec.ts) can carry them. Results of such a trial: model/service.ts.

/** How arrivals are spaced: evenly, Poisson (exponential gaps, seeded), or replayed from a file of offsets. */
export type ArrivalKind = 'constant' | 'poisson' | 'trace';
export const ARRIVAL_KINDS: readonly ArrivalKind[] = ['constant', 'poisson', 'trace'];

/**
 * `triton`: Triton's dynamic batcher (max_queue_delay_microseconds): a free instance takes a full
 * batch at once; only while a full batch cannot form does it hold, and never past the moment the
 * OLDEST waiting request has waited max delay. `timeout`: TorchServe (batch_size, max_batch_delay)
 * and Ray Serve (max_batch_size, batch_wait_timeout_s): a batch closes when full or when max delay
 * has passed since its FIRST request was queued; a closed batch then waits for a free instance.
 */
export type BatchingPolicy = 'triton' | 'timeout';
export const BATCHING_POLICIES: readonly BatchingPolicy[] = ['triton', 'timeout'];

/**
 * The serving settings of an open-loop trial: one value of each (rate is the sweep axis; a knee
 * search or batching replay builds these directly). Part of TrialSpec (`service`) and of its id.
 */
export interface ServingSettings {
  /** Offered rate, requests/s. For a trace: its offsets are time-scaled to this rate. */
  rate: number;
  arrivals: ArrivalKind;
  /** The trace file (arrivals = 'trace'): one arrival offset in ms per line, non-negative, sorted. */
  trace?: string;
  /** Seed of the Poisson gaps (the run's --seed): the same seed replays the same arrivals. */
  seed: number;
  /** Largest model batch the batcher forms, in items along the batch dim (Triton's max_batch_size); 1 = no batching. */
  maxBatch: number;
  /** Max queue delay, ms (Triton max_queue_delay_microseconds / 1000; TorchServe max_batch_delay; Ray batch_wait_timeout_s × 1000). */
  maxDelayMs: number;
  batching: BatchingPolicy;
  /** Model instances: sessions in their own worker threads, each running one batch at a time. */
  instances: number;
  /** Requests that may wait in the queue (not yet dispatched); an arrival beyond it is dropped and counted. null = unbounded. */
  queueLimit: number | null;
}

/** Stages a service trial records beside TIMED_STAGES (all per request, µs histograms in the report as StageStats). */
export const SERVICE_STAGES = ['queue', 'batch', 'crossing', 'uncorrected', 'lag'] as const;
export type ServiceStage = (typeof SERVICE_STAGES)[number];
