// An interval for a trial's sequential throughput, by batch means: the measured phase cut into
// BATCH_WINDOWS consecutive windows, each window's rate (iterations over the time its requests
// took), and a Student's t interval of their mean. Consecutive requests are correlated (a burst of
// another job slows a run of them), which an interval over single requests would ignore; batch
// means over long windows absorb that (Law & Kelton, "Simulation Modeling and Analysis", §9.5.3,
// whose 10–30 batches are the usual advice). A burst that hit one window widens the interval.

/** Consecutive windows of the measured phase. */
export const BATCH_WINDOWS = 10;
/** Student's t quantile, 0.975, 9 degrees of freedom (BATCH_WINDOWS − 1): a two-sided 95% interval. */
const T_975_9 = 2.262;

/**
 * The rate's 95% interval relative to the mean window rate ([0.97, 1.03] = ±3%), from the first
 * `count` per-request times (any unit); null when there are fewer than two requests per window.
 */
export function relativeRateInterval(times: Float64Array, count: number): { relative: [number, number]; windows: number; level: number } | null {
  if (count < 2 * BATCH_WINDOWS) return null;
  const rates: number[] = [];
  for (let w = 0; w < BATCH_WINDOWS; w++) {
    const from = Math.floor((w * count) / BATCH_WINDOWS);
    const to = Math.floor(((w + 1) * count) / BATCH_WINDOWS);
    let sum = 0;
    for (let i = from; i < to; i++) sum += times[i]!;
    if (!(sum > 0)) return null;
    rates.push((to - from) / sum);
  }
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  const variance = rates.reduce((a, r) => a + (r - mean) ** 2, 0) / (rates.length - 1);
  const half = (T_975_9 * Math.sqrt(variance / rates.length)) / mean;
  return { relative: [Math.max(0, 1 - half), 1 + half], windows: BATCH_WINDOWS, level: 0.95 };
}
