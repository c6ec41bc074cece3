// Is head slower than base? Relative change with a confidence interval, and a verdict.
//
// METHOD. For each stage, each side is the list of its repetitions' HDR histograms (one today;
// `--repeat N` gives N). A percentile bootstrap (Efron & Tibshirani 1993, ch. 13) resamples each
// side B times: pick R repetitions with replacement, then draw ⌈m/R⌉ values from each picked
// repetition's histogram (bucket counts → alias table, seeded PRNG; m = min(count, 5000)). Picking
// repetitions first (a two-level, "cluster" bootstrap; Davison & Hinkley 1997, §3.8) puts
// run-to-run variance into the interval when repetitions exist. Each resample gives p50, p90, p99
// and mean per side; the ratio head/base of each, over B resamples, gives the 2.5%–97.5%
// percentile interval of the relative change. Throughput is modelled as 1 / mean total latency
// (the timing loop is sequential): its interval is the inverted mean interval, centred on the
// reported throughputs. With ≥ 4 repetitions a side a Mann–Whitney U test on the per-repetition
// values is required to agree (p < 0.05).
//
// VERDICT (the change oriented so that positive = worse; t = the practical threshold):
//   regressed    CI lower bound > t, the CI excludes 0, the rank test (if any) agrees, and the
//                change is larger than the timer's resolution (MIN_ABSOLUTE_US)
//   improved     the mirror image: CI upper bound < −t with the same evidence
//   unchanged    the CI lies inside [−t, t], or is narrower than t where it crosses ±t
//   inconclusive the CI crosses ±t and is wider than t (too noisy to tell), or the CI is past
//                ±t but the rank test does not agree
//
// DRIFT ALLOWANCE. The bootstrap assumes the samples of a run are independent and identically
// distributed. A run whose median moved between its first and last third (`measure.driftRatio`,
// measured by profile) breaks that: where it would have stopped decides its numbers. Each interval
// is therefore widened by the larger |driftRatio| a of the two runs, on the ratio scale
// ([lo / (1 + a), hi · (1 + a)]). Widening assumes the shift between runs is of the order of the
// drift within them; on the loaded 2-core development VM, runs of a 20 µs model that drifted
// 40–47% within themselves differed up to 2.4× in p90 between runs, so when a exceeds
// UNSTEADY_DRIFT_FACTOR × the threshold no metric is called regressed or improved, only
// "inconclusive", naming the drift: a run that moved 40% within itself cannot resolve a 5% change.
//
// CAPS FROM THE REPORTS' OWN DIAGNOSTICS. A percentile that a report flags `insufficient` (fewer
// samples than MLPerf LoadGen's rule asks for) and the mean and throughput of a stage whose
// coefficient of variation exceeds MEAN_MAX_CV (a mean carried by a few stalls, where bootstrapping
// the mean is unreliable — Athreya 1987; the stalls also cluster in time, which an i.i.d. resample
// cannot see) are never called regressed or improved, only inconclusive, with the reason.
//
// WHY IT CONTROLS FALSE ALARMS. Two independent gates must both fail. Statistical: with one run a
// side, a 95% interval excludes a true zero change about 5% of the time per metric — too often on
// its own across 4 stages × 5 metrics. Practical: a regression must exceed t with the whole
// interval, not just the point estimate; under no real change the lower bound sits near −half
// the interval width, so crossing +t needs a sampling error of t plus half a width, which for
// t = 5% and thousands of samples has negligible probability for p50/mean, while the noisy tail
// metrics (p99 on few samples) get wide intervals and become "inconclusive", not "regressed".
// What the bootstrap cannot see with one run a side is run-to-run drift (a noisy neighbour, CPU
// frequency): the threshold is what absorbs it, and `--repeat` plus the rank test measure it.
// Resampling min(count, 5000) draws (an m-out-of-n bootstrap when count > 5000) only widens the
// interval, i.e. errs towards "inconclusive". The seed is fixed, so the same two reports always
// give the same verdict.

import type { Histogram } from '../measure/histogram.js';
import { mannWhitney, type RankTest } from './mann-whitney.js';
import { aliasSampler, bucketTable, seededUniform, type AliasSampler } from './sampler.js';
import type { Metric } from './threshold.js';

