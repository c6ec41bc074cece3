// Is head slower than base, from samples measured in interleaved pairs of blocks?
//
// METHOD. A paired run (paired-loop.ts) alternates short blocks of iterations: block b runs k
// iterations of base and k of head back to back, in an order drawn at random per block. Both
// halves of a block see the same machine (its clock, its neighbours, its cache weather), so the
// machine's state, which moves a median by ±20% over tens of seconds on a shared VM, cancels in
// the ratio — the randomised multiple interleaved trials of Abedi & Brecht (ICPE 2017), at the
// granularity of duet benchmarking (Bulej et al., ICPE 2020).
//
// The unit of resampling is therefore the *pair of blocks*, not the sample: a paired block
// bootstrap (Efron & Tibshirani 1993, ch. 13; blocks as in Künsch 1989) draws nb blocks with
// replacement, B times, and each draw weights the same blocks on both sides. For each resample
// the statistic of each side is computed over its pooled samples, weighted by how often their
// block was drawn: p50 / p90 / p99 at rank ⌈q·N⌉ (HdrHistogram's rule), the mean, and throughput
// as iterations × batch / wall time (the wall time includes what the stages do not: GC pauses,
// deferred frees). The ratio head/base over the B resamples gives the 2.5%–97.5% percentile
// interval. Because a resample moves both sides together, the interval holds what varies
// between pairs of blocks (sampling noise and what the order cannot cancel), and not what the
// pairing removed (the machine's slow state changes).
//
// VERDICT: judge.ts with the practical threshold, and nothing widened: the pairing measures the
// run-to-run variance that report-vs-report comparisons must assume. Data caps: fewer than
// MIN_BLOCKS_FOR_VERDICT pairs of blocks, a percentile a side has too few samples for (MLPerf
// LoadGen's rule, sample-rules.ts), and the mean and throughput of a stage whose CV exceeds
// MEAN_MAX_CV (a mean carried by a few scheduler stalls) are never called regressed or improved.
import { insufficientPercentiles } from '../measure/sample-rules.js';
import type { LatencyMetric } from '../compare/bootstrap.js';
import { percentileInterval } from '../compare/bootstrap.js';
import { capped, judge } from '../compare/judge.js';
import { mulberry32 } from '../measure/prng.js';
import type { MetricChange, SignificanceOptions } from '../compare/significance.js';
import { MEAN_MAX_CV, MIN_ABSOLUTE_US, MIN_BLOCKS_FOR_VERDICT } from '../compare/significance.js';

export { MIN_BLOCKS_FOR_VERDICT } from '../compare/significance.js';
import type { Metric } from '../compare/threshold.js';

const QUANTILES: readonly [LatencyMetric, number][] = [['p50', 0.5], ['p90', 0.9], ['p99', 0.99]];

/** One side's samples of one stage (µs, in measurement order) and where each block ends. */
export interface PairedStageSamples {
  base: Float64Array;
  head: Float64Array;
}

/** Per block: the exclusive end index of its samples, and its wall time (ns), per side. */
export interface PairedBlocks {
  baseEnds: readonly number[];
  headEnds: readonly number[];
  baseWallNs: readonly number[];
  headWallNs: readonly number[];
  /** The epoch (session pair) each block ran in; absent: one epoch. */
  epochs?: readonly number[];
}

/** Per side, the samples in ascending order and the block each one came from. */
interface SortedSide {
  values: Float64Array;
  block: Int32Array;
  /** Sum of the block's samples, and their count, per block. */
  sums: Float64Array;
  counts: Float64Array;
}

function sortSide(samples: Float64Array, ends: readonly number[]): SortedSide {
  const n = ends.at(-1) ?? 0;
  const blockOf = new Int32Array(n);
  const sums = new Float64Array(ends.length);
  const counts = new Float64Array(ends.length);
  let start = 0;
  ends.forEach((end, b) => {
    for (let i = start; i < end; i++) {
      blockOf[i] = b;
      sums[b] = sums[b]! + samples[i]!;
    }
    counts[b] = end - start;
    start = end;
  });
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => samples[a]! - samples[b]!);
  return { values: Float64Array.from(order, (i) => samples[i]!), block: Int32Array.from(order, (i) => blockOf[i]!), sums, counts };
}

