// Merging the statistics of repeated measurements of one configuration (--repeat): histograms
// add exactly; mean and variance pool exactly from each part's count, mean and stddev (the
// parallel form of Welford's update, Chan et al. 1979); min and max are exact; percentiles and
// their confidence intervals are read from the merged histogram (at HDR's 0.1% resolution, by the
// same order-statistic ranks quantileCI uses on raw samples).
import type { PercentileKey, StageStats } from '../types.js';
import { decodeHistogram, encodeHistogram, mergeHistograms, type Histogram } from './histogram.js';
import { quantileCIRanks } from './quantile-ci.js';
import { insufficientPercentiles, PERCENTILE_FRACTIONS } from './sample-rules.js';
import { STAGE_CI_LEVEL } from './stats.js';

export function mergeStageStats(parts: readonly StageStats[]): StageStats {
  const first = parts[0];
  if (!first) throw new RangeError('mergeStageStats needs at least one part');
  if (parts.length === 1) return first;
  const histogram = mergeHistograms(parts.map((p) => decodeHistogram(p.histogram)));
  const count = parts.reduce((n, p) => n + p.count, 0);
  const meanMs = parts.reduce((sum, p) => sum + p.count * p.meanMs, 0) / count;
  const squares = parts.reduce((sum, p) => sum + Math.max(0, p.count - 1) * p.stddevMs ** 2 + p.count * (p.meanMs - meanMs) ** 2, 0);
  const stddevMs = count > 1 ? Math.sqrt(squares / (count - 1)) : 0;
  const at = (key: PercentileKey): number => percentileMs(histogram, PERCENTILE_FRACTIONS[key]);
  return {
    count,
    minMs: Math.min(...parts.map((p) => p.minMs)),
    meanMs,
    stddevMs,
    p50Ms: at('p50'),
    p90Ms: at('p90'),
    p95Ms: at('p95'),
    p99Ms: at('p99'),
    p999Ms: at('p999'),
    maxMs: Math.max(...parts.map((p) => p.maxMs)),
    cv: meanMs > 0 ? stddevMs / meanMs : 0,
    ci: { p50Ms: ciMs(histogram, count, PERCENTILE_FRACTIONS.p50), p99Ms: ciMs(histogram, count, PERCENTILE_FRACTIONS.p99), level: STAGE_CI_LEVEL },
    insufficient: insufficientPercentiles(count),
    histogram: encodeHistogram(histogram),
  };
}

function percentileMs(histogram: Histogram, fraction: number): number {
  return histogram.totalCount === 0 ? 0 : histogram.getValueAtPercentile(fraction * 100) / 1000;
}

/** The interval's bounds are the values at its order-statistic ranks in the merged histogram. */
function ciMs(histogram: Histogram, n: number, q: number): [number, number] | null {
  const ranks = quantileCIRanks(n, q, STAGE_CI_LEVEL);
  if (ranks === null) return null;
  return [percentileMs(histogram, (ranks[0] - 0.5) / n), percentileMs(histogram, (ranks[1] - 0.5) / n)];
}
