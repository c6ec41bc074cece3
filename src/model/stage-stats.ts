// One stage's statistics: a view of its HDR histogram (plain data; trial.ts and service.ts use it).
import type { PercentileKey } from './spec.js';

/** Summary of one stage. All times in milliseconds except where the name says otherwise. */
export interface StageStats {
  count: number;
  minMs: number;
  meanMs: number;
  stddevMs: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** Coefficient of variation: stddev / mean (unitless). */
  cv: number;
  /** Distribution-free confidence intervals (95%) for p50 and p99, null when n is too small. */
  ci: { p50Ms: [number, number] | null; p99Ms: [number, number] | null; level: number };
  /** Percentiles with too few samples to be trusted (MLPerf LoadGen minimums). */
  insufficient: PercentileKey[];
  /** hdr-histogram-js base64 encoding of the microsecond histogram: the source of truth. */
  histogram: string;
}