/** p50/p90/p99/mean of one side with block weights `w` (multiplicities; all 1 for the point estimate). */
function weightedStats(side: SortedSide, w: Float64Array): Record<LatencyMetric, number> {
  let total = 0;
  let sum = 0;
  for (let b = 0; b < w.length; b++) {
    total += w[b]! * side.counts[b]!;
    sum += w[b]! * side.sums[b]!;
  }
  const out = { p50: 0, p90: 0, p99: 0, mean: total > 0 ? sum / total : 0 };
  let q = 0;
  let target = Math.max(1, Math.ceil(QUANTILES[0]![1] * total));
  let seen = 0;
  for (let i = 0; i < side.values.length && q < QUANTILES.length; i++) {
    seen += w[side.block[i]!]!;
    while (q < QUANTILES.length && seen >= target) {
      out[QUANTILES[q]![0]] = side.values[i]!;
      q++;
      if (q < QUANTILES.length) target = Math.max(1, Math.ceil(QUANTILES[q]![1] * total));
    }
  }
  return out;
}

/** Block multiplicities of one resample: nb draws with replacement. */
function resampleWeights(nb: number, random: () => number, into: Float64Array): Float64Array {
  into.fill(0);
  for (let i = 0; i < nb; i++) {
    const b = Math.floor(random() * nb);
    into[b] = into[b]! + 1;
  }
  return into;
}

export interface PairedStageResult {
  metrics: MetricChange[];
}

type ThresholdOf = (metric: Metric) => number;

/** The latency metrics of one stage, each with its paired-bootstrap interval and verdict. */
export function comparePairedStage(
  samples: PairedStageSamples,
  blocks: PairedBlocks,
  thresholdOf: ThresholdOf,
  options: SignificanceOptions,
  seed: number,
): MetricChange[] {
  const base = sortSide(samples.base, blocks.baseEnds);
  const head = sortSide(samples.head, blocks.headEnds);
  const nb = blocks.baseEnds.length;
  const ones = new Float64Array(nb).fill(1);
  const point = { base: weightedStats(base, ones), head: weightedStats(head, ones) };
  const ratios = { p50: new Float64Array(options.resamples), p90: new Float64Array(options.resamples), p99: new Float64Array(options.resamples), mean: new Float64Array(options.resamples) };
  const random = mulberry32(seed);
  const w = new Float64Array(nb);
  for (let r = 0; r < options.resamples; r++) {
    resampleWeights(nb, random, w);
    const b = weightedStats(base, w);
    const h = weightedStats(head, w);
    for (const metric of ['p50', 'p90', 'p99', 'mean'] as const) ratios[metric][r] = b[metric] > 0 ? h[metric] / b[metric] : 1;
  }
  const thin = new Set<string>([...insufficientPercentiles(samples.base.length), ...insufficientPercentiles(samples.head.length)]);
  // p99 from fewer than TAIL_MIN_EXCEEDANCES samples above it is not decided: the bootstrap of
  // a quantile with few exceedances under-covers (the report path measured 1 in 50 A/A pairs of
  // 2,000 samples with a p99 interval past +5%); 10 s of a 4 ms model gives ~25.
  if (Math.min(samples.base.length, samples.head.length) * 0.01 < TAIL_MIN_EXCEEDANCES) thin.add('p99');
  // A mean carried by a few stalls (CV over MEAN_MAX_CV, as in the report path) is not decided.
  const heavy = Math.max(cvOf(samples.base), cvOf(samples.head)) > MEAN_MAX_CV;
  const perEpoch = epochStats(base, head, blocks);
  return (['p50', 'p90', 'p99', 'mean'] as const).map((metric) => {
    const [lo, hi] = widenByEpochs(percentileInterval(ratios[metric].sort(), options.level), perEpoch.map((e) => ratioOf(e, metric)), options.level);
    const ci: [number, number] = [lo - 1, hi - 1];
    const baseUs = point.base[metric];
    const change = baseUs > 0 ? point.head[metric] / baseUs - 1 : 0;
    const threshold = thresholdOf(metric);
    const cap = nb < MIN_BLOCKS_FOR_VERDICT ? 'few-blocks' : metric === 'mean' ? (heavy ? 'heavy-tail' : undefined) : thin.has(metric) ? 'few-samples' : undefined;
    const judged = capped(judge(ci, threshold, { change, resolution: baseUs > 0 ? MIN_ABSOLUTE_US / baseUs : 0 }), cap);
    return { metric, base: baseUs / 1000, head: point.head[metric] / 1000, change, ci, level: options.level, driftAllowance: 0, rank: null, threshold, ...judged };
  });
}

