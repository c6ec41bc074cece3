// Inference latency over the iterations of a trial, for the eye: warm-up and the measured phase,
// each cut into at most TIMELINE_WINDOWS windows of consecutive iterations, with the median and
// the maximum of each window. Built after the measured phase from samples the loop already keeps
// (and a preallocated warm-up trace), so the timed region is untouched. Statistics never come from
// it: they come from the full samples and histograms.
import type { LatencyTimeline, TimelineWindow } from '../types.js';

/** Windows per phase: enough for a readable line at the page's width. */
export const TIMELINE_WINDOWS = 120;
/** Warm-up iterations kept for the timeline (a Float64Array allocated before warm-up starts). */
export const WARMUP_TRACE_CAPACITY = 20_000;

function windows(samples: Float64Array, phase: TimelineWindow['phase'], offset: number): TimelineWindow[] {
  const n = samples.length;
  if (n === 0) return [];
  const size = Math.max(1, Math.ceil(n / TIMELINE_WINDOWS));
  const out: TimelineWindow[] = [];
  for (let from = 0; from < n; from += size) {
    const slice = samples.slice(from, Math.min(n, from + size)).sort();
    out.push({ phase, firstIteration: offset + from + 1, iterations: slice.length, p50Us: slice[(slice.length - 1) >> 1]!, maxUs: slice[slice.length - 1]! });
  }
  return out;
}

/** Warm-up samples (µs, in order) then the measured phase's inference samples (µs, in order). */
export function latencyTimeline(warmupUs: Float64Array, measureUs: Float64Array, warmupIterations: number): LatencyTimeline {
  return {
    stage: 'inference',
    windows: [...windows(warmupUs, 'warmup', 0), ...windows(measureUs, 'measure', warmupIterations)],
    warmupTraced: warmupUs.length,
  };
}
