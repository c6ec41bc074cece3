// The knee: the largest offered rate whose latency percentile meets a budget (`--rate auto
// --budget "p99<=50ms"`). Bracket, then bisect to a stated relative precision, as perf_analyzer's
// --binary-search and LoadGen's FindPeakPerformance do; each probe is judged by LoadGen's
// early-stopping rule (src/load/early-stopping.ts), and a probe the engine marks overloaded fails
// without a percentile. Pure: the probe is a function, so the search is tested with a fake one.
import { earlyStopping, minimumRequests, type EarlyStoppingParams } from './early-stopping.js';

/** What one open-loop probe at a rate measured, as the search needs it. */
export interface KneeProbeOutcome {
  /** Requests completed and judged (every request sent, none dropped from the count). */
  requests: number;
  /** Requests whose latency exceeded the budget's target. */
  overTarget: number;
  /** The budget's percentile as measured, ms (for the report; the verdict does not use it). */
  percentileMs: number | null;
  /** The engine's overload verdict: the queue grew without bound, offered ≫ achieved. */
  overloaded: boolean;
  achievedRate?: number;
  meanBatch?: number;
  /** The probe stopped on a signal: not a verdict on the rate. */
  interrupted?: boolean;
  /** Whatever the caller wants to keep with the probe (the full trial). */
  detail?: unknown;
}

export interface KneeProbePlan {
  /** Requests the probe should send. */
  requests: number;
  /** The budget's target, ms: requests over it are counted in `overTarget`. */
  targetMs: number;
}

export type KneeProbe = (rate: number, plan: KneeProbePlan) => Promise<KneeProbeOutcome>;

export interface KneeSearchOptions {
  /** Budget percentile as a fraction (0.99) and target in ms. */
  percentile: number;
  targetMs: number;
  /** Stop when (lowest failing − highest passing) / highest passing ≤ this. Default 0.05. */
  precision?: number;
  /** Capacity estimate in requests/s (1/E[S] × instances, or b/S(b) when batching); null = unknown. */
  capacity?: number | null;
  /** First rate probed when the capacity is unknown. Default 10/s. */
  startRate?: number;
  /**
   * Below this the search gives up: nothing meets the budget. Default: an eighth of the capacity
   * (lowered to the achieved rate of any overloaded probe)
   * (at ρ = 1/8 queueing adds under a tenth of the service time, so a budget missed there is
   * missed by the model's own latency, and lower rates only make the probes longer), else 0.5/s.
   */
  minRate?: number;
  /** At most this many probes. Default 16. */
  maxProbes?: number;
  /** Requests per probe at a rate; default max(2 × the early-stopping minimum, two seconds of arrivals). */
  requestsAt?: (rate: number) => number;
  signal?: AbortSignal;
  onProbe?: (record: KneeProbeRecord) => void;
}

export type KneeVerdict = 'pass' | 'over-budget' | 'overloaded' | 'interrupted';

export interface KneeProbeRecord {
  rate: number;
  phase: 'bracket' | 'bisect';
  verdict: KneeVerdict;
  requests: number;
  overTarget: number;
  /** h + t: requests LoadGen's rule needed for a pass with this many over the target. */
  needed: number;
  percentileMs: number | null;
  achievedRate?: number;
  meanBatch?: number;
  detail?: unknown;
}

export type KneeStop = 'precision' | 'max-probes' | 'below-min-rate' | 'interrupted';

export interface KneeResult {
  /** The highest rate that passed; null when none did. */
  kneeRate: number | null;
  /** The lowest rate that failed above it; null when none failed (max probes hit while doubling). */
  failedRate: number | null;
  /** (failedRate − kneeRate) / kneeRate reached, null when either is missing. */
  precision: number | null;
  targetPrecision: number;
  percentile: number;
  targetMs: number;
  confidence: number;
  capacity: number | null;
  probes: KneeProbeRecord[];
  stop: KneeStop;
}

export const DEFAULT_KNEE_PRECISION = 0.05;
const DEFAULT_START_RATE = 10;
const DEFAULT_MIN_RATE = 0.5;
const DEFAULT_MAX_PROBES = 16;
/** With a capacity estimate the first probe is at this share of it. */
const FIRST_SHARE_OF_CAPACITY = 0.5;
const MIN_SHARE_OF_CAPACITY = 1 / 8;
/** After an overloaded probe, the next one offers this share of the rate it achieved. */
const OVERLOAD_BACKOFF = 0.9;
const PROBE_SECONDS = 2;

/**
 * Default probe length: room for a few over-target requests, and at least two seconds of arrivals
 * (the engine's overload rules need a second of arrivals before they can end a probe; a probe
 * just past capacity that stops at one second has not yet shown its queue growing).
 */
