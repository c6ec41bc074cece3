// Nothing hidden: a request's wall time next to what its timed stages add up to. The stages are
// timed back to back, so wall − stages − the harness's own bookkeeping is time no stage saw:
// garbage collection or deferred frees that ran outside them, other threads' work on the same
// core. Throughput comes from the same wall time (requests ÷ phase duration), so it always
// includes that remainder; p50s do not.
import type { HarnessOverhead, MeasureSummary, StageStats, Warning, WallAccounting } from '../types.js';

/**
 * Above this share of the wall time the unaccounted remainder gets a warning. 10% is the
 * too-noisy warning's CV bound (convergence.ts): a gap larger than the noise we already flag
 * changes what the stage numbers mean.
 */
export const UNACCOUNTED_WARNING_SHARE = 0.1;

export function wallAccounting(measure: Pick<MeasureSummary, 'iterations' | 'durationMs'>, total: Pick<StageStats, 'meanMs'>, overhead: Pick<HarnessOverhead, 'perIterationUs'>, streams = 1): WallAccounting {
  const wall = measure.iterations > 0 ? (measure.durationMs * streams) / measure.iterations : 0;
  const harness = overhead.perIterationUs / 1000;
  const unaccounted = wall - total.meanMs - harness;
  return {
    wallPerIterationMs: wall,
    timedPerIterationMs: total.meanMs,
    harnessPerIterationMs: harness,
    unaccountedPerIterationMs: unaccounted,
    unaccountedShare: wall > 0 ? unaccounted / wall : 0,
  };
}

export function accountingWarnings(a: WallAccounting): Warning[] {
  if (a.unaccountedShare <= UNACCOUNTED_WARNING_SHARE) return [];
  return [{
    code: 'unaccounted-time',
    message: `wall time is ${a.wallPerIterationMs.toFixed(3)} ms per request but the timed stages add up to ${a.timedPerIterationMs.toFixed(3)} ms: ${(a.unaccountedShare * 100).toFixed(0)}% of the time (GC pauses, deferred frees, other threads) is in no stage — throughput includes it, the stage percentiles do not; see the Memory line and --outputs`,
  }];
}
