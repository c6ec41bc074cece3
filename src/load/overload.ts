// Verdicts of an open-loop probe: was the model overloaded (arrivals outpace service, so the
// queue grows with the run's length and no percentile is "the" latency), and could the generator
// itself keep up (a run it could not drive is marked, never reported as the model's latency)?
//
// Overloaded, any of (each with its evidence):
// - queue growth: the waiting-request count, sampled every QUEUE_SAMPLE_MS, trends up
//   (Mann–Kendall z ≥ GROWTH_Z, one-sided p < 0.001) AND its least-squares slope is at least
//   GROWTH_SLOPE_SHARE of the offered rate: at λ = 1.2 μ the slope is λ − μ ≈ 0.17 λ; a stable queue
//   near capacity wanders but does not climb at 5% of λ for a whole probe;
// - achieved rate < ACHIEVED_MIN_SHARE × offered (completions over first arrival → last completion;
//   a stable probe only loses its last few service times to the drain);
// - more than DROPPED_MAX_SHARE of the sent requests dropped by a full bounded queue;
// - the probe was ended early (below).
// Ended early ("clearly overloaded", checked at each queue sample after EARLY_MIN_MS of arrivals):
// the growth rule over the samples so far, slope ≥ EARLY_SLOPE_SHARE × offered, and a backlog of
// more than max(EARLY_MIN_BACKLOG, EARLY_BACKLOG_S × offered rate) requests — past a quarter
// second of arrivals waiting, the rest of the probe would only measure the queue's length.
//
// Generator saturated: more than LATE_SHARE_MAX of the sends were over LATE_SEND_MS late —
// perf_analyzer's rule (delay_tolerance_ 1 ms, DELAY_PCT_THRESHOLD 1 %). Lag p99 and event-loop
// delay p99 are reported beside it as evidence.
import { mannKendallZ } from '../measure/mann-kendall.js';
import type { GeneratorVerdict, OverloadVerdict, ServiceEvidence } from '../types.js';

export const QUEUE_SAMPLE_MS = 100;
export const GROWTH_Z = 3.09;
export const GROWTH_SLOPE_SHARE = 0.05;
export const ACHIEVED_MIN_SHARE = 0.9;
export const DROPPED_MAX_SHARE = 0.01;
export const EARLY_MIN_MS = 1_000;
export const EARLY_SLOPE_SHARE = 0.1;
export const EARLY_MIN_BACKLOG = 20;
export const EARLY_BACKLOG_S = 0.25;
export const LATE_SEND_MS = 1;
export const LATE_SHARE_MAX = 0.01;
/** Fewer queue samples than this say nothing about a trend. */
const MIN_TREND_SAMPLES = 8;

/** The waiting-request count over the probe: (ms since the first arrival, depth). */
export class QueueSamples {
  private t: number[] = [];
  private depth: number[] = [];

  add(atMs: number, depth: number): void {
    this.t.push(atMs);
    this.depth.push(depth);
  }

  get count(): number {
    return this.depth.length;
  }

  get max(): number {
    return this.depth.reduce((a, b) => Math.max(a, b), 0);
  }

  get last(): number {
    return this.depth.at(-1) ?? 0;
  }

  /** Least-squares slope of depth over time, requests per second. */
  slopePerSec(): number {
    const n = this.t.length;
    if (n < 2) return 0;
    const mt = this.t.reduce((a, b) => a + b, 0) / n;
    const md = this.depth.reduce((a, b) => a + b, 0) / n;
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
      num += (this.t[i]! - mt) * (this.depth[i]! - md);
      den += (this.t[i]! - mt) ** 2;
    }
    return den > 0 ? (num / den) * 1000 : 0;
  }

  trendZ(): number {
    return this.count < MIN_TREND_SAMPLES ? 0 : mannKendallZ(Float64Array.from(this.depth), this.count);
  }
}

/** At a queue sample: is the probe so clearly overloaded that it should stop sending now? */
export function clearlyOverloaded(samples: QueueSamples, elapsedMs: number, offeredRate: number): boolean {
  if (elapsedMs < EARLY_MIN_MS || samples.count < MIN_TREND_SAMPLES) return false;
  const backlog = Math.max(EARLY_MIN_BACKLOG, EARLY_BACKLOG_S * offeredRate);
  return samples.last > backlog && samples.slopePerSec() >= EARLY_SLOPE_SHARE * offeredRate && samples.trendZ() >= GROWTH_Z;
}

export interface OverloadFacts {
  offeredRate: number;
  achievedRate: number;
  sent: number;
  dropped: number;
  endedEarly: boolean;
  samples: QueueSamples;
}

export function overloadVerdict(f: OverloadFacts): OverloadVerdict {
  const evidence: ServiceEvidence[] = [];
  const slope = f.samples.slopePerSec();
  const z = f.samples.trendZ();
  const growing = z >= GROWTH_Z && slope >= GROWTH_SLOPE_SHARE * f.offeredRate;
  if (growing) {
    evidence.push({ metric: 'queue growth', value: slope, unit: 'requests/s', threshold: GROWTH_SLOPE_SHARE * f.offeredRate });
    evidence.push({ metric: 'queue trend (Mann–Kendall z)', value: z, unit: 'z', threshold: GROWTH_Z });
  }
  const short = f.offeredRate > 0 && f.achievedRate < ACHIEVED_MIN_SHARE * f.offeredRate;
  if (short) evidence.push({ metric: 'achieved ÷ offered rate', value: f.achievedRate / f.offeredRate, unit: 'ratio', threshold: ACHIEVED_MIN_SHARE });
  const dropShare = f.sent > 0 ? f.dropped / f.sent : 0;
  const dropping = dropShare > DROPPED_MAX_SHARE;
  if (dropping) evidence.push({ metric: 'dropped share', value: dropShare, unit: 'ratio', threshold: DROPPED_MAX_SHARE });
  if (f.endedEarly) evidence.push({ metric: 'backlog when ended early', value: f.samples.last, unit: 'requests', threshold: Math.max(EARLY_MIN_BACKLOG, EARLY_BACKLOG_S * f.offeredRate) });
  const overloaded = growing || short || dropping || f.endedEarly;
  return { verdict: overloaded ? 'overloaded' : 'stable', evidence, endedEarly: f.endedEarly };
}

export function generatorVerdict(lagsMs: Float64Array, count: number, lagP99Ms: number, eventLoopDelayP99Ms: number): GeneratorVerdict {
  let late = 0;
  for (let i = 0; i < count; i++) if (lagsMs[i]! > LATE_SEND_MS) late++;
  const lateShare = count > 0 ? late / count : 0;
  const saturated = lateShare > LATE_SHARE_MAX;
  const evidence: ServiceEvidence[] = [{ metric: `sends over ${LATE_SEND_MS} ms late`, value: lateShare, unit: 'ratio', threshold: LATE_SHARE_MAX }];
  return { verdict: saturated ? 'saturated' : 'ok', lateShare, lagP99Ms, eventLoopDelayP99Ms, evidence };
}
