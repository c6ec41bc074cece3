// Is head slower than base? Relative change with a confidence interval, and a verdict.
//
// METHOD. For each stage, each side is the list of its repetitions' HDR histograms (one without
// `--repeat`; `--repeat N` gives N). A percentile bootstrap (Efron & Tibshirani 1993, ch. 13)
// resamples each side B times: pick R repetitions with replacement, then draw ⌈m/R⌉ values from
// each picked repetition's histogram (bucket counts → alias table, seeded PRNG; m = min(count,
// 5000)). Picking repetitions first (a two-level, "cluster" bootstrap; Davison & Hinkley 1997,
// §3.8) puts run-to-run variance into the interval when repetitions exist. Each resample gives
// p50, p90, p99 and mean per side; the ratio head/base of each, over B resamples, gives the
// 2.5%–97.5% percentile interval of the relative change. Throughput is modelled as 1 / mean total
// latency (the timing loop is sequential): its interval is the inverted mean interval, centred on
// the reported throughputs. With ≥ 4 repetitions a side a Mann–Whitney U test on the
// per-repetition values is required to agree (p < 0.05).
//
// VERDICT (judge.ts; the change oriented so that positive = worse; t = the practical threshold):
//   regressed    CI lower bound > t (so the CI also excludes 0), the rank test (if any) agrees,
//                and the change is larger than the histograms resolve (MIN_ABSOLUTE_US)
//   improved     the mirror image: CI upper bound < −t with the same evidence
//   unchanged    the CI lies inside [−t, t]; or it grazes ±t while narrower than t and the
//                change itself is inside ±t; or the whole difference is under MIN_ABSOLUTE_US
//   inconclusive the CI crosses ±t and is wider than t (too noisy to tell), or the change is past
//                ±t but the CI reaches back inside, or the evidence below cannot back a verdict
//
// RUN-TO-RUN VARIANCE. The bootstrap assumes the samples of a run are independent draws from one
// distribution; what the run's environment did for its whole length (a neighbour on the CPU, the
// threads' placement, the clock) is invisible to it, and on a shared 2-core VM that moves a
// median by 10–15% between otherwise quiet runs while each run's own interval is ±0.5%.
//   repetitions `--repeat N` measures it: the cluster bootstrap resamples whole repetitions, so
//               the spread between them is in the interval, and with N ≥ 4 a side the rank test
//               must agree. Both assume repetitions independent, which a machine state lasting
//               longer than one repetition breaks (on the development VM the whole latency floor
//               moved 315 → 435 µs for tens of seconds at a time, with nothing else running), so
//               a side whose repetitions differ by more than UNSTEADY_FACTOR × t cannot resolve t.
//   one run     a side measured once cannot show it, so it is assumed: every interval is widened
//               on the ratio scale ([lo / (1 + a), hi · (1 + a)]) by a = max(runVariance,
//               (|drift_base| + |drift_head|) / 2), where runVariance (RUN_VARIANCE, 10%,
//               `--run-variance`) is how far two quiet runs may differ and drift is the run's own
//               `measure.driftRatio` (median of its last third vs its first: stopping earlier or
//               later moves a run's median by about half of it). A side measured once that
//               drifted more than UNSTEADY_FACTOR × t cannot resolve t: decisive verdicts
//               become inconclusive. One run a side therefore resolves changes of about t + a,
//               and never in p99 (TAIL_METRICS): a few clustered stalls move it by ±30–50%
//               between quiet runs, so a tail percentile is decided only with the rank test.
//   contention  the report's utilisation samples (contention.ts): CPU that the trial's threads
//               wanted and other processes had. It can only slow the side it ran beside, so a
//               regression with a contended head, an improvement with a contended base, and
//               "unchanged" with either become inconclusive, naming the share. A share c of the
//               CPU disturbs about a share c of the iterations, so p99 tolerates 1%, p90 and the
//               rest 10% (CONTENTION_LIMIT). Repetitions cannot help here: a neighbour present
//               for a whole side biases every repetition alike.
//   caps        a percentile the report flags `insufficient` (fewer samples than MLPerf LoadGen's
//               rule asks for), and the mean and throughput of a stage whose coefficient of
//               variation exceeds MEAN_MAX_CV (a mean carried by a few stalls, where bootstrapping
//               the mean is unreliable — Athreya 1987; stalls also cluster in time, which an
//               i.i.d. resample cannot see) are never called regressed or improved.
//
// WHY IT CONTROLS FALSE ALARMS. Two independent gates must both fail. Statistical: with one run a
// side, a 95% interval excludes a true zero change about 5% of the time per metric — too often on
// its own across 4 stages × 5 metrics. Practical: a regression must exceed t with the whole
// interval, not just the point estimate; under no real change the lower bound sits near −half
// the interval width, so crossing +t needs a sampling error of t plus half a width (for a true
// change of exactly t the lower bound clears t at most 2.5% of the time). For t = 5% and thousands
// of samples that is negligible for p50/mean, while the noisy tail metrics get wide intervals and
// become "inconclusive", not "regressed". What sampling error cannot explain — a whole run slowed
// by its environment — is what repetitions, the run-to-run allowance and the contention check
// are for (above).
// Resampling min(count, 5000) draws (an m-out-of-n bootstrap when count > 5000) only widens the
// interval, i.e. errs towards "inconclusive". The seed is fixed, so the same two reports always
// give the same verdict.

