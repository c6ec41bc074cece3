// One stage's summary: the numbers a report shows, all derived from one run's samples.
//
// Percentiles come from the HDR histogram (within 0.1%, the same numbers `compare` and merged
// reports will read back from the encoded histogram); mean, standard deviation, min and max are
// exact, from the raw samples. Standard deviation is the sample (n - 1, Bessel-corrected) one,
// computed with Welford's online algorithm (Welford 1962; Knuth TAOCP vol. 2, §4.2.2), which
// does not lose precision the way sum-of-squares does when the mean is large.
import type { PercentileKey, StageStats } from '../types.js';
import { encodeHistogram, type Histogram } from './histogram.js';
import { quantileCI } from './quantile-ci.js';
import { insufficientPercentiles, PERCENTILE_FRACTIONS } from './sample-rules.js';

/** Confidence level of the p50 / p99 intervals in StageStats.ci. */
export const STAGE_CI_LEVEL = 0.95;

const US_PER_MS = 1000;

interface Moments {
  min: number;
  max: number;
  mean: number;
  stddev: number;
}

/** Exact min / max / mean / sample stddev of the first `n` values (n >= 1), Welford. */
function moments(samples: Float64Array, n: number): Moments {
  let min = Infinity;
  let max = -Infinity;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const x = samples[i] ?? 0;
    if (x < min) min = x;
    if (x > max) max = x;
    const delta = x - mean;
    mean += delta / (i + 1);
    m2 += delta * (x - mean);
  }
  const stddev = n > 1 ? Math.sqrt(Math.max(0, m2) / (n - 1)) : 0;
  return { min, max, mean, stddev };
}

/** µs → ms, with anything non-finite (which would be a bug upstream) reported as 0. */
function toMs(us: number): number {
  return Number.isFinite(us) ? us / US_PER_MS : 0;
}

function ciMs(sortedUs: Float64Array, q: number): [number, number] | null {
  const ci = quantileCI(sortedUs, q, STAGE_CI_LEVEL);
  return ci === null ? null : [toMs(ci[0]), toMs(ci[1])];
}

function percentileMs(histogram: Histogram, key: PercentileKey): number {
  if (histogram.totalCount === 0) return 0;
  return toMs(histogram.getValueAtPercentile(PERCENTILE_FRACTIONS[key] * 100));
}

/**
 * Summarises one stage. `samplesUs` holds microsecond latencies of which the first `count` are
 * valid (the timing loop preallocates); `histogram` holds the same samples (recordMicros). Times
 * in the result are milliseconds. Never NaN: with 0 samples every number is 0, with 1 the
 * stddev and cv are 0, and `insufficient` says which percentiles not to trust.
 */
export function summarizeStage(
  samplesUs: Float64Array,
  count: number,
  histogram: Histogram,
): StageStats {
  const n = Math.max(0, Math.min(Math.floor(count), samplesUs.length));
  const m = n > 0 ? moments(samplesUs, n) : { min: 0, max: 0, mean: 0, stddev: 0 };
  const sorted = samplesUs.slice(0, n).sort();
  const meanMs = toMs(m.mean);
  const stddevMs = toMs(m.stddev);
  return {
    count: n,
    minMs: toMs(m.min),
    meanMs,
    stddevMs,
    p50Ms: percentileMs(histogram, 'p50'),
    p90Ms: percentileMs(histogram, 'p90'),
    p95Ms: percentileMs(histogram, 'p95'),
    p99Ms: percentileMs(histogram, 'p99'),
    p999Ms: percentileMs(histogram, 'p999'),
    maxMs: toMs(m.max),
    cv: meanMs > 0 ? stddevMs / meanMs : 0,
    ci: {
      p50Ms: ciMs(sorted, PERCENTILE_FRACTIONS.p50),
      p99Ms: ciMs(sorted, PERCENTILE_FRACTIONS.p99),
      level: STAGE_CI_LEVEL,
    },
    insufficient: insufficientPercentiles(n),
    histogram: encodeHistogram(histogram),
  };
}
