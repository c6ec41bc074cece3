// Merging is exact: a trial split across shards, merged, has the statistics of all its samples
// recorded in one histogram — count the sum, min and max the extremes, every percentile the same.
import { describe, expect, test } from 'vitest';
import { decodeHistogram } from '../../src/measure/histogram.js';
import { mergeStageStats } from '../../src/measure/merge-stats.js';
import { mergeStages, mergeTrialParts, pooledThroughput } from '../../src/merge/merge-trial.js';
import type { StageStats, TrialOk, TrialPart } from '../../src/types.js';
import { PERCENTILE_FIELD } from '../../src/types.js';
import { okTrial } from '../helpers/sample-report.js';
import { samples, statsOf } from './reports.js';

/** Nearest-rank percentile of raw samples. */
function rawPercentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)]!;
}

const FRACTIONS = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99, p999: 0.999 } as const;

describe('merged stage statistics equal one histogram of all the samples', () => {
  test.each([
    ['3 equal shards', [4000, 4000, 4000]],
    ['unequal shards', [10, 5000, 777]],
    ['7 shards, one with a single sample', [1, 300, 300, 2000, 50, 9, 1200]],
  ])('%s', (_, sizes) => {
    // Different medians per part: a mixture whose percentiles no average of the parts' gives.
    const parts = sizes.map((n, i) => samples(500 * (i + 1), n, 100 + i));
    const all = parts.flat();
    const merged = mergeStageStats(parts.map(statsOf));
    const whole = statsOf(all);
    expect(merged.count).toBe(all.length);
    expect(merged.minMs).toBe(Math.min(...all) / 1000);
    expect(merged.maxMs).toBe(Math.max(...all) / 1000);
    for (const key of Object.keys(FRACTIONS) as (keyof typeof FRACTIONS)[]) expect(merged[PERCENTILE_FIELD[key]]).toBe(whole[PERCENTILE_FIELD[key]]);
    expect(merged.meanMs).toBeCloseTo(whole.meanMs, 9);
    expect(merged.stddevMs).toBeCloseTo(whole.stddevMs, 9);
    expect(merged.insufficient).toEqual(whole.insufficient);
    // The histograms themselves: every bucket count the same.
    const a = decodeHistogram(merged.histogram);
    const b = decodeHistogram(whole.histogram);
    expect(a.totalCount).toBe(b.totalCount);
    for (let p = 0; p <= 100; p += 0.5) expect(a.getValueAtPercentile(p)).toBe(b.getValueAtPercentile(p));
    // And within HDR's stated precision (3 significant digits) of the raw samples' percentiles.
    const sorted = [...all].sort((x, y) => x - y);
    for (const [key, fraction] of Object.entries(FRACTIONS) as [keyof typeof FRACTIONS, number][]) {
      const raw = rawPercentile(sorted, fraction) / 1000;
      expect(Math.abs(merged[PERCENTILE_FIELD[key]] - raw)).toBeLessThanOrEqual(raw * 1e-3 + 1e-3);
    }
  });

  test('averaging the parts\' p99 would be wrong: the merged p99 is the pooled one', () => {
    const parts = [samples(1000, 3000, 1), samples(5000, 1000, 2)];
    const stats = parts.map(statsOf);
    const averaged = (stats[0]!.p99Ms + stats[1]!.p99Ms) / 2;
    const merged = mergeStageStats(stats);
    expect(merged.p99Ms).toBe(statsOf(parts.flat()).p99Ms);
    expect(Math.abs(merged.p99Ms - averaged) / merged.p99Ms).toBeGreaterThan(0.1);
  });
});

function part(source: string, count = 500): TrialPart {
  return { source, shard: null, machine: 'm', count };
}

describe('mergeTrialParts', () => {
  const trial = (medianUs: number, n: number, seed: number, extra: Record<string, StageStats> = {}): TrialOk => {
    const base = okTrial();
    const stage = (m: number, s: number): StageStats => statsOf(samples(m, n, s));
    return {
      ...base,
      stages: { preprocess: stage(medianUs / 10, seed), inference: stage(medianUs, seed + 1), postprocess: stage(medianUs / 20, seed + 2), total: stage(medianUs * 1.2, seed + 3), ...extra },
      measure: { ...base.measure, iterations: n, durationMs: (n * medianUs) / 1000 },
      throughput: { inferencesPerSec: 1e6 / medianUs, itemsPerSec: 1e6 / medianUs },
    };
  };

  test('one part: the trial as measured, with its part named', () => {
    const t = trial(1000, 100, 1);
    expect(mergeTrialParts([t], [part('a.json')])).toEqual({ ...t, parts: [part('a.json')] });
  });

  test('several parts: every stage the parts share merges, service stages too; throughput pools time, not rates', () => {
    const extra = (seed: number): Record<string, StageStats> => ({ queue: statsOf(samples(300, 400, seed)), lag: statsOf(samples(20, 400, seed + 1)) });
    const a = trial(1000, 400, 10, extra(50));
    const b = trial(3000, 400, 20, extra(60));
    const merged = mergeTrialParts([a, b], [part('a.json'), part('b.json')]) as TrialOk;
    const stages = merged.stages as unknown as Record<string, StageStats>;
    expect(Object.keys(stages).sort()).toEqual(['inference', 'lag', 'postprocess', 'preprocess', 'queue', 'total']);
    expect(stages.queue).toEqual(mergeStageStats([extra(50).queue!, extra(60).queue!]));
    expect(merged.stages.inference.count).toBe(800);
    expect(merged.measure.iterations).toBe(800);
    // 400 at 1000/s then 400 at 333/s: 800 requests in 1.6 s = 500/s (the mean of the rates would say 667/s).
    expect(merged.throughput.inferencesPerSec).toBeCloseTo(500, 6);
    expect(pooledThroughput([a, b]).inferencesPerSec).toBeCloseTo(500, 6);
    expect(merged.repetitions).toHaveLength(2);
    expect(merged.parts?.map((p) => p.source)).toEqual(['a.json', 'b.json']);
  });

  test('a stage only some parts recorded is left out', () => {
    const a = trial(1000, 100, 1);
    const b = { ...trial(1000, 100, 5), stages: { ...trial(1000, 100, 5).stages, load: statsOf(samples(50, 100, 9)) } };
    expect(Object.keys(mergeStages([a.stages, b.stages]))).not.toContain('load');
  });

  test('a part that failed is named; the others merge', () => {
    const a = trial(1000, 100, 1);
    const failed = { status: 'failed' as const, spec: a.spec, phase: 'measure' as const, error: { code: 'runtime-error', message: 'boom' } };
    const merged = mergeTrialParts([a, failed, trial(1000, 100, 2)], [part('a.json'), part('b.json'), part('c.json')]) as TrialOk;
    expect(merged.stages.total.count).toBe(200);
    expect(merged.warnings.find((w) => w.code === 'repetitions-failed')?.message).toBe('1 of 3 reports did not measure this trial (b.json); the numbers merge the 2 that did');
  });
});