import type { Histogram } from '../measure/histogram.js';
import { bootstrapStage, LATENCY_METRICS, percentileInterval, type LatencyMetric, type StageBootstrap } from './bootstrap.js';
import { mannWhitney, type RankTest } from './mann-whitney.js';
import { isContended } from './contention.js';
import { capped, judge, type Judged, type Verdict, type VerdictReason } from './judge.js';
import type { Metric } from './threshold.js';

export { judge, type Verdict, type VerdictReason };
export { LATENCY_METRICS, type LatencyMetric };

export interface SignificanceOptions {
  /** Bootstrap resamples B; default 1000. */
  resamples: number;
  /** Cap on the draws per resample and side; default 5000. */
  maxResampleSize: number;
  /** Confidence level of the intervals; default 0.95. */
  level: number;
  /** Significance level of the rank test; default 0.05. */
  alpha: number;
  /** Fixed seed: the same reports always give the same intervals. Default 20240607. */
  seed: number;
  /**
   * How far two runs of the same code on the same machine may differ (relative), assumed when a
   * side was measured once and the spread between runs is therefore unknown. Default
   * RUN_VARIANCE; `compare --run-variance 3%` on a quiet dedicated machine.
   */
  runVariance: number;
}

/**
 * Default run-to-run allowance for a side measured once: 10%. Measured on the 2-core development
 * VM with nothing else running (contention under 1%): single 2,000-iteration runs of the CNN
 * fixture had inference p50 of 327–376 µs (up to 15% apart) while each run's own bootstrap
 * interval was ±0.5%; their drift within the run was 3–16%. With 10%, one run a side resolves
 * changes of about threshold + 10% (a 25% slower model, not a 9% shift between quiet runs).
 * Rarer shifts (a 35% change of the whole latency floor between two sessions, seen with
 * `--repeat`) are beyond any single-run allowance: only repetitions measure them.
 */
export const RUN_VARIANCE = 0.1;

export const DEFAULT_SIGNIFICANCE: SignificanceOptions = { resamples: 1000, maxResampleSize: 5000, level: 0.95, alpha: 0.05, seed: 20240607, runVariance: RUN_VARIANCE };

/** Smallest absolute latency change the histograms resolve: 2 µs, twice their 1 µs unit. */
export const MIN_ABSOLUTE_US = 2;

/** Paired comparisons (paired/paired-stats.ts), the rows that explain a cap (rows.ts):
 * Fewer pairs of blocks than this and no metric is called regressed or improved: a bootstrap over
 * a handful of blocks cannot see how much pairs vary (over one block it has no spread at all, and
 * one stalled half-block made an A/A run of a 20 µs model "−66% throughput").
 */
export const MIN_BLOCKS_FOR_VERDICT = 20;

/**
 * A side whose level moved by more than this multiple of a metric's threshold — within its one
 * run (|driftRatio|), or between its repetitions ((max − min) / median of the metric) — cannot
 * resolve that threshold: decisive verdicts become inconclusive.
 */
