// Service latency (issue 22): what a request sees under open-loop arrivals — waiting for an
// instance, waiting for a batch to form, crossing to the instance's thread, the model call and
// the outputs split back — timed from its INTENDED arrival (MLPerf LoadGen's Server scenario,
// wrk2), with the uncorrected twin from the actual send beside it. Plain data: built by load/
// (the in-process driver) over serving/ (queue, batcher, instances); read by report/ and compare/.
import type { LoadShare } from './merge.js';
import type { ServiceStage, ServingSettings } from './serving.js';
import type { PhaseBound } from './spec.js';
import type { StageStats } from './stage-stats.js';

export * from './serving.js';

/**
 * A service trial's stages, per request (ms in StageStats; histograms encoded as everywhere):
 * - `queue`: intended arrival → dispatch, minus `batch`: waiting while every instance was busy
 *   (the generator's own lag counts here: a real client would have sent on time and waited).
 * - `batch`: the part of that wait when an instance was free but the batcher held the request
 *   for a fuller batch (Triton delay / timeout policy).
 * - `crossing`: the two thread hops (posting the batch to its instance's worker, the result back).
 * - `preprocess`: in the worker: stacking the batch's requests along the batch dim + session.prepare.
 * - `inference`: the model call (session.run) of the request's batch; by batch size in `inferenceByBatchSize`.
 * - `postprocess`: collecting outputs and splitting them back per request (worker), delivering (main).
 * - `total`: completion − INTENDED arrival = queue + batch + crossing + preprocess + inference + postprocess.
 * - `uncorrected`: completion − ACTUAL send (what a tool that times from the send would show).
 * - `lag`: actual send − intended arrival: the generator's own lateness.
 */
export type ServiceStages = Record<'preprocess' | 'inference' | 'postprocess' | 'total' | ServiceStage, StageStats>;

/** Request counts of a probe. scheduled = sent + not sent (ended early); sent = completed + dropped + unfinished. */
export interface ServiceRequestCounts {
  scheduled: number;
  sent: number;
  completed: number;
  /** Refused at arrival by a full bounded queue (--queue-limit): counted, never in the percentiles. */
  dropped: number;
  /** Sent but not completed when the probe ended (ended early when overloaded, or interrupted). */
  unfinished: number;
}

/** One piece of evidence behind a verdict, like Bottleneck's. */
export interface ServiceEvidence {
  metric: string;
  value: number;
  unit: string;
  threshold: number;
}

/**
 * `overloaded`: arrivals outpace service, so the queue grows with the run's length and no
 * percentile is "the" latency (stages are then the latency of THIS run only, never a stable p99).
 * `stable`: none of the overload rules fired (src/load/overload.ts).
 */
export interface OverloadVerdict {
  verdict: 'stable' | 'overloaded';
  evidence: ServiceEvidence[];
  /** The probe stopped sending before its bound because it was clearly overloaded. */
  endedEarly: boolean;
}

/** `saturated`: the generator could not send on time (src/load/overload.ts: > 1% of sends over 1 ms late, perf_analyzer's rule). */
export interface GeneratorVerdict {
  verdict: 'ok' | 'saturated';
  /** Share of sends more than LATE_SEND_MS late. */
  lateShare: number;
  lagP99Ms: number;
  /** perf_hooks.monitorEventLoopDelay over the probe (10 ms resolution), ms. */
  eventLoopDelayP99Ms: number;
  evidence: ServiceEvidence[];
}

/** The model call's statistics at one achieved batch size (items along the batch dim). */
export interface BatchSizeStats {
  batchSize: number;
  /** Batches of this size that ran. */
  batches: number;
  inference: StageStats;
}

/** The `service` section of an ok TrialResult (and what one open-loop probe returns). */
export interface ServiceSection {
  settings: ServingSettings;
  /** Items per request (the trial's --batch; 1 when the model has no batch dim we set). */
  itemsPerRequest: number;
  /** Intra-op threads of each instance's session (--threads, else ⌊(cores − 1) ÷ instances⌋, at least 1). */
  threadsPerInstance: number;
  /** Requests scheduled ÷ the schedule's span, requests/s (what the arrivals ask for). */
  offeredRate: number;
  /** Requests sent ÷ the span of actual sends, requests/s. */
  sentRate: number;
  /** Requests completed ÷ (last completion − first intended arrival), requests/s. */
  achievedRate: number;
  requests: ServiceRequestCounts;
  /** Mean achieved batch size, items per model call. */
  meanBatchSize: number;
  batches: number;
  inferenceByBatchSize: BatchSizeStats[];
  /**
   * Service time of the instances: dispatch of a batch → its instance free for the next (result
   * back on the main thread), crossing included, ms — the S of M/G/1 (E[S], E[S²]).
   */
  serviceTime: { meanMs: number; secondMomentMs2: number; stats: StageStats };
  /** Busy time of the instances ÷ (instances × probe span): ρ as measured. */
  utilisation: number;
  /** Requests waiting (not yet dispatched), sampled every QUEUE_SAMPLE_MS: max, at the end, least-squares slope. */
  queue: { maxDepth: number; endDepth: number; slopePerSec: number; samples: number };
  overload: OverloadVerdict;
  generator: GeneratorVerdict;
  /** How the probe's length was bounded and how long it ran, ms (first intended arrival → last completion). */
  durationMs: number;
  /** --rate R --shard I/N against a URL: the share of the trial's load this section holds (merged: the shards' sum). */
  split?: LoadShare;
  /**
   * A URL target (open loop against an endpoint, load/remote-rig.ts): the client's side. The
   * settings above are then the CLIENT's (max batch 1: it never stacks requests; the server
   * batches), `queue` counts requests outstanding at the client, the `queue` stage is the wait for
   * a free connection (plus the send's lag), and `utilisation` is the connections' busy share.
   */
  client?: ClientPoolSection;
}

/** The client of an open-loop probe against an endpoint: its connection pool and what it cost. */
export interface ClientPoolSection {
  /** Connections opened and warmed before the probe; each carries one request at a time (wrk2's fixed connections). */
  connections: number;
  /** Request bodies were serialised once per connection before the probe and sent as they are (perf_analyzer, wrk2). */
  body: 'prepared';
  /** Serialising one request's body, warm (median of 15 after the warm-up), ms: the cost the per-request `preprocess` stage no longer holds. */
  serializeMs: number;
  /** Median request time (send → last byte) of one connection's sequential warm-up requests: the endpoint unloaded, ms. */
  unloadedRequestMs: number;
  /** Requests that waited more than 1 ms for a free connection (the client's limit, not the server's): count, share of completed, p99 of every request's wait. */
  waited: { requests: number; share: number; p99Ms: number };
  /** Little's law: offered rate × mean request time, the connections this rate needed. */
  neededConnections: number;
  /** pool-limited: more than 1% of requests waited over 1 ms for a connection (src/load/remote-rig.ts). */
  verdict: 'ok' | 'pool-limited';
}

/** What one open-loop probe measured: the trial's stages and its service section. */
export interface ServiceMeasurement {
  stages: ServiceStages;
  service: ServiceSection;
  /** The probe was stopped by its signal (Ctrl-C): numbers cover what ran. */
  interrupted: boolean;
  /** How the probe's length was bounded (-n requests, --duration of arrivals, or auto). */
  bound: PhaseBound;
  /** Relative change of the median total latency from the first to the last third of the requests (completion order). */
  driftRatio: number;
  /** Main-thread time per request in the driver, batcher and recording (µs): the harness's own cost. */
  harnessUsPerRequest: number;
}