/** Coefficient of variation (stddev / mean) of the samples. */
export function cvOf(xs: Float64Array): number {
  if (xs.length < 2) return 0;
  let mean = 0;
  for (const x of xs) mean += x / xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  return mean > 0 ? Math.sqrt(ss / (xs.length - 1)) / mean : 0;
}

/**
 * Throughput (inferences/s; items/s is the same ratio at one batch): iterations over wall time
 * per side, with the same block resampling. Bigger is better, so it is judged with the sign
 * flipped (positive = worse), as compare's report path does.
 */
export function comparePairedThroughput(blocks: PairedBlocks, threshold: number, options: SignificanceOptions, seed: number, heavyTail = false): MetricChange {
  const nb = blocks.baseEnds.length;
  const iters = (ends: readonly number[], b: number): number => ends[b]! - (b > 0 ? ends[b - 1]! : 0);
  const rate = (ends: readonly number[], wall: readonly number[], w: Float64Array): number => {
    let n = 0;
    let ns = 0;
    for (let b = 0; b < nb; b++) {
      n += w[b]! * iters(ends, b);
      ns += w[b]! * wall[b]!;
    }
    return ns > 0 ? (n * 1e9) / ns : 0;
  };
  const ones = new Float64Array(nb).fill(1);
  const baseRate = rate(blocks.baseEnds, blocks.baseWallNs, ones);
  const headRate = rate(blocks.headEnds, blocks.headWallNs, ones);
  const random = mulberry32(seed);
  const w = new Float64Array(nb);
  const ratios = new Float64Array(options.resamples);
  for (let r = 0; r < options.resamples; r++) {
    resampleWeights(nb, random, w);
    const b = rate(blocks.baseEnds, blocks.baseWallNs, w);
    ratios[r] = b > 0 ? rate(blocks.headEnds, blocks.headWallNs, w) / b : 1;
  }
  const epochRatios = epochMasks(blocks).map((mask) => {
    const b = rate(blocks.baseEnds, blocks.baseWallNs, mask);
    return b > 0 ? rate(blocks.headEnds, blocks.headWallNs, mask) / b : 1;
  });
  const [lo, hi] = widenByEpochs(percentileInterval(ratios.sort(), options.level), epochRatios, options.level);
  const change = baseRate > 0 ? headRate / baseRate - 1 : 0;
  const judged = capped(judge([-(hi - 1), -(lo - 1)], threshold, { change: -change }), nb < MIN_BLOCKS_FOR_VERDICT ? 'few-blocks' : heavyTail ? 'heavy-tail' : undefined);
  return { metric: 'throughput', base: baseRate, head: headRate, change, ci: [lo - 1, hi - 1], level: options.level, driftAllowance: 0, rank: null, threshold, ...judged };
}

/**
 * A quick interval for the stop rule, from the blocks so far: the mean of log(head/base) of the
 * per-block medians, ± 1.96 standard errors (a normal approximation; the final verdict uses the
 * bootstrap above). Returns the half-width on the ratio scale, or Infinity with too few blocks.
 * Medians, not means: one scheduler stall in a block moved its mean, and with it this estimate,
 * so far that the auto bound ran to its 10 s cap while the p50 interval it stands for was ±0.3–0.5%
 * (bench/paired-compare.mjs, 2026-12-02).
 */
