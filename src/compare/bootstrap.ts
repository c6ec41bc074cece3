// The two-level (cluster) percentile bootstrap of significance.ts on decoded HDR histograms:
// resample repetitions, then samples within each picked repetition, B times; each resample gives
// p50/p90/p99/mean per side, and their ratios head/base give the intervals. See significance.ts
// for the method and its references.
import type { Histogram } from '../measure/histogram.js';
import { aliasSampler, bucketTable, seededUniform, type AliasSampler } from './sampler.js';

export const LATENCY_METRICS = ['p50', 'p90', 'p99', 'mean'] as const;
export type LatencyMetric = (typeof LATENCY_METRICS)[number];

export interface BootstrapOptions {
  /** Resamples B. */
  resamples: number;
  /** Cap on the draws per resample and side. */
  maxResampleSize: number;
}

/** Per-repetition point values and per-resample ratios of one stage's latency metrics. */
export interface StageBootstrap {
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

export function bootstrapStage(baseHists: readonly Histogram[], headHists: readonly Histogram[], options: BootstrapOptions, seed: number): StageBootstrap {
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
export function percentileInterval(sorted: Float64Array, level: number): [number, number] {
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))]!;
  return [at((1 - level) / 2), at(1 - (1 - level) / 2)];
}