export type Verdict = 'regressed' | 'improved' | 'unchanged' | 'inconclusive';
export const LATENCY_METRICS = ['p50', 'p90', 'p99', 'mean'] as const;
export type LatencyMetric = (typeof LATENCY_METRICS)[number];

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
}

export const DEFAULT_SIGNIFICANCE: SignificanceOptions = { resamples: 1000, maxResampleSize: 5000, level: 0.95, alpha: 0.05, seed: 20240607 };

/** Smallest absolute latency change called a regression: 2 µs, twice the histograms' 1 µs unit. */
export const MIN_ABSOLUTE_US = 2;
/** Drift (max |driftRatio|) above this multiple of a metric's threshold caps it at inconclusive. */
export const UNSTEADY_DRIFT_FACTOR = 2;
/** Above this coefficient of variation (stddev / mean) a stage's mean and throughput are capped. */
export const MEAN_MAX_CV = 1;
/** Fewest repetitions a side for the rank test (4 vs 4: smallest two-sided p is 0.029). */
export const MIN_RANK_REPETITIONS = 4;

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
  /** Relative widening of the interval for within-run drift (0.1: bounds moved out by 10% of the ratio). */
  driftAllowance: number;
  /** Mann–Whitney across repetitions, null with fewer than MIN_RANK_REPETITIONS a side. */
  rank: RankTest | null;
  threshold: number;
  verdict: Verdict;
  /** Why this verdict (rows.ts words it). */
  reason: VerdictReason;
}

/** Per-repetition point values and per-resample ratios of one stage's latency metrics. */
interface StageBootstrap {
  base: Record<LatencyMetric, number>;
  head: Record<LatencyMetric, number>;
  ratios: Record<LatencyMetric, Float64Array>;
  baseReps: Record<LatencyMetric, number[]>;
  headReps: Record<LatencyMetric, number[]>;
}

/** One side: the union of its repetitions' buckets, and one alias sampler per repetition. */
interface Side {
  values: Float64Array;
  samplers: { sampler: AliasSampler; toUnion: Int32Array }[];
  merged: Float64Array;
  repCounts: Float64Array[];
  total: number;
}

function side(histograms: readonly Histogram[]): Side {
  const tables = histograms.map(bucketTable).filter((t) => t.total > 0);
  if (tables.length === 0) throw new Error('a side has no recorded samples');
  const values = Float64Array.from(new Set(tables.flatMap((t) => [...t.values]))).sort();
  const index = new Map<number, number>();
  values.forEach((v, i) => index.set(v, i));
  const merged = new Float64Array(values.length);
  const repCounts = tables.map((t) => {
    const counts = new Float64Array(values.length);
    t.values.forEach((v, i) => (counts[index.get(v)!] = t.counts[i]!));
    counts.forEach((c, i) => (merged[i] = merged[i]! + c));
    return counts;
  });
  const samplers = tables.map((t) => ({ sampler: aliasSampler(t.counts), toUnion: Int32Array.from(t.values, (v) => index.get(v)!) }));
  return { values, samplers, merged, repCounts, total: tables.reduce((sum, t) => sum + t.total, 0) };
}

/** p50/p90/p99 (rank ⌈q·n⌉, as HdrHistogram) and mean of a count table over `values`. */
function statsOf(values: Float64Array, counts: Float64Array): Record<LatencyMetric, number> {
  let n = 0;
  let sum = 0;
  counts.forEach((c, i) => {
    n += c;
    sum += c * values[i]!;
  });
  const ranks = [0.5, 0.9, 0.99].map((q) => Math.max(1, Math.ceil(q * n)));
  const found = [NaN, NaN, NaN];
  let seen = 0;
  for (let i = 0, r = 0; i < counts.length && r < 3; i++) {
    seen += counts[i]!;
    while (r < 3 && seen >= ranks[r]!) found[r++] = values[i]!;
  }
  return { p50: found[0]!, p90: found[1]!, p99: found[2]!, mean: sum / n };
}

