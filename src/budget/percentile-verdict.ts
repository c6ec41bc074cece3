// Is a latency percentile within a limit, beyond it, or can the samples not tell? A budget check
// on a point estimate (p99 = 20.6 ms > 20 ms: FAIL) flips with the noise of a few tail samples;
// this judges on counts instead.
//
// Within: MLPerf LoadGen's early-stopping rule (src/load/early-stopping.ts, the one
// implementation): n samples with `over` of them above the limit show the p-quantile within it
// at 99% confidence when n ≥ find_min_passing(over) + over.
// Beyond: the mirror, which LoadGen lacks because it never stops early on a failure. Were the
// true p-quantile at or within the limit, a sample would land above it with probability at most
// 1 − p, so `over` or more of n has probability at most P(Binomial(n, 1 − p) ≥ over); below
// 1 − c (1%), the samples show the limit is exceeded.
// Neither: undecided, and LoadGen's count says how many more samples (all within) a pass takes.
import { earlyStopping, LOADGEN_CONFIDENCE, maxOverTarget } from '../load/early-stopping.js';

export type PercentileVerdict = 'pass' | 'fail' | 'undecided';

export interface PercentileJudgement {
  verdict: PercentileVerdict;
  /** Undecided: samples, all within the limit, after which it would pass (LoadGen's "N more queries"). */
  samplesToPass: number | null;
}

/** ln P(Binomial(n, r) ≥ k), for k above the mean n·r, where the terms fall from k on. */
function logUpperTail(k: number, n: number, r: number): number {
  // ln pmf(k) = ln C(n, k) + k ln r + (n − k) ln(1 − r), ln C from the sum of logs (k ≤ n).
  let logChoose = 0;
  for (let i = 1; i <= Math.min(k, n - k); i++) logChoose += Math.log((n - i + 1) / i);
  let logTerm = logChoose + k * Math.log(r) + (n - k) * Math.log1p(-r);
  let logSum = logTerm;
  for (let x = k; x < n; x++) {
    logTerm += Math.log((n - x) / (x + 1)) + Math.log(r) - Math.log1p(-r);
    if (logTerm < logSum - 40) break; // e^-40: nothing left worth adding (terms only fall from here)
    const hi = Math.max(logSum, logTerm);
    logSum = hi + Math.log(Math.exp(logSum - hi) + Math.exp(logTerm - hi));
  }
  return logSum;
}

/** `over` of n samples above the limit show the p-quantile beyond it at `confidence`. */
export function exceedsAtConfidence(n: number, over: number, p: number, confidence = LOADGEN_CONFIDENCE): boolean {
  const r = 1 - p;
  // At or below the mean the tail holds at least about half the mass: never below 1 − c.
  if (over <= n * r) return false;
  return logUpperTail(over, n, r) < Math.log(1 - confidence);
}

/** Pass, fail or undecided for n samples of which `over` lie above the limit (p = 0.99 for p99). */
export function judgePercentile(n: number, over: number, p: number, confidence = LOADGEN_CONFIDENCE): PercentileJudgement {
  if (!Number.isInteger(n) || !Number.isInteger(over) || over < 0 || over > n) throw new RangeError(`need whole numbers 0 ≤ over ≤ n (got ${over} of ${n})`);
  const judged = earlyStopping(n, over, { percentile: p, confidence });
  if (judged.pass) return { verdict: 'pass', samplesToPass: null };
  if (exceedsAtConfidence(n, over, p, confidence)) return { verdict: 'fail', samplesToPass: null };
  return { verdict: 'undecided', samplesToPass: judged.needed - n };
}

/**
 * The percentile's bounds as ranks counted from the largest sample (1 = the maximum), chosen so
 * that they agree with judgePercentile: a limit passes exactly when the `upper`-th largest sample
 * is within it and fails exactly when the `lower`-th largest is beyond it. null where n samples
 * cannot show any limit met (`upper`, under 459 samples for p99) or exceeded (`lower`).
 * LoadGen's SingleStream estimate is one rank further out than `upper`: it reads the t-th largest
 * where t over-limit samples still pass; a limit at the (t + 1)-th largest passes too.
 */
export function boundRanks(n: number, p: number, confidence = LOADGEN_CONFIDENCE): { upper: number | null; lower: number | null } {
  const most = n > 0 ? maxOverTarget(n, { percentile: p, confidence }) : -1;
  const upper = most >= 0 ? most + 1 : null;
  if (n === 0 || !exceedsAtConfidence(n, n, p, confidence)) return { upper, lower: null };
  // The fewest samples above a limit that fail it: failing is monotone in `over`, so bisect.
  let lo = Math.max(1, Math.floor(n * (1 - p)));
  let hi = n;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (exceedsAtConfidence(n, mid, p, confidence)) hi = mid;
    else lo = mid + 1;
  }
  return { upper, lower: lo };
}