export function quickHalfWidth(samples: PairedStageSamples, blocks: Pick<PairedBlocks, 'baseEnds' | 'headEnds'>): number {
  const nb = blocks.baseEnds.length;
  if (nb < MIN_BLOCKS_FOR_ESTIMATE) return Infinity;
  const logs = new Float64Array(nb);
  const medianOf = (xs: Float64Array, from: number, to: number): number => {
    if (to <= from) return 0;
    const sorted = xs.slice(from, to).sort();
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  for (let b = 0; b < nb; b++) {
    const bm = medianOf(samples.base, b > 0 ? blocks.baseEnds[b - 1]! : 0, blocks.baseEnds[b]!);
    const hm = medianOf(samples.head, b > 0 ? blocks.headEnds[b - 1]! : 0, blocks.headEnds[b]!);
    logs[b] = bm > 0 && hm > 0 ? Math.log(hm / bm) : 0;
  }
  let mean = 0;
  for (const x of logs) mean += x / nb;
  let ss = 0;
  for (const x of logs) ss += (x - mean) ** 2;
  const se = Math.sqrt(ss / (nb - 1) / nb);
  return Math.expm1(1.96 * se);
}

/** Samples above p99 (per side) below which a paired p99 is never decisive: 10,000 samples a side. */
export const TAIL_MIN_EXCEEDANCES = 100;

/** Fewer blocks than this and the stop rule's interval is not trusted. */
export const MIN_BLOCKS_FOR_ESTIMATE = 20;

/** head/base of one metric in each epoch (empty with one epoch): what the epochs' interval is made of. */
export function perEpochRatios(samples: PairedStageSamples, blocks: PairedBlocks, metric: LatencyMetric): number[] {
  return epochStats(sortSide(samples.base, blocks.baseEnds), sortSide(samples.head, blocks.headEnds), blocks).map((e) => ratioOf(e, metric));
}

type SideStats = Record<LatencyMetric, number>;

/** Each side's statistics over each epoch's blocks; none with one epoch. */
function epochStats(base: SortedSide, head: SortedSide, blocks: Pick<PairedBlocks, 'epochs'>): { base: SideStats; head: SideStats }[] {
  return epochMasks(blocks).map((mask) => ({ base: weightedStats(base, mask), head: weightedStats(head, mask) }));
}

function ratioOf(e: { base: SideStats; head: SideStats }, metric: LatencyMetric): number {
  return e.base[metric] > 0 ? e.head[metric] / e.base[metric] : 1;
}

/** Epochs the blocks ran in (the loop numbers them in order from 0), 1 when they say none. */
export function epochCount(blocks: Pick<PairedBlocks, 'epochs'>): number {
  return (blocks.epochs?.at(-1) ?? 0) + 1;
}

/** Per epoch, block weights selecting its blocks (1) and no other (0); none with one epoch. */
export function epochMasks(blocks: Pick<PairedBlocks, 'epochs'>): Float64Array[] {
  const count = epochCount(blocks);
  if (count < 2) return [];
  return Array.from({ length: count }, (_, e) => Float64Array.from(blocks.epochs!, (of) => (of === e ? 1 : 0)));
}

/**
 * The block bootstrap's interval [lo, hi] (ratios), widened to hold the epochs' t-interval.
 *
 * Each epoch runs on its own pair of sessions, opened afresh. Where a session's memory lands
 * moves its speed: the same model against itself measured 0.971–1.024 over six runs of the
 * 4-layer chain, each run's own interval about ±0.1% wide (2026-12-02). The blocks of one run
 * share that placement, so the block bootstrap cannot see it; the epochs can. Their ratios'
 * geometric mean ± t(level, E − 1) standard errors (Student's t on the log ratios) is the interval
 * of a ratio whose placement was drawn E times; the result is the hull of the two intervals, so it
 * never claims more than either.
 */
export function widenByEpochs([lo, hi]: [number, number], epochRatios: readonly number[], level: number): [number, number] {
  const logs = epochRatios.filter((r) => r > 0).map(Math.log);
  const e = logs.length;
  if (e < 2) return [lo, hi];
  const mean = logs.reduce((a, b) => a + b, 0) / e;
  const sd = Math.sqrt(logs.reduce((a, x) => a + (x - mean) ** 2, 0) / (e - 1));
  const half = studentT(level, e - 1) * (sd / Math.sqrt(e));
  return [Math.min(lo, Math.exp(mean - half)), Math.max(hi, Math.exp(mean + half))];
}

/** Two-sided Student's t quantile: t such that P(|T| ≤ t) = level with `df` degrees of freedom. */
export function studentT(level: number, df: number): number {
  // Bisection on the CDF, from the regularized incomplete beta: P(|T| > t) = I_{df/(df+t²)}(df/2, 1/2).
  const tail = 1 - level;
  let lo = 0;
  let hi = 1e3;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (incompleteBeta(df / (df + mid * mid), df / 2, 0.5) > tail) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Regularized incomplete beta I_x(a, b) by its continued fraction (Numerical Recipes, §6.4). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - (front * betaFraction(1 - x, b, a)) / b;
  return (front * betaFraction(x, a, b)) / a;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 200; m++) {
    for (const numerator of [(m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)), (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))]) {
      d = 1 + numerator * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + numerator / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-12) break;
  }
  return h;
}

/** ln Γ(z), Lanczos (g = 7, n = 9). */
function logGamma(z: number): number {
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const x = z - 1;
  let sum = g[0]!;
  for (let i = 1; i < 9; i++) sum += g[i]! / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
}