export function defaultProbeRequests(rate: number, params: EarlyStoppingParams): number {
  return Math.max(2 * minimumRequests(params), Math.ceil(rate * PROBE_SECONDS));
}

export async function findKnee(probe: KneeProbe, options: KneeSearchOptions): Promise<KneeResult> {
  const params: EarlyStoppingParams = { percentile: options.percentile };
  const precision = options.precision ?? DEFAULT_KNEE_PRECISION;
  const maxProbes = options.maxProbes ?? DEFAULT_MAX_PROBES;
  const capacity = options.capacity != null && options.capacity > 0 ? options.capacity : null;
  // An overloaded probe's achieved rate is what the engine really serves (the estimate from a hot
  // burst can be several times higher: an idle worker thread pays to wake up); it lowers both the
  // next probe and the floor.
  let served = capacity;
  const minRate = (): number => options.minRate ?? (served !== null ? served * MIN_SHARE_OF_CAPACITY : DEFAULT_MIN_RATE);
  const requestsAt = options.requestsAt ?? ((rate: number) => defaultProbeRequests(rate, params));
  const minimum = minimumRequests(params);
  const probes: KneeProbeRecord[] = [];
  let pass: number | null = null;
  let fail: number | null = null;

  const run = async (rate: number, phase: KneeProbeRecord['phase']): Promise<KneeVerdict> => {
    const requests = Math.max(minimum, requestsAt(rate));
    const outcome = await probe(rate, { requests, targetMs: options.targetMs });
    const judged = earlyStopping(outcome.requests, outcome.overTarget, params);
    const verdict: KneeVerdict = outcome.interrupted
      ? 'interrupted'
      : outcome.overloaded ? 'overloaded' : judged.pass ? 'pass' : 'over-budget';
    const record: KneeProbeRecord = {
      rate, phase, verdict,
      requests: outcome.requests, overTarget: outcome.overTarget, needed: judged.needed, percentileMs: outcome.percentileMs,
      ...(outcome.achievedRate !== undefined && { achievedRate: outcome.achievedRate }),
      ...(outcome.meanBatch !== undefined && { meanBatch: outcome.meanBatch }),
      ...(outcome.detail !== undefined && { detail: outcome.detail }),
    };
    probes.push(record);
    options.onProbe?.(record);
    if (verdict === 'pass') pass = pass === null ? rate : Math.max(pass, rate);
    else if (verdict !== 'interrupted') fail = fail === null ? rate : Math.min(fail, rate);
    if (verdict === 'overloaded' && outcome.achievedRate !== undefined && outcome.achievedRate > 0) served = Math.min(served ?? Infinity, outcome.achievedRate);
    return verdict;
  };
  const result = (stop: KneeStop): KneeResult => ({
    kneeRate: pass, failedRate: fail,
    precision: pass !== null && fail !== null ? (fail - pass) / pass : null,
    targetPrecision: precision, percentile: options.percentile, targetMs: options.targetMs, confidence: 0.99,
    capacity, probes, stop,
  });
  const stopped = (): boolean => options.signal?.aborted === true;

  // Bracket: from half the capacity (then the capacity itself, which should fail) or from the
  // start rate, doubling up while probes pass and halving down while they fail.
  let rate = capacity !== null ? capacity * FIRST_SHARE_OF_CAPACITY : options.startRate ?? DEFAULT_START_RATE;
  for (;;) {
    if (stopped()) return result('interrupted');
    if (probes.length >= maxProbes) return result('max-probes');
    const verdict = await run(rate, 'bracket');
    if (verdict === 'interrupted') return result('interrupted');
    if (pass !== null && fail !== null) break;
    if (verdict === 'pass') rate = capacity !== null && rate < capacity ? capacity : rate * 2;
    else {
      const achieved = probes.at(-1)?.achievedRate;
      // Overloaded: just under what it achieved, when that is below half the rate.
      rate = verdict === 'overloaded' && achieved !== undefined && achieved > 0 ? Math.min(rate / 2, achieved * OVERLOAD_BACKOFF) : rate / 2;
      if (rate < minRate()) return result('below-min-rate');
    }
  }
  // Bisect the bracket [pass, fail) until it is narrow enough.
  for (;;) {
    const lo = pass as number | null;
    const hi = fail as number | null;
    if (lo === null || hi === null || (hi - lo) / lo <= precision) return result('precision');
    if (stopped()) return result('interrupted');
    if (probes.length >= maxProbes) return result('max-probes');
    if ((await run((lo + hi) / 2, 'bisect')) === 'interrupted') return result('interrupted');
  }
}
