// The verdict rules for one metric: an interval of the relative change and a practical threshold
// in, regressed / improved / unchanged / inconclusive and the reason out. What the runs say about
// themselves (drift, contention) widens the interval before it gets here (significance.ts); the
// data caps (too few samples, a heavy tail) can only weaken a verdict, never strengthen it.
import type { RankTest } from './mann-whitney.js';

export type Verdict = 'regressed' | 'improved' | 'unchanged' | 'inconclusive';

/** Why a metric got its verdict; rows.ts turns it into words. */
export type VerdictReason =
  | 'beyond-threshold' // the whole interval is past ±threshold, with evidence
  | 'below-resolution' // the change is under MIN_ABSOLUTE_US: more than the histograms resolve
  | 'rank-disagrees' // the interval is past ±threshold, the rank test across repetitions is not
  | 'within-threshold' // the interval lies inside ±threshold
  | 'too-noisy' // the interval crosses ±threshold and is wider than it
  | 'near-threshold' // the interval crosses ±threshold, is narrower than it, and the change is inside it
  | 'past-threshold-uncertain' // the same, but the change itself is past ±threshold
  | 'unstable-run' // a run measured once drifted more than UNSTEADY_FACTOR × threshold
  | 'unstable-repetitions' // a side's repetitions differ by more than UNSTEADY_FACTOR × threshold
  | 'few-samples' // past ±threshold, but a run has too few samples for this percentile (LoadGen rule)
  | 'tail-needs-repetitions' // past ±threshold, but a tail percentile without the rank test across ≥ 4 repetitions a side
  | 'heavy-tail' // past ±threshold, but a run's mean is dominated by a few outliers (CV > MEAN_MAX_CV)
  | 'few-blocks' // past ±threshold, but a paired run has too few pairs of blocks for the bootstrap
  | 'identical' // both sides hold the same samples (a report compared with itself)
  | 'contended'; // a run shared the CPU with other processes, in the direction that could explain the verdict

export interface Judged {
  verdict: Verdict;
  reason: VerdictReason;
}

export interface Evidence {
  /** Point estimate of the change, oriented so that positive = worse. Default: the middle of `ci`. */
  change?: number;
  /** Mann–Whitney test across repetitions; null without enough repetitions. */
  rank?: RankTest | null;
  /** Significance level of the rank test; default 0.05. */
  alpha?: number;
  /** The interval before the drift allowance widened it (same orientation); default `ci`. */
  raw?: readonly [number, number];
  /** Smallest resolvable change relative to the base value (MIN_ABSOLUTE_US / base); default 0. */
  resolution?: number;
  /** The run-to-run allowance that widened `raw` into `ci` (relative); default 0. */
  allowance?: number;
}

/**
 * The verdict for an interval `ci` of the change oriented so that positive = worse, against the
 * practical threshold `threshold` (0.05 = 5%).
 */
export function judge(ci: readonly [number, number], threshold: number, evidence: Evidence = {}): Judged {
  const [lo, hi] = ci;
  const change = evidence.change ?? (lo + hi) / 2;
  const resolution = evidence.resolution ?? 0;
  const [rawLo, rawHi] = evidence.raw ?? ci;
  // Both ends of the measured difference, and the allowance for what one run cannot show, are
  // within what the histograms resolve (a µs-scale stage): no change can be seen, so none is.
  if (Math.max(Math.abs(rawLo), Math.abs(rawHi), evidence.allowance ?? 0) <= resolution) return { verdict: 'unchanged', reason: 'below-resolution' };
  if (lo > threshold || hi < -threshold) {
    if (Math.min(Math.abs(lo), Math.abs(hi)) < resolution) return { verdict: 'unchanged', reason: 'below-resolution' };
    const rank = evidence.rank ?? null;
    if (rank !== null && !(rank.p < (evidence.alpha ?? 0.05))) return { verdict: 'inconclusive', reason: 'rank-disagrees' };
    return { verdict: lo > threshold ? 'regressed' : 'improved', reason: 'beyond-threshold' };
  }
  if (lo >= -threshold && hi <= threshold) return { verdict: 'unchanged', reason: 'within-threshold' };
  if (hi - lo > threshold) return { verdict: 'inconclusive', reason: 'too-noisy' };
  // A precise interval that grazes the threshold: the point estimate decides whether "unchanged"
  // is a fair summary; a change that is itself past the threshold is not called unchanged.
  if (Math.abs(change) > threshold) return { verdict: 'inconclusive', reason: 'past-threshold-uncertain' };
  return { verdict: 'unchanged', reason: 'near-threshold' };
}

const decisive = (j: Judged): boolean => j.verdict === 'regressed' || j.verdict === 'improved';

/** A metric whose data cannot carry a decisive verdict is capped at inconclusive. */
export function capped(judged: Judged, cap: 'few-samples' | 'few-blocks' | 'heavy-tail' | 'tail-needs-repetitions' | undefined): Judged {
  return cap !== undefined && decisive(judged) ? { verdict: 'inconclusive', reason: cap } : judged;
}
