// How many samples a percentile needs before it can be reported as trustworthy.
//
// Source: MLPerf Inference LoadGen's early-stopping rule (mlcommons/inference,
// loadgen/early_stopping.cc `MinPassingQueriesFinder`, used in loadgen/results.cc
// `PerformanceSummary::EarlyStopping` with confidence c = 0.99 and tolerance d = 0). Treat each
// sample above the true p-quantile as an "overlatency" event with probability 1 - p. LoadGen asks
// for the smallest run in which, even after allowing t = 1 overlatency sample, the chance of
// seeing so few overlatency samples would be below 1 - c if the true percentile were higher:
//
//     min n  such that  P(Binomial(n, 1 - p) <= t) < 1 - c,   t = 1
//
// (LoadGen writes this as find_min_passing(t = 1, p, d, c) + 1 queries, and prints "Processed at
// least 64 queries" for p90 and needs 662 for p99.) The same formula gives the other keys.
import type { PercentileKey } from '../types.js';

/** Confidence LoadGen hardcodes for early stopping (results.cc). */
export const EARLY_STOPPING_CONFIDENCE = 0.99;
/** Overlatency samples LoadGen tolerates in its minimum-queries check (t = 1). */
export const EARLY_STOPPING_OVERLATENCY = 1;

/** Reported percentiles, in order, as fractions. */
export const PERCENTILE_FRACTIONS: Readonly<Record<PercentileKey, number>> = {
  p50: 0.5,
  p90: 0.9,
  p95: 0.95,
  p99: 0.99,
  p999: 0.999,
};
export const PERCENTILE_KEYS: readonly PercentileKey[] = ['p50', 'p90', 'p95', 'p99', 'p999'];

/** ln P(Binomial(n, r) <= t), summed term by term in log space (t is small). */
function logBinomialCdf(t: number, n: number, r: number): number {
  // pmf(k) = C(n, k) r^k (1-r)^(n-k); build ln C(n, k) incrementally.
  let logChoose = 0;
  let maxLog = -Infinity;
  const logs: number[] = [];
  for (let k = 0; k <= t && k <= n; k++) {
    if (k > 0) logChoose += Math.log((n - k + 1) / k);
    const l = logChoose + k * Math.log(r) + (n - k) * Math.log1p(-r);
    logs.push(l);
    if (l > maxLog) maxLog = l;
  }
  let sum = 0;
  for (const l of logs) sum += Math.exp(l - maxLog);
  return maxLog + Math.log(sum);
}

/**
 * Minimum number of samples for percentile `p` (a fraction in (0, 1)) under LoadGen's
 * early-stopping rule. 64 for p = 0.9, 662 for p = 0.99 (LoadGen's documented numbers).
 */
export function minSamplesForPercentile(
  p: number,
  confidence = EARLY_STOPPING_CONFIDENCE,
  overlatency = EARLY_STOPPING_OVERLATENCY,
): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`percentile must be in (0, 1), got ${p}`);
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  }
  const logTarget = Math.log(1 - confidence);
  const passes = (n: number): boolean => logBinomialCdf(overlatency, n, 1 - p) < logTarget;
  // P(Binomial(n, r) <= t) decreases in n once n > t: bracket, then binary search.
  let lo = overlatency + 1;
  let hi = lo;
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

/** Minimum sample count for each reported percentile (computed once, from the rule above). */
export const MIN_SAMPLES: Readonly<Record<PercentileKey, number>> = Object.freeze({
  p50: minSamplesForPercentile(PERCENTILE_FRACTIONS.p50),
  p90: minSamplesForPercentile(PERCENTILE_FRACTIONS.p90),
  p95: minSamplesForPercentile(PERCENTILE_FRACTIONS.p95),
  p99: minSamplesForPercentile(PERCENTILE_FRACTIONS.p99),
  p999: minSamplesForPercentile(PERCENTILE_FRACTIONS.p999),
});

/** Percentiles that `count` samples cannot support, in reporting order (empty = all trusted). */
export function insufficientPercentiles(count: number): PercentileKey[] {
  return PERCENTILE_KEYS.filter((key) => !(count >= MIN_SAMPLES[key]));
}

/** Minimum sample count for one percentile (the MIN_SAMPLES entry). */
export function minimumSamples(key: PercentileKey): number {
  return MIN_SAMPLES[key];
}