function resample(s: Side, size: number, uniform: () => number, counts: Float64Array): Record<LatencyMetric, number> {
  counts.fill(0);
  const reps = s.samplers.length;
  const perRep = Math.ceil(size / reps);
  for (let r = 0; r < reps; r++) {
    const picked = reps === 1 ? s.samplers[0]! : s.samplers[Math.min(reps - 1, Math.floor(uniform() * reps))]!;
    for (let i = 0; i < perRep; i++) {
      const u = picked.toUnion[picked.sampler.draw(uniform)]!;
      counts[u] = counts[u]! + 1;
    }
  }
  return statsOf(s.values, counts);
}

function bootstrapStage(baseHists: readonly Histogram[], headHists: readonly Histogram[], options: SignificanceOptions, seed: number): StageBootstrap {
  const base = side(baseHists);
  const head = side(headHists);
  const uniform = seededUniform(seed);
  const sizeOf = (s: Side): number => Math.min(s.total, options.maxResampleSize);
  const ratios = Object.fromEntries(LATENCY_METRICS.map((m) => [m, new Float64Array(options.resamples)])) as Record<LatencyMetric, Float64Array>;
  const baseCounts = new Float64Array(base.values.length);
  const headCounts = new Float64Array(head.values.length);
  for (let b = 0; b < options.resamples; b++) {
    const sb = resample(base, sizeOf(base), uniform, baseCounts);
    const sh = resample(head, sizeOf(head), uniform, headCounts);
    for (const m of LATENCY_METRICS) ratios[m][b] = sh[m] / sb[m];
  }
  for (const m of LATENCY_METRICS) ratios[m].sort();
  const perRep = (s: Side): Record<LatencyMetric, number[]> => {
    const stats = s.repCounts.map((c) => statsOf(s.values, c));
    return Object.fromEntries(LATENCY_METRICS.map((m) => [m, stats.map((st) => st[m])])) as Record<LatencyMetric, number[]>;
  };
  return { base: statsOf(base.values, base.merged), head: statsOf(head.values, head.merged), ratios, baseReps: perRep(base), headReps: perRep(head) };
}

/** Percentile interval [α/2, 1 − α/2] of sorted values. */
function percentileInterval(sorted: Float64Array, level: number): [number, number] {
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))]!;
  return [at((1 - level) / 2), at(1 - (1 - level) / 2)];
}

function rankTest(base: number[], head: number[]): RankTest | null {
  return base.length >= MIN_RANK_REPETITIONS && head.length >= MIN_RANK_REPETITIONS ? mannWhitney(base, head) : null;
}

export interface StageInput {
  /** One histogram per repetition, per side (µs). */
  base: readonly Histogram[];
  head: readonly Histogram[];
  /** Reported throughputs (inferences/s), when this stage is the trial's total. */
  throughput?: { base: number; head: number };
  /** Widening of every interval, as a relative change: max |driftRatio| of the two runs. Default 0. */
  driftAllowance?: number;
  /** Metrics whose data cannot support a decisive verdict, and why: capped at inconclusive. */
  caps?: Partial<Record<Metric, 'few-samples' | 'heavy-tail'>>;
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
  const widen = Math.abs(input.driftAllowance ?? 0);
  const changes = LATENCY_METRICS.map((metric): MetricChange => {
    const ratio = boot.head[metric] / boot.base[metric];
    const [lo, hi] = percentileInterval(boot.ratios[metric], options.level);
    const ci: [number, number] = [lo / (1 + widen) - 1, hi * (1 + widen) - 1];
    const rank = rankTest(boot.baseReps[metric], boot.headReps[metric]);
    const threshold = thresholdOf(metric);
    const absoluteLoUs = Math.min(Math.abs(ci[0]), Math.abs(ci[1])) * boot.base[metric];
    const judged = capped(steady(judge(ci, threshold, rank, options.alpha, absoluteLoUs >= MIN_ABSOLUTE_US), widen > UNSTEADY_DRIFT_FACTOR * threshold), input.caps?.[metric]);
    return { metric, base: boot.base[metric] / 1000, head: boot.head[metric] / 1000, change: ratio - 1, ci, level: options.level, driftAllowance: widen, rank, threshold, ...judged };
  });
  if (input.throughput !== undefined) changes.push(throughputChange(boot, input.throughput, thresholdOf('throughput'), options, widen, input.caps?.throughput));
  return changes;
}

