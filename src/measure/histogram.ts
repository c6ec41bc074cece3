// Latency histograms: one HDR histogram per stage, recording integer microseconds.
//
// HdrHistogram (Gil Tene; hdr-histogram-js is the TypeScript port) keeps a fixed relative error
// (3 significant digits = 0.1%) over the whole range with a counts array allocated up front, so
// recording is O(1) and allocation-free, percentiles are exact within that precision, and
// histograms merge by adding counts. Reports carry them in the standard compressed base64 form
// ("V2" encoding), which HdrHistogram's other ports and plotters can read.
import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type Histogram,
} from 'hdr-histogram-js';
import type { Micros } from '../types.js';

export type { Histogram };

/** Smallest value the histogram distinguishes: 1 µs. */
export const HISTOGRAM_LOWEST_US: Micros = 1;
/** Largest trackable value: one hour in µs. Longer samples are clamped to it. */
export const HISTOGRAM_HIGHEST_US: Micros = 3_600_000_000;
/** 3 significant digits: any recorded value is within 0.1% of the value reported for it. */
export const HISTOGRAM_SIGNIFICANT_DIGITS = 3;

/**
 * A stage histogram: integer µs, 1 µs .. 1 h, 3 significant digits, pure-JS Int32 counts.
 * `autoResize: false` and the fixed range mean the counts array is allocated here, once, and
 * `recordValue` in the timing loop never allocates. The wasm flavour is avoided on purpose: it
 * needs an async init and manual `destroy()`, and its memory is outside the JS heap stats.
 * Int32 buckets hold up to 2^31-1 samples per bucket, far beyond any run.
 */
export function createLatencyHistogram(): Histogram {
  return build({
    useWebAssembly: false,
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: HISTOGRAM_LOWEST_US,
    highestTrackableValue: HISTOGRAM_HIGHEST_US,
    numberOfSignificantValueDigits: HISTOGRAM_SIGNIFICANT_DIGITS,
  });
}

/**
 * Records one sample in µs, rounded to an integer and clamped to [1 µs, 1 h] so a sub-µs stage
 * (or a NaN from a broken clock) never throws inside the timing loop.
 */
export function recordMicros(h: Histogram, us: Micros): void {
  // Written as comparisons (not Math.min/max) so NaN falls through to the lowest value.
  let v = HISTOGRAM_LOWEST_US;
  if (us > HISTOGRAM_LOWEST_US) {
    v = us < HISTOGRAM_HIGHEST_US ? Math.round(us) : HISTOGRAM_HIGHEST_US;
  }
  h.recordValue(v);
}

/** Compressed base64 (HdrHistogram V2 encoding, deflated): what reports carry. */
export function encodeHistogram(h: Histogram): string {
  return encodeIntoCompressedBase64(h);
}

/** Inverse of `encodeHistogram`; always a pure-JS Int32 histogram. Throws on malformed input. */
export function decodeHistogram(s: string): Histogram {
  return decodeFromCompressedBase64(s, 32, false);
}

/**
 * Sum of the histograms' counts in a fresh stage histogram (the inputs are left untouched).
 * Merging counts is exact — unlike averaging percentiles, which is meaningless.
 */
export function mergeHistograms(list: readonly Histogram[]): Histogram {
  const merged = createLatencyHistogram();
  for (const h of list) merged.add(h);
  return merged;
}
