// Constructed latency samples for budget tests: exact quantiles of a known distribution, so the
// count beyond any limit is deterministic (no seed decides a verdict).
import { createLatencyHistogram, recordMicros } from '../../src/measure/histogram.js';
import { summarizeStage } from '../../src/measure/stats.js';
import type { StageStats } from '../../src/types.js';

/** The q-quantile (ms) of the test distribution: 2 ms plus an exponential tail whose p99 is at `p99Ms`. */
export function quantileMs(q: number, p99Ms: number): number {
  // 2 + s·(−ln(1 − q)); s chosen so that the 0.99-quantile is p99Ms.
  const s = (p99Ms - 2) / -Math.log(0.01);
  return 2 + s * -Math.log(1 - q);
}

/** n samples (µs) at the mid-quantiles (i + 0.5)/n, whose p99 lies at `p99Factor` × 10 ms. */
export function quantileSamples(n: number, p99Factor: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = quantileMs((i + 0.5) / n, 10 * p99Factor) * 1000;
  return out;
}

export function stageOf(samplesUs: Float64Array): StageStats {
  const h = createLatencyHistogram();
  for (const v of samplesUs) recordMicros(h, v);
  return summarizeStage(samplesUs, samplesUs.length, h);
}