/** Throughput ≈ 1 / mean latency: the inverted mean interval, centred on the reported values. */
function throughputChange(boot: StageBootstrap, reported: { base: number; head: number }, threshold: number, options: SignificanceOptions, widen: number, cap?: 'few-samples' | 'heavy-tail'): MetricChange {
  const pointMeanRatio = boot.head.mean / boot.base.mean;
  const reportedRatio = reported.head / reported.base;
  const [lo, hi] = percentileInterval(boot.ratios.mean, options.level);
  // ratio of throughputs = pointMeanRatio / meanRatio, rescaled to the reported point.
  const ci: [number, number] = [(reportedRatio * pointMeanRatio) / hi / (1 + widen) - 1, ((reportedRatio * pointMeanRatio) / lo) * (1 + widen) - 1];
  const inv = (xs: number[]): number[] => xs.map((x) => 1e6 / x);
  const rank = rankTest(inv(boot.baseReps.mean), inv(boot.headReps.mean));
  // Bigger is better: judge the change with its sign flipped so that positive = worse.
  const judged = capped(steady(judge([-ci[1], -ci[0]], threshold, rank, options.alpha, true), widen > UNSTEADY_DRIFT_FACTOR * threshold), cap);
  return { metric: 'throughput', base: reported.base, head: reported.head, change: reportedRatio - 1, ci, level: options.level, driftAllowance: widen, rank, threshold, ...judged };
}

/** A run that drifted too much within itself caps the verdict at inconclusive. */
function steady(judged: { verdict: Verdict; reason: VerdictReason }, unstable: boolean): { verdict: Verdict; reason: VerdictReason } {
  const decisive = judged.verdict === 'regressed' || judged.verdict === 'improved';
  return unstable && decisive ? { verdict: 'inconclusive', reason: 'unstable-run' } : judged;
}

/** A metric whose data cannot carry a decisive verdict is capped at inconclusive. */
function capped(judged: { verdict: Verdict; reason: VerdictReason }, cap: 'few-samples' | 'heavy-tail' | undefined): { verdict: Verdict; reason: VerdictReason } {
  const decisive = judged.verdict === 'regressed' || judged.verdict === 'improved';
  return cap !== undefined && decisive ? { verdict: 'inconclusive', reason: cap } : judged;
}

/** Why a metric got its verdict; rows.ts turns it into words. */
export type VerdictReason =
  | 'beyond-threshold' // the whole interval is past ±threshold, with evidence
  | 'below-resolution' // past the threshold in relative terms, but under MIN_ABSOLUTE_US
  | 'rank-disagrees' // the interval is past ±threshold, the rank test across repetitions is not
  | 'within-threshold' // the interval lies inside ±threshold
  | 'too-noisy' // the interval crosses ±threshold and is wider than it
  | 'near-threshold' // the interval crosses ±threshold but is narrower than it
  | 'unstable-run' // past ±threshold, but a run drifted more than UNSTEADY_DRIFT_FACTOR × threshold
  | 'few-samples' // past ±threshold, but a run has too few samples for this percentile (LoadGen rule)
  | 'heavy-tail'; // past ±threshold, but a run's mean is dominated by a few outliers (CV > MEAN_MAX_CV)

/**
 * The verdict for an interval `ci` of the change oriented so that positive = worse.
 * `resolvable`: the change is larger than the timer's resolution.
 */
export function judge(
  ci: readonly [number, number],
  threshold: number,
  rank: RankTest | null,
  alpha: number,
  resolvable = true,
): { verdict: Verdict; reason: VerdictReason } {
  const [lo, hi] = ci;
  if (lo > threshold || hi < -threshold) {
    if (!resolvable) return { verdict: 'unchanged', reason: 'below-resolution' };
    if (rank !== null && !(rank.p < alpha)) return { verdict: 'inconclusive', reason: 'rank-disagrees' };
    return { verdict: lo > threshold ? 'regressed' : 'improved', reason: 'beyond-threshold' };
  }
  if (lo >= -threshold && hi <= threshold) return { verdict: 'unchanged', reason: 'within-threshold' };
  if (hi - lo > threshold) return { verdict: 'inconclusive', reason: 'too-noisy' };
  return { verdict: 'unchanged', reason: 'near-threshold' };
}