export const UNSTEADY_FACTOR = 2;
/** Above this coefficient of variation (stddev / mean) a stage's mean and throughput are capped. */
export const MEAN_MAX_CV = 1;
/**
 * Tail percentiles judged decisively only when the rank test across repetitions (≥ 4 a side)
 * agrees. Their run-to-run variation dwarfs their sampling error because stalls cluster in time
 * (quiet single runs of the CNN fixture on the development VM: p99 679–966 µs with 2 threads,
 * 1.01–1.58 ms with 1 thread, where a 25% slower model had the lower p99), and the percentile
 * bootstrap of an upper quantile with a few dozen samples above it under-covers (seeded A/A
 * pairs of 2,000 samples: 1 in 50 had its p99 interval clear +5%).
 */
export const TAIL_METRICS = ['p99'] as const;
/** Fewest repetitions a side for the rank test (4 vs 4: smallest two-sided p is 0.029). */
export const MIN_RANK_REPETITIONS = 4;
/**
 * How far a tail percentile may move between two quiet runs of the same code, the widening of a
 * p99 interval when no rank test across repetitions backs it: quiet single runs of the CNN fixture
 * on the development VM moved p99 by 30–50% (TAIL_METRICS above). A tail change beyond it is
 * called even from one run a side.
 */
export const TAIL_RUN_VARIANCE = 0.5;

export interface MetricChange {
  metric: Metric;
  /** Point values: ms for latency metrics, inferences/s for throughput. */
  base: number;
  head: number;
  /** Relative change head/base − 1 (+0.1 = head 10% higher). */
  change: number;
  /** Percentile-bootstrap interval of `change`, widened by `driftAllowance`. */
  ci: [number, number];
  level: number;
  /** Relative widening of the interval for a side measured once: run-to-run allowance or drift (0.1: bounds moved out by 10% of the ratio). */
  driftAllowance: number;
  /** Mann–Whitney across repetitions, null with fewer than MIN_RANK_REPETITIONS a side. */
  rank: RankTest | null;
  threshold: number;
  verdict: Verdict;
  /** Why this verdict (rows.ts words it). */
  reason: VerdictReason;
}

function rankTest(base: number[], head: number[]): RankTest | null {
  return base.length >= MIN_RANK_REPETITIONS && head.length >= MIN_RANK_REPETITIONS ? mannWhitney(base, head) : null;
}

/** (max − min) / median of per-repetition values; 0 for fewer than two. */
export function repetitionSpread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1]!;
  return median > 0 ? (sorted.at(-1)! - sorted[0]!) / median : 0;
}

export type DataCap = 'few-samples' | 'heavy-tail';

export interface StageInput {
  /** One histogram per repetition, per side (µs). */
  base: readonly Histogram[];
  head: readonly Histogram[];
  /** Reported throughputs (inferences/s), when this stage is the trial's total. */
  throughput?: { base: number; head: number };
  /**
   * driftRatio of each side measured once; null for a side with repetitions (the spread between
   * them is in the interval already). Default: both sides have repetitions (no allowance). With a
   * side measured once every interval is widened by max(runVariance, (|drift_base| + |drift_head|) / 2).
   */
  drift?: { base: number | null; head: number | null };
  /** Metrics whose data cannot support a decisive verdict, and why: capped at inconclusive. */
  caps?: Partial<Record<Metric, DataCap>>;
  /** Share of the CPU the trial wanted that other processes had, per side (contention.ts); null = unknown. */
  contention?: { base: number | null; head: number | null };
  /** Both sides hold exactly the same samples (a report compared with itself): unchanged, by definition. */
  identical?: boolean;
}

/** The verdict of two sides with the same samples: there is no change to find. */
const IDENTICAL = { verdict: 'unchanged' as const, reason: 'identical' as const, ci: [0, 0] as [number, number] };

/** How the run-level evidence of a stage bears on every metric's verdict. */
interface RunEvidence {
  /** A side was measured once. */
  single: boolean;
  widen: number;
  maxDrift: number;
  contention: { base: number | null; head: number | null };
  alpha: number;
}

