// Is the measurement trustworthy? Warm-up steady state, drift during the run, and noise.
import { PERCENTILE_LABEL, type PercentileKey, type StageStats, type Warning } from '../types.js';
import { kendallS, kendallZ, mannKendallZ } from './mann-kendall.js';
import { MIN_SAMPLES, PERCENTILE_KEYS } from './sample-rules.js';

export { mannKendallZ };

// ───────────────────────────── (a) warm-up steady state ─────────────────────────────
//
// Rule, checked after every iteration once 2·W latencies exist (W = current window):
//   A = the W latencies before the last W, B = the last W.
//   1. medians agree:      |med(B) − med(A)| <= tolerance · med(B)
//   2. spread settled:     MAD(A) − MAD(B) <= max(shrink · MAD(A), floor · med(B))  (options
//      dispersionShrink, dispersionFloor)
//      (a warm-up transient widens a window; while it decays each window is tighter than the last.
//      Growth is allowed: that is noise, not warm-up.)
//   3. no trend:           Mann–Kendall |z| <= 1.96 over the 2·W latencies of A and B (5%
//      two-sided). 1 alone only bounds the rate of change per window, so a slow monotone decline
//      (a long decay, a ramp) would pass it; a rank trend test catches those, and is blind to
//      single spikes.
//   4. windows big enough: the standard error of a difference of two window medians is about
//      sqrt(2)·1.2533·σ/sqrt(W) (the median's asymptotic variance is π/2·σ²/n), σ ≈ 1.4826·MAD.
//      When 1–3 hold but that error exceeds tolerance/2, W grows (never shrinks) to the size that
//      brings it there, up to maxWindow, and 1–4 are re-checked on the larger windows.
// Medians, MADs and ranks make one slow iteration (the first call, a GC pause) irrelevant: a spike
// followed by a decaying curve converges once the decay has flattened into the noise, and a flat
// series converges at the first check (iteration 2·W). Defaults: W = 10, tolerance 5% (the same
// practical threshold as drift below), shrink 50%, floor 1% of the median.
// `convergedAt` is the first iteration of window B: the iteration from which latency was steady.

const MAD_TO_SIGMA = 1.4826; // consistency constant of the MAD for normal data
const MEDIAN_SE_FACTOR = Math.SQRT2 * Math.sqrt(Math.PI / 2); // ≈ 1.7725
const WARMUP_TREND_Z = 1.96; // two-sided α = 0.05

/** Differences below this fraction of the median are ties in the trend test (HDR's 0.1%). */
const WARMUP_TREND_RESOLUTION = 1e-3;

export interface WarmupDetectorOptions {
  /** Initial (smallest) window, in iterations. Default 10. */
  window?: number;
  /** Largest window the adaptive rule may grow to, in iterations. Default 100. */
  maxWindow?: number;
  /** Allowed relative difference of consecutive window medians. Default 0.05. */
  tolerance?: number;
  /** Largest relative shrink of the MAD from one window to the next. Default 0.5. */
  dispersionShrink?: number;
  /** A MAD shrink smaller than this fraction of the median is ignored. Default 0.01. */
  dispersionFloor?: number;
}

export interface WarmupDetector {
  /** Feed one iteration's latency (any unit, > 0). Returns true once converged (sticky). */
  push(latency: number): boolean;
  /** 1-based iteration from which latency was steady, or null while not converged. */
  readonly convergedAt: number | null;
  /** 1-based iteration at which the rule first held, or null. */
  readonly detectedAt: number | null;
  /** Latencies pushed so far. */
  readonly iterations: number;
  /** Current window size (grows for noisy series). */
  readonly window: number;
}

/** k-th smallest of a[0..len) (0-based), in place; Wirth's selection algorithm, no allocation. */
function select(a: Float64Array, len: number, k: number): number {
  let l = 0;
  let r = len - 1;
  while (l < r) {
    const x = a[k]!;
    let i = l;
    let j = r;
    do {
      while (a[i]! < x) i++;
      while (x < a[j]!) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) l = i;
    if (k < i) r = j;
  }
  return a[k]!;
}

