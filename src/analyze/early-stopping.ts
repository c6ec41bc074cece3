// MLPerf LoadGen's early-stopping rule: can a run's samples show that a latency percentile meets
// a limit, and how many more would it take?
//
// Source: mlcommons/inference, loadgen/early_stopping.cc (`odds`, `find_min_passing`,
// `MinPassingQueriesFinder`) and loadgen/results.cc (`PerformanceSummary::EarlyStopping`, which
// calls it with confidence c = 0.99 and tolerance d = 0). Each sample above the limit is an
// "overlatency" event. If the true p-quantile were at the limit, an event would occur with
// probability 1 − p per sample, so seeing as few as `over` events among n samples has probability
//
//     odds(h, over) = P(Binomial(h + over, 1 − p + d) <= over),   h = n − over (samples within)
//
// LoadGen's Server scenario passes a run when h is at least find_min_passing(over): the fewest h
// with odds(h, over) < 1 − c. Its SingleStream estimate reads the percentile's upper bound off the
// sorted samples the same way (boundRanks below).
//
// The mirror, for a limit that is violated (LoadGen never stops early on a failure; a budget
// check needs both sides): if the true p-quantile were at or within the limit, `over` or more
// events among n samples has probability P(Binomial(n, 1 − p) >= over); below 1 − c the run shows
// the limit is exceeded. Between the two the samples cannot decide.
//
// Pure functions over counts, shared by budgets (src/budget/), the sweep's measure-until-decided
// rule (src/sweep/decide-budgets.ts) and the load knee search (src/load/knee.ts).

/** Confidence LoadGen hardcodes for early stopping (results.cc). */
export const EARLY_STOPPING_CONFIDENCE = 0.99;

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-13 over the range used). */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let a = c[0]!;
  const t = z + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz; Numerical Recipes §6.4). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b), a, b > 0 (LoadGen's BetaRegularized). */
export function betaRegularized(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); otherwise use the symmetry.
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(Binomial(n, r) <= k): I_{1−r}(n − k, k + 1) (LoadGen's `odds` comment). */
export function binomialCdf(k: number, n: number, r: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return betaRegularized(1 - r, n - k, k + 1);
}

function checkArguments(p: number, confidence: number): void {
  if (!(p > 0 && p < 1)) throw new RangeError(`percentile must be in (0, 1), got ${p}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
}

/**
 * LoadGen's find_min_passing(t = over, p, d = 0, c): the fewest samples within the limit that,
 * beside `over` samples above it, show the p-quantile within the limit at `confidence`. 459 for
 * over = 0 and p = 0.99; 661 for over = 1 (LoadGen's "at least 662 queries").
 */
export function minPassingSamples(over: number, p: number, confidence = EARLY_STOPPING_CONFIDENCE): number {
  checkArguments(p, confidence);
  const target = 1 - confidence;
  const passes = (h: number): boolean => binomialCdf(over, h + over, 1 - p) < target;
  // odds falls as h grows: bracket from LoadGen's lower bound (h >= over · p / (1 − p)), then bisect.
  let lo = Math.max(1, Math.floor((over * p) / (1 - p)));
  let hi = Math.max(lo, Math.ceil(Math.log(target) / Math.log(p)));
  while (!passes(hi)) {
    lo = hi + 1;
    hi *= 2;
  }
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (passes(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** LoadGen's Server-scenario test: n samples, `over` of them above the limit, show the p-quantile within it. */
export function earlyStoppingPasses(n: number, over: number, p: number, confidence = EARLY_STOPPING_CONFIDENCE): boolean {
  return n - over >= minPassingSamples(over, p, confidence);
}

/** The mirror test: so many samples above the limit that the p-quantile is beyond it at `confidence`. */
export function earlyStoppingFails(n: number, over: number, p: number, confidence = EARLY_STOPPING_CONFIDENCE): boolean {
  checkArguments(p, confidence);
  if (over <= 0) return false;
  return 1 - binomialCdf(over - 1, n, 1 - p) < 1 - confidence;
}

export type EarlyStoppingVerdict = 'pass' | 'fail' | 'undecided';

export interface EarlyStoppingJudgement {
  verdict: EarlyStoppingVerdict;
  /**
   * Undecided only: more samples, all within the limit, after which it would pass (LoadGen's
   * "would need to run at least N more queries"); a lower bound when later samples exceed it too.
   */
  samplesToPass: number | null;
}

/** Both tests: pass, fail, or undecided with how many more samples a pass would take. */
export function judgePercentile(n: number, over: number, p: number, confidence = EARLY_STOPPING_CONFIDENCE): EarlyStoppingJudgement {
  if (!Number.isInteger(n) || !Number.isInteger(over) || n < 0 || over < 0 || over > n) throw new RangeError(`need integers 0 <= over <= n, got over ${over} of ${n}`);
  const h = minPassingSamples(over, p, confidence);
  if (n - over >= h) return { verdict: 'pass', samplesToPass: null };
  if (earlyStoppingFails(n, over, p, confidence)) return { verdict: 'fail', samplesToPass: null };
  return { verdict: 'undecided', samplesToPass: h + over - n };
}

/**
 * Ranks, counted from the largest sample (1 = the maximum), of the order statistics that bound
 * the p-quantile at `confidence` on each side, consistent with judgePercentile: a limit passes
 * exactly when the `upper`-th largest sample is within it, and fails exactly when the
 * `lower`-th largest is beyond it. `upper` is null when n samples cannot show any limit is met
 * (fewer than minPassingSamples(0)), `lower` null when none can show one is exceeded.
 * LoadGen's SingleStream estimate is the rank one above `upper` (it discards t − 1 samples where
 * this discards t), one order statistic more conservative.
 */
export function boundRanks(n: number, p: number, confidence = EARLY_STOPPING_CONFIDENCE): { upper: number | null; lower: number | null } {
  checkArguments(p, confidence);
  // upper: one more than the most samples above a limit that still pass (minPassingSamples(over)
  // + over grows with over, so "passes" is true up to some count and false after it: bisect).
  const passesWith = (over: number): boolean => n - over >= minPassingSamples(over, p, confidence);
  let upper: number | null = null;
  if (n > 0 && passesWith(0)) {
    let a = 0;
    let b = n;
    while (a < b) {
      const mid = Math.ceil((a + b) / 2);
      if (passesWith(mid)) a = mid;
      else b = mid - 1;
    }
    upper = a + 1;
  }
  // lower: the fewest samples above a limit that fail it.
  let lo = 1;
  let hi = n;
  if (n === 0 || !earlyStoppingFails(n, n, p, confidence)) return { upper, lower: null };
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (earlyStoppingFails(n, mid, p, confidence)) hi = mid;
    else lo = mid + 1;
  }
  return { upper, lower: lo };
}