function runEvidence(input: StageInput, options: SignificanceOptions): RunEvidence {
  const drifts = [input.drift?.base, input.drift?.head].filter((d): d is number => typeof d === 'number').map(Math.abs);
  const halfDrift = drifts.reduce((sum, d) => sum + d, 0) / 2;
  return {
    single: drifts.length > 0,
    widen: drifts.length === 0 ? 0 : Math.max(options.runVariance, halfDrift),
    maxDrift: Math.max(0, ...drifts),
    contention: input.contention ?? { base: null, head: null },
    alpha: options.alpha,
  };
}

/** judge(), then every cap that the runs' own diagnostics impose. */
interface MetricEvidence {
  metric: Metric;
  ci: readonly [number, number];
  raw: readonly [number, number];
  change: number;
  threshold: number;
  rank: RankTest | null;
  resolution: number;
  /** Per-repetition values of the metric, per side. */
  reps: { base: readonly number[]; head: readonly number[] };
}

/**
 * A run's diagnostics (drift, spread between repetitions, an unresolved tail, contention) widen
 * the interval; they never veto it. A change whose whole widened interval is past the threshold
 * is decisive whatever the diagnostics say; one that the widening pulls back across the threshold
 * becomes inconclusive, and the reason names the widening that did it.
 */
interface Widening {
  reason: VerdictReason;
  /** Relative widening of the lower bound (a side's slowdown could explain it) and the upper one. */
  down: number;
  up: number;
}

function widenings(e: MetricEvidence, run: RunEvidence): Widening[] {
  const list: Widening[] = [];
  const limit = UNSTEADY_FACTOR * e.threshold;
  // A run measured once that moved by more than 2t within itself: its whole drift is possible.
  if (run.maxDrift > limit) list.push({ reason: 'unstable-run', down: run.maxDrift, up: run.maxDrift });
  const spread = Math.max(repetitionSpread(e.reps.base), repetitionSpread(e.reps.head));
  if (spread > limit) list.push({ reason: 'unstable-repetitions', down: spread, up: spread });
  if (e.rank === null && (TAIL_METRICS as readonly Metric[]).includes(e.metric)) list.push({ reason: 'tail-needs-repetitions', down: TAIL_RUN_VARIANCE, up: TAIL_RUN_VARIANCE });
  // Contention can only slow the side it ran beside: on head it can explain a regression (the
  // lower bound moves down), on base an improvement (the upper bound moves up). A side that got
  // (1 − c) of the CPU it wanted was on average at most 1 / (1 − c) slower, which bounds the mean
  // and throughput. A percentile at or above 1 − c may consist of disturbed iterations only, each
  // late by a whole scheduler slice: past contentionLimit() its widening has no bound.
  const reach = (c: number | null): number => {
    if (c === null || c <= 0) return 0;
    if (PERCENTILE_METRICS.has(e.metric) && isContended(c, e.metric)) return Infinity;
    const share = Math.min(c, MAX_CONTENTION_SHARE);
    return share / (1 - share);
  };
  const down = reach(run.contention.head);
  const up = reach(run.contention.base);
  if (down > 0 || up > 0) list.push({ reason: 'contended', down, up });
  return list;
}

const PERCENTILE_METRICS: ReadonlySet<Metric> = new Set(['p50', 'p90', 'p99']);
/** A share of 90% or more of the CPU taken by others is counted as 90% (a 10× slowdown bound). */
const MAX_CONTENTION_SHARE = 0.9;

function widen(ci: readonly [number, number], w: Widening): [number, number] {
  return [(1 + ci[0]) / (1 + w.down) - 1, (1 + ci[1]) * (1 + w.up) - 1];
}

