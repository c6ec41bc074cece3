// Distribution-free confidence intervals for a quantile, from order statistics.
//
// Source: the classical order-statistic interval (e.g. Hahn & Meeker, "Statistical Intervals",
// 1991, ch. 5; Conover, "Practical Nonparametric Statistics", 3rd ed., §3.2). For n i.i.d.
// samples and the true q-quantile ξ, the number B of samples <= ξ is Binomial(n, q), and
// X(l) <= ξ <= X(u) (1-based order statistics) holds whenever l <= B <= u - 1. Choosing
//
//     l = the largest rank with P(B <= l - 1) <= α/2,   u = the smallest rank with P(B >= u) <= α/2
//
// gives coverage >= 1 - α for any continuous distribution (equal-tailed, conservative). When no
// rank satisfies a tail (l < 1 or u > n) the interval does not exist at that n and we return
// null: e.g. a 95% interval for p99 needs n >= 367, for the median n >= 6.
//
// Exact binomial tails for small and moderate n; the normal approximation to the binomial,
// rank bounds nq ± z·sqrt(nq(1-q)) rounded outward, when n is large and nq(1-q) is big enough
// for it to be accurate (the usual rule of thumb is nq(1-q) >= 10; we ask for more).

/** Above this many samples the normal approximation is used (when its np(1-p) rule also holds). */
export const EXACT_BINOMIAL_MAX_N = 20_000;
/** Minimum n·q·(1-q) for the normal approximation to the binomial to be used. */
export const NORMAL_APPROX_MIN_VARIANCE = 25;

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9;
 * P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution function").
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  const pLow = 0.02425;
  if (p < pLow || p > 1 - pLow) {
    const s = Math.sqrt(-2 * Math.log(p < pLow ? p : 1 - p));
    const x = horner(ACKLAM_C, s) / horner(ACKLAM_D, s);
    return p < pLow ? x : -x;
  }
  const s = p - 0.5;
  const r = s * s;
  return (horner(ACKLAM_A, r) * s) / horner(ACKLAM_B, r);
}

// Acklam's coefficients, highest power first; B and D carry the trailing constant 1.
const ACKLAM_A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269,
  -30.66479806614716, 2.506628277459239,
];
const ACKLAM_B = [
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
  -13.28068155288572, 1,
];
const ACKLAM_C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
];
const ACKLAM_D = [
  0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416, 1,
];

function horner(coefficients: readonly number[], x: number): number {
  let acc = 0;
  for (const c of coefficients) acc = acc * x + c;
  return acc;
}

/**
 * 1-based ranks [l, u] of the exact equal-tailed interval, or null when it does not exist.
 * Walks the Binomial(n, q) pmf in log space from each end, so nothing underflows for large n.
 */
function exactRanks(n: number, q: number, halfAlpha: number): [number, number] | null {
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  // Lower tail: P(B <= k) for k = 0, 1, ...; l - 1 is the largest k with P(B <= k) <= α/2.
  let logPmf = n * log1mQ; // pmf(0)
  let cdf = 0;
  let lower = 0; // l: one more than the last k whose cdf stayed <= α/2 (0 when none did)
  for (let k = 0; k <= n; k++) {
    cdf += Math.exp(logPmf);
    if (cdf > halfAlpha) break;
    lower = k + 1;
    logPmf += Math.log((n - k) / (k + 1)) + logQ - log1mQ;
  }
  // Upper tail: P(B >= k) for k = n, n - 1, ...; u is the smallest k with P(B >= k) <= α/2.
  logPmf = n * logQ; // pmf(n)
  let sf = 0;
  let upper = n + 1;
  for (let k = n; k >= 0; k--) {
    sf += Math.exp(logPmf);
    if (sf > halfAlpha) break;
    upper = k;
    logPmf += Math.log(k / (n - k + 1)) + log1mQ - logQ;
  }
  if (lower < 1 || upper > n) return null;
  return [lower, upper];
}

/** Ranks from the normal approximation, rounded outward (conservative). */
function normalRanks(n: number, q: number, halfAlpha: number): [number, number] | null {
  const z = normalQuantile(1 - halfAlpha);
  const spread = z * Math.sqrt(n * q * (1 - q));
  const l = Math.floor(n * q - spread);
  const u = Math.ceil(n * q + spread) + 1;
  if (l < 1 || u > n) return null;
  return [l, u];
}

/**
 * The 1-based ranks [l, u] of the order statistics bounding the q-quantile's interval among n
 * samples, or null when no interval at this level exists. Lets a caller that holds a histogram
 * instead of raw samples read the bounds at those ranks.
 */
export function quantileCIRanks(n: number, q: number, level = 0.95): [number, number] | null {
  if (!(q > 0 && q < 1)) throw new RangeError(`q must be in (0, 1), got ${q}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  if (n < 2) return null;
  const halfAlpha = (1 - level) / 2;
  const useNormal = n > EXACT_BINOMIAL_MAX_N && n * q * (1 - q) >= NORMAL_APPROX_MIN_VARIANCE;
  return useNormal ? normalRanks(n, q, halfAlpha) : exactRanks(n, q, halfAlpha);
}

/**
 * Confidence interval [lo, hi] for the q-quantile (q in (0, 1)) of the population that the
 * ascending `sorted` samples came from, at confidence `level` (default 95%). Distribution-free.
 * null when n is too small for an interval at this level to exist. Values keep sorted's unit.
 */
export function quantileCI(sorted: Float64Array, q: number, level = 0.95): [number, number] | null {
  const ranks = quantileCIRanks(sorted.length, q, level);
  if (ranks === null) return null;
  const lo = sorted[ranks[0] - 1];
  const hi = sorted[ranks[1] - 1];
  if (lo === undefined || hi === undefined) return null;
  return [lo, hi];
}
