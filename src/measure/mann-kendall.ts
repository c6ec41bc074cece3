// Mann–Kendall trend test (Mann 1945; Kendall, "Rank Correlation Methods", 1975): S counts
// concordant minus discordant pairs of (index, value); under "no trend" S is approximately normal
// with variance [m(m−1)(2m+5) − Σ t(t−1)(2t+5)] / 18 (t = sizes of tied groups). Rank-based:
// insensitive to outliers and skew, which latency has plenty of.

/** Mann–Kendall is O(m²): mannKendallZ tests at most this many evenly spaced samples. */
export const DRIFT_MAX_POINTS = 500;

/**
 * Mann–Kendall S = Σ_{i<j} sign(x_j − x_i) over `len` values of a ring buffer starting at
 * `start` (indices taken modulo `capacity`), counting |x_j − x_i| <= `resolution` as a tie.
 * No allocation.
 */
export function kendallS(
  x: Float64Array,
  start: number,
  len: number,
  capacity: number,
  resolution = 0,
): number {
  let s = 0;
  for (let i = 0; i < len - 1; i++) {
    const xi = x[(start + i) % capacity]!;
    for (let j = i + 1; j < len; j++) {
      const d = x[(start + j) % capacity]! - xi;
      if (d > resolution) s++;
      else if (d < -resolution) s--;
    }
  }
  return s;
}

/** Mann–Kendall z from S, with the continuity correction; `tieTerm` = Σ t(t−1)(2t+5). */
export function kendallZ(s: number, m: number, tieTerm: number): number {
  const variance = (m * (m - 1) * (2 * m + 5) - tieTerm) / 18;
  if (!(variance > 0) || s === 0) return 0;
  return (s - Math.sign(s)) / Math.sqrt(variance);
}

/**
 * Mann–Kendall z statistic of samples[0..count) against their index (thinned to at most
 * `maxPoints` evenly spaced samples), with the tie correction and continuity correction.
 * Positive: latency rises over the run. 0 when there are too few samples.
 */
export function mannKendallZ(
  samples: Float64Array,
  count: number,
  maxPoints = DRIFT_MAX_POINTS,
): number {
  const n = Math.max(0, Math.min(Math.floor(count), samples.length));
  const m = Math.min(n, maxPoints);
  if (m < 3) return 0;
  const x = new Float64Array(m);
  for (let i = 0; i < m; i++) x[i] = samples[Math.floor((i * n) / m)]!;
  let tieTerm = 0;
  const sorted = x.slice().sort();
  for (let i = 0; i < m; ) {
    let j = i + 1;
    while (j < m && sorted[j] === sorted[i]) j++;
    const t = j - i;
    tieTerm += t * (t - 1) * (2 * t + 5);
    i = j;
  }
  return kendallZ(kendallS(x, 0, m, m), m, tieTerm);
}