/** judge() on the interval widened by every diagnostic, then the data caps. */
function verdictOf(e: MetricEvidence, run: RunEvidence, cap: DataCap | undefined): Judged & { ci: [number, number] } {
  const evidence = { change: e.change, rank: e.rank, alpha: run.alpha, raw: e.raw, resolution: e.resolution, allowance: run.widen };
  const before = judge(e.ci, e.threshold, evidence);
  const list = widenings(e, run);
  const ci = list.reduce<[number, number]>((acc, w) => widen(acc, w), [e.ci[0], e.ci[1]]);
  let judged = judge(ci, e.threshold, evidence);
  if (judged.verdict === 'inconclusive' && before.verdict !== 'inconclusive' && list.length > 0) {
    // Name the widest of the widenings: it is what a rerun should fix.
    const widest = list.reduce((a, b) => (Math.max(b.down, b.up) > Math.max(a.down, a.up) ? b : a));
    judged = { verdict: 'inconclusive', reason: widest.reason };
  }
  return { ...capped(judged, cap), ci };
}

/**
 * Latency metrics of one stage (and throughput when `input.throughput` is given), each with its
 * change, interval and verdict. `thresholdOf` gives the practical threshold per metric.
 */
export function compareStage(
  input: StageInput,
  thresholdOf: (metric: Metric) => number,
  options: SignificanceOptions = DEFAULT_SIGNIFICANCE,
  stageIndex = 0,
): MetricChange[] {
  const boot = bootstrapStage(input.base, input.head, options, options.seed + stageIndex * 7919);
  const run = runEvidence(input, options);
  const changes = LATENCY_METRICS.map((metric): MetricChange => {
    const change = boot.head[metric] / boot.base[metric] - 1;
    const [lo, hi] = percentileInterval(boot.ratios[metric], options.level);
    const raw: [number, number] = [lo - 1, hi - 1];
    const ci: [number, number] = [lo / (1 + run.widen) - 1, hi * (1 + run.widen) - 1];
    const rank = rankTest(boot.baseReps[metric], boot.headReps[metric]);
    const threshold = thresholdOf(metric);
    const reps = { base: boot.baseReps[metric], head: boot.headReps[metric] };
    const judged = input.identical ? IDENTICAL : verdictOf({ metric, ci, raw, change, threshold, rank, resolution: MIN_ABSOLUTE_US / boot.base[metric], reps }, run, input.caps?.[metric]);
    return { metric, base: boot.base[metric] / 1000, head: boot.head[metric] / 1000, change, level: options.level, driftAllowance: run.widen, rank, threshold, ...judged };
  });
  if (input.throughput !== undefined) changes.push(throughputChange(boot, input.throughput, thresholdOf('throughput'), options, run, input.caps?.throughput, input.identical ?? false));
  return changes;
}

/** Throughput ≈ 1 / mean latency: the inverted mean interval, centred on the reported values. */
function throughputChange(boot: StageBootstrap, reported: { base: number; head: number }, threshold: number, options: SignificanceOptions, run: RunEvidence, cap: DataCap | undefined, identical: boolean): MetricChange {
  const pointMeanRatio = boot.head.mean / boot.base.mean;
  const reportedRatio = reported.head / reported.base;
  const [lo, hi] = percentileInterval(boot.ratios.mean, options.level);
  // ratio of throughputs = pointMeanRatio / meanRatio, rescaled to the reported point.
  const scale = reportedRatio * pointMeanRatio;
  const raw: [number, number] = [scale / hi - 1, scale / lo - 1];
  const ci: [number, number] = [scale / hi / (1 + run.widen) - 1, (scale / lo) * (1 + run.widen) - 1];
  const inv = (xs: number[]): number[] => xs.map((x) => 1e6 / x);
  const reps = { base: inv(boot.baseReps.mean), head: inv(boot.headReps.mean) };
  const rank = rankTest(reps.base, reps.head);
  // Bigger is better: judge the change with its sign flipped so that positive = worse.
  const judged = identical ? IDENTICAL : verdictOf({ metric: 'throughput', ci: [-ci[1], -ci[0]], raw: [-raw[1], -raw[0]], change: -(reportedRatio - 1), threshold, rank, resolution: 0, reps }, run, cap);
  // The widened interval comes back oriented (positive = worse): flip it to head/base − 1 again.
  return { metric: 'throughput', base: reported.base, head: reported.head, change: reportedRatio - 1, level: options.level, driftAllowance: run.widen, rank, threshold, ...judged, ci: [-judged.ci[1], -judged.ci[0]] };
}
