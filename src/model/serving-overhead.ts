// `profile MODEL --serve`: the same model measured in process and behind a local `inferbench
// serve`, per protocol, and what serving adds, stage by stage. Plain data; the served trials are
// in report.trials (their ids start with the protocol), referenced here by id.

/** The protocols --serve measures, in the order they run and are shown. */
export const SERVED_PROTOCOLS = ['kserve-json', 'kserve-binary', 'kserve-grpc', 'tfserving-rows'] as const;
export type ServedProtocol = (typeof SERVED_PROTOCOLS)[number];

/** A request's total at one percentile, in process and served, and the client stages there. */
export interface ServedPercentile {
  /** In-process total (prepare + run + collect) at this percentile, ms. */
  inProcessMs: number;
  /** Served total (serialize + request + deserialize) at this percentile, ms. */
  servedMs: number;
  /** servedMs − inProcessMs: what serving adds at this percentile, ms. */
  overheadMs: number;
  serializeMs: number;
  requestMs: number;
  deserializeMs: number;
}

/**
 * Where the served request's mean time goes, ms. Means add up (percentiles do not), so the
 * segments sum to the served mean total: inference + serialize + transport + queue + deserialize.
 */
export interface ServedSegments {
  /**
   * The model in process: the in-process trial's mean total (open loop: less its mean wait in the
   * in-process queue, so the base is the model's own time and the server's queue is shown apart).
   * The base of the bar.
   */
  inferenceMs: number;
  /** Client: tensors → request body (mean). */
  serializeMs: number;
  /**
   * The rest of the served mean: the HTTP/gRPC stack and the network, with the server's own
   * decoding and encoding (open loop: also any wait for a free client connection). The served
   * mean total − the other segments. Can come out slightly negative when the served model ran
   * faster than in process (noise); drawn as 0 then.
   */
  transportMs: number;
  /** The server's queue, an AVERAGE from its statistics extension; null when the protocol has none (TF Serving). */
  queueMs: number | null;
  /** Client: response body → tensors (mean). */
  deserializeMs: number;
}

export interface ServedRow {
  protocol: ServedProtocol;
  /** 'closed': each stream sends its next request when the last one answered; 'open': arrivals at `rate` (--rate), timed from the intended arrival. */
  loop: 'closed' | 'open';
  /** Open loop: the offered rate, requests/s. */
  rate?: number;
  /** e.g. 'KServe REST, JSON'. */
  label: string;
  /** The in-process trial this row is measured against (same batch, concurrency, precision). */
  inProcessTrialId: string;
  /** The served trial (in report.trials), or null when it did not run. */
  servedTrialId: string | null;
  /** Why there are no figures: the served trial failed or was skipped. */
  error?: string;
  p50?: ServedPercentile;
  p99?: ServedPercentile;
  /** The served trial's mean total, ms (= the sum of the segments). */
  servedMeanMs?: number;
  segments?: ServedSegments;
  /** The server's statistics over the measured requests: AVERAGES per request (µs in the trial, ms here). */
  server?: { requests: number; queueMs: number; computeMs: number } | null;
}

export interface ServingOverhead {
  /** How the local server ran: one process, on loopback, with these settings (argv: its command line). */
  server: { model: string; name: string; threads: number | null; device: string; argv: string[] };
  /** Closed-loop rows first, then open-loop rows (--rate), per protocol in SERVED_PROTOCOLS order. */
  rows: ServedRow[];
}