/** Median of a[0..len), in place (reorders a). */
function medianInPlace(a: Float64Array, len: number): number {
  const mid = len >> 1;
  const upper = select(a, len, mid);
  if (len % 2 === 1) return upper;
  let lower = a[0]!; // after select, a[0..mid) <= upper: the lower middle is their maximum
  for (let i = 1; i < mid; i++) if (a[i]! > lower) lower = a[i]!;
  return (lower + upper) / 2;
}

export function createWarmupDetector(options: WarmupDetectorOptions = {}): WarmupDetector {
  const minWindow = Math.max(3, Math.floor(options.window ?? 10));
  const maxWindow = Math.max(minWindow, Math.floor(options.maxWindow ?? 100));
  const tolerance = options.tolerance ?? 0.05;
  const shrink = options.dispersionShrink ?? 0.5;
  const floor = options.dispersionFloor ?? 0.01;
  const capacity = 2 * maxWindow;
  const ring = new Float64Array(capacity);
  const scratch = new Float64Array(maxWindow);
  let count = 0;
  let window = minWindow;
  let convergedAt: number | null = null;
  let detectedAt: number | null = null;

  /** Median and MAD of the w latencies ending `end` iterations before the newest. */
  function windowStats(w: number, end: number, out: Float64Array): void {
    for (let i = 0; i < w; i++) scratch[i] = ring[(count - end - w + i) % capacity]!;
    const med = medianInPlace(scratch, w);
    for (let i = 0; i < w; i++) scratch[i] = Math.abs(scratch[i]! - med);
    out[0] = med;
    out[1] = medianInPlace(scratch, w);
  }
  const a = new Float64Array(2);
  const b = new Float64Array(2);

  function steady(): boolean {
    windowStats(window, window, a);
    windowStats(window, 0, b);
    const medA = a[0]!;
    const madA = a[1]!;
    const medB = b[0]!;
    const madB = b[1]!;
    const scale = Math.abs(medB);
    if (Math.abs(medB - medA) > tolerance * scale) return false;
    if (madA - madB > Math.max(shrink * madA, floor * scale)) return false;
    // Ties ignored here (no allocation): that overstates the variance, erring towards "steady".
    const span = 2 * window;
    const resolution = WARMUP_TREND_RESOLUTION * scale;
    const z = kendallZ(kendallS(ring, count - span, span, capacity, resolution), span, 0);
    if (Math.abs(z) > WARMUP_TREND_Z) return false;
    if (scale === 0) return true;
    const relSigma = (MAD_TO_SIGMA * Math.max(madA, madB)) / scale;
    const needed = Math.ceil(((2 * MEDIAN_SE_FACTOR * relSigma) / tolerance) ** 2);
    if (needed <= window || window === maxWindow) return true;
    window = Math.min(needed, maxWindow);
    return count >= 2 * window && steady();
  }

  return {
    push(latency: number): boolean {
      count++;
      if (convergedAt !== null) return true;
      ring[(count - 1) % capacity] = latency;
      if (count < 2 * window || !steady()) return false;
      detectedAt = count;
      convergedAt = count - window + 1;
      return true;
    },
    get convergedAt() {
      return convergedAt;
    },
    get detectedAt() {
      return detectedAt;
    },
    get iterations() {
      return count;
    },
    get window() {
      return window;
    },
  };
}

// ───────────────────────────── (b) drift during the measured phase ─────────────────────────────
//
// driftRatio: (median of the last third − median of the first third) / median of the first third.
// isDrifting: a practical AND a statistical test must both say so —
//   • |driftRatio| > DRIFT_RATIO_THRESHOLD (5%: a change smaller than that is below what a
//     latency report is read for, and within typical run-to-run variation), and
//   • a Mann–Kendall trend test (mann-kendall.ts) on at most 500 evenly spaced samples is
//     significant at two-sided α = 0.01 (|z| > 2.576) in the same direction. It is rank-based,
//     so outliers and skew do not matter. Latency series are autocorrelated, which makes it too
//     eager (Hamed & Rao 1998); thinning, the strict α and the 5% floor all counter that.

/** Relative median change, first to last third, above which drift matters. */
export const DRIFT_RATIO_THRESHOLD = 0.05;
/** Two-sided α = 0.01 critical value of the standard normal. */
export const DRIFT_Z_CRITICAL = 2.576;
/** Fewer samples than this are never called drifting. */
export const DRIFT_MIN_SAMPLES = 10;

