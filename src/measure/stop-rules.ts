// When a phase ends. A user's bound (-n / --duration, --warmup N / --warmup 2s) is obeyed exactly;
// `auto` adapts to the model's speed the way hyperfine (≥10 runs, ~3 s) and MLPerf LoadGen
// (a minimum query count *and* a minimum duration) do: fast models get thousands of samples,
// slow ones stop on a time budget instead of running for minutes.
import type { PhaseBound, StopReason } from '../types.js';

export const AUTO_MEASURE = {
  /** Enough samples for a trustworthy p99 (LoadGen's minimum is 662) with margin. */
  targetSamples: 1_000,
  /** Keep measuring at least this long even when the target is reached, to cover slow drifts. */
  minDurationMs: 2_000,
  /** A slow model stops here once it has minSamples (hyperfine's default minimum of 10 runs). */
  timeBudgetMs: 10_000,
  minSamples: 10,
} as const;

export const AUTO_WARMUP = {
  /** Never fewer: the first runs pay for lazy allocation, thread-pool start and caches. */
  minIterations: 5,
  /** Give up waiting for a steady state here (and warn that it did not converge). */
  maxDurationMs: 3_000,
  maxIterations: 2_000,
} as const;

/** A safety cap so a mistaken `--duration 1h` on a 10 µs model cannot exhaust memory. */
export const MAX_ITERATIONS = 5_000_000;

export type StopRule = (iterations: number, elapsedMs: number) => StopReason | null;

export function measureStopRule(bound: PhaseBound): StopRule {
  switch (bound.kind) {
    case 'count':
      return (n) => (n >= bound.iterations ? 'iterations' : null);
    case 'time':
      return (n, ms) => (ms >= bound.ms ? 'duration' : n >= MAX_ITERATIONS ? 'max-iterations' : null);
    case 'auto':
      return (n, ms) => {
        if (n >= AUTO_MEASURE.targetSamples && ms >= AUTO_MEASURE.minDurationMs) return 'auto-target';
        if (ms >= AUTO_MEASURE.timeBudgetMs && n >= AUTO_MEASURE.minSamples) return 'auto-time-budget';
        return n >= MAX_ITERATIONS ? 'max-iterations' : null;
      };
  }
}

/**
 * Warm-up stops on its bound; under `auto` it stops as soon as latency is steady (the detector's
 * verdict, passed in as `converged`) or when its own budget runs out.
 */
export function warmupDone(bound: PhaseBound, n: number, elapsedMs: number, converged: boolean): boolean {
  switch (bound.kind) {
    case 'count':
      return n >= bound.iterations;
    case 'time':
      return elapsedMs >= bound.ms;
    case 'auto':
      if (n < AUTO_WARMUP.minIterations) return false;
      return converged || elapsedMs >= AUTO_WARMUP.maxDurationMs || n >= AUTO_WARMUP.maxIterations;
  }
}
