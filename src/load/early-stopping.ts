// MLPerf LoadGen's early-stopping rule for a latency percentile, the test each knee probe passes
// or fails (src/load/knee.ts).
//
// Source: mlcommons/inference loadgen/early_stopping.cc (MinPassingQueriesFinder) and
// loadgen/results.cc (PerformanceSummary::EarlyStopping, Server scenario). With t requests over
// the latency target, LoadGen finds the smallest h such that
//
//   BetaRegularized[p − d, h, 1 + t] < 1 − c
//
// i.e. the chance of seeing t or fewer over-target requests among h + t, were the true share of
// over-target requests 1 − p + d, is below 1 − c. The run passes iff requests ≥ h + t: then
// "the p-th percentile is at or under the target" holds with confidence c. LoadGen's Server
// scenario uses p = the target percentile (0.99), tolerance d = 0 and confidence c = 0.99, which
// gives the published minimum of 459 requests with none over (t = 1 → 662, t = 10 → 2 010,
// t = 20 → 3 304).
//
// LoadGen evaluates the regularized beta through a hypergeometric series; for integer arguments
// it equals the binomial CDF P(X ≤ t), X ~ Binomial(h + t, 1 − p + d), which is what this file
// sums (in log space, so millions of requests do not underflow). The two agree: the unit test
// checks LoadGen's values and a cross-check against the series.

export interface EarlyStoppingParams {
  /** Percentile as a fraction: 0.99 for p99. */
  percentile: number;
  /** Confidence, LoadGen's 0.99. */
  confidence?: number;
  /** LoadGen's tolerance d, 0 in its Server scenario. */
  tolerance?: number;
}

export interface EarlyStoppingVerdict {
  /** requests ≥ needed. */
  pass: boolean;
  requests: number;
  /** Requests whose latency was over the target (t). */
  overTarget: number;
  /** h + t: the requests it takes, with t over, to claim the percentile is within the target. */
  needed: number;
  /** Most over-target requests this many requests could hold and still pass. */
  maxOverTarget: number;
}

export const LOADGEN_CONFIDENCE = 0.99;

/** log P(X ≤ t) for X ~ Binomial(n, 1 − q): the regularized beta I_q(n − t, t + 1). */
function logBinomialCdf(n: number, t: number, q: number): number {
  // term_x = C(n, x) (1 − q)^x q^(n − x), built from term_0 = q^n by the ratio of successive terms.
  const logRatio = Math.log1p(-q) - Math.log(q);
  let logTerm = n * Math.log(q);
  let logSum = logTerm;
  for (let x = 0; x < t; x++) {
    logTerm += Math.log((n - x) / (x + 1)) + logRatio;
    const hi = Math.max(logSum, logTerm);
    logSum = hi + Math.log(Math.exp(logSum - hi) + Math.exp(logTerm - hi));
  }
  return logSum;
}

function check(params: EarlyStoppingParams): { q: number; logAlpha: number } {
  const { percentile, confidence = LOADGEN_CONFIDENCE, tolerance = 0 } = params;
  const q = percentile - tolerance;
  if (!(q > 0 && q < 1)) throw new RangeError(`early stopping needs 0 < percentile − tolerance < 1 (got ${q})`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`early stopping needs 0 < confidence < 1 (got ${confidence})`);
  return { q, logAlpha: Math.log(1 - confidence) };
}

/**
 * LoadGen's h for t over-target requests: the fewest requests within the target that, with t
 * over it, show the percentile within the target at the confidence asked.
 */
export function minPassingQueries(t: number, params: EarlyStoppingParams): number {
  if (!Number.isInteger(t) || t < 0) throw new RangeError(`over-target count must be a whole number ≥ 0 (got ${t})`);
  const { q, logAlpha } = check(params);
  const passes = (h: number): boolean => logBinomialCdf(h + t, t, q) < logAlpha;
  // The t = 0 bound q^h < 1 − c is a floor for every t (more over-target requests need more within).
  let lo = Math.max(1, Math.ceil(logAlpha / Math.log(q)) - 1);
  let hi = Math.max(lo + 1, Math.ceil((t + 1) * (1 / (1 - q))));
  while (!passes(hi)) {
    lo = hi;
    hi *= 2;
  }
  // Invariant: passes(hi); the answer is in (lo, hi] unless lo itself passes (only at the floor).
  if (passes(lo)) return lo;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (passes(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The fewest requests a probe needs to pass with no request over the target (459 for p99). */
export function minimumRequests(params: EarlyStoppingParams): number {
  return minPassingQueries(0, params);
}

/** Most over-target requests that `requests` requests can hold and still pass (−1: none can). */
export function maxOverTarget(requests: number, params: EarlyStoppingParams): number {
  const fits = (t: number): boolean => minPassingQueries(t, params) + t <= requests;
  if (!fits(0)) return -1;
  // h(t) + t rises with t, so the largest t that fits is found by bisection.
  let lo = 0;
  let hi = Math.max(1, Math.ceil(requests * (1 - params.percentile + (params.tolerance ?? 0))));
  while (fits(hi)) hi *= 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** LoadGen's Server-scenario verdict for `requests` requests of which `overTarget` missed the target. */
export function earlyStopping(requests: number, overTarget: number, params: EarlyStoppingParams): EarlyStoppingVerdict {
  const needed = minPassingQueries(overTarget, params) + overTarget;
  return { pass: requests >= needed, requests, overTarget, needed, maxOverTarget: maxOverTarget(requests, params) };
}