function sortedMedian(values: Float64Array): number {
  const s = values.slice().sort();
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Relative change of the median from the first to the last third of samples[0..count). */
export function driftRatio(samples: Float64Array, count: number): number {
  const n = Math.max(0, Math.min(Math.floor(count), samples.length));
  const third = Math.floor(n / 3);
  if (third < 1) return 0;
  const first = sortedMedian(samples.subarray(0, third));
  const last = sortedMedian(samples.subarray(n - third, n));
  return first > 0 ? (last - first) / first : 0;
}

/** True when latency drifted both noticeably (> 5%) and significantly (Mann–Kendall, α 0.01). */
export function isDrifting(samples: Float64Array, count: number): boolean {
  if (Math.min(count, samples.length) < DRIFT_MIN_SAMPLES) return false;
  const ratio = driftRatio(samples, count);
  if (!(Math.abs(ratio) > DRIFT_RATIO_THRESHOLD)) return false;
  const z = mannKendallZ(samples, count);
  return Math.abs(z) > DRIFT_Z_CRITICAL && Math.sign(z) === Math.sign(ratio);
}

// ───────────────────────────── (c) warnings ─────────────────────────────

/**
 * cv above which results are flagged as noisy: 10%, pyperf's threshold ("the standard deviation
 * is N% of the mean" warning in pyperf/_cli.py `format_checks`, which fires at >= 10%).
 */
export const NOISE_CV_THRESHOLD = 0.1;

/**
 * 'few-samples' is raised for percentiles up to this one. p99.9 needs 6636 samples, which most
 * runs do not collect; it is still flagged in StageStats.insufficient (the table marks it), but a
 * warning on every trial would bury the ones that matter.
 */
export const FEW_SAMPLES_WARN_UP_TO: PercentileKey = 'p99';


function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** Smallest 1-2-5 × 10^k at or above n: 662 → 1000, 64 → 100, 130 → 200. */
function niceCeil(n: number): number {
  const base = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 5, 10]) if (step * base >= n) return step * base;
  return 10 * base;
}

function fewSamplesWarning(stats: StageStats): Warning | null {
  const limit = PERCENTILE_KEYS.indexOf(FEW_SAMPLES_WARN_UP_TO);
  const keys = stats.insufficient.filter((k) => PERCENTILE_KEYS.indexOf(k) <= limit);
  const target = keys[keys.length - 1];
  if (target === undefined) return null;
  const needs = keys.map((k) => `${PERCENTILE_LABEL[k]} needs ${MIN_SAMPLES[k]}`).join(', ');
  return {
    code: 'few-samples',
    message:
      `only ${stats.count} samples: ${needs} (MLPerf LoadGen's 99%-confidence minimum), so those ` +
      `percentiles are not trustworthy — use -n ${niceCeil(MIN_SAMPLES[target])} for a ` +
      `trustworthy ${PERCENTILE_LABEL[target]}`,
  };
}

/**
 * Warnings about one stage's measurement (normally inference): 'too-noisy' when cv > 10%,
 * 'few-samples' when a percentile up to p99 lacks LoadGen's minimum, 'drift' when `drifting`
 * (from isDrifting; `ratio` from driftRatio, for the message). Each message names a fix.
 */
export function noiseWarnings(
  stats: StageStats,
  drifting = false,
  ratio = 0,
  stage = 'inference',
): Warning[] {
  const warnings: Warning[] = [];
  if (stats.cv > NOISE_CV_THRESHOLD) {
    warnings.push({
      code: 'too-noisy',
      message:
        `${stage} latency is noisy: the standard deviation (${stats.stddevMs.toFixed(3)} ms) ` +
        `is ${pct(stats.cv)} of the mean (${stats.meanMs.toFixed(3)} ms), above ` +
        `${pct(NOISE_CV_THRESHOLD)} — pin threads with --threads, stop other load on the ` +
        `machine, and increase -n`,
    });
  }
  const few = fewSamplesWarning(stats);
  if (few) warnings.push(few);
  if (drifting) {
    warnings.push({
      code: 'drift',
      message:
        `${stage} latency drifted ${ratio >= 0 ? '+' : ''}${pct(ratio)} (median, first to last ` +
        `third of the run; a significant Mann–Kendall trend) — increase --warmup, pin threads ` +
        `with --threads, and check for thermal throttling or background load`,
    });
  }
  return warnings;
}
