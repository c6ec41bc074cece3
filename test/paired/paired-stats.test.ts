// The paired statistics on constructed data with known ratios: pairs of blocks that share a
// machine state (a per-block slowdown hitting both sides alike), as an interleaved run sees them.
import { describe, expect, test } from 'vitest';
import { DEFAULT_SIGNIFICANCE } from '../../src/compare/significance.js';
import { mulberry32 } from '../../src/measure/prng.js';
import { comparePairedStage, comparePairedThroughput, perEpochRatios, quickHalfWidth, studentT, widenByEpochs, MIN_BLOCKS_FOR_ESTIMATE, MIN_BLOCKS_FOR_VERDICT, type PairedBlocks } from '../../src/paired/paired-stats.js';

interface Built {
  samples: { base: Float64Array; head: Float64Array };
  blocks: PairedBlocks;
}

/**
 * `nb` blocks of `k` samples a side. Block b runs on a machine whose speed factor drifts between
 * states (×0.8 … ×1.25, changing every 50 blocks); head costs `ratio` × base. Each sample has 3%
 * noise of its own.
 */
function pairedRun(nb: number, k: number, ratio: number, seed: number, baseUs = 1000, placement?: { epochs: number; spread: number }): Built {
  const random = mulberry32(seed);
  const noise = (): number => 1 + 0.03 * (random() + random() + random() - 1.5) * 2;
  const base = new Float64Array(nb * k);
  const head = new Float64Array(nb * k);
  const blocks = { baseEnds: [] as number[], headEnds: [] as number[], baseWallNs: [] as number[], headWallNs: [] as number[] };
  let machine = 1;
  // With `placement`: the blocks split into epochs, and in each, head's session runs ×(1 ± spread)
  // for where it landed in memory, drawn per epoch.
  const epochOf = (b: number): number => (placement ? Math.floor((b * placement.epochs) / nb) : 0);
  const slots = Array.from({ length: placement?.epochs ?? 1 }, () => 1 + (placement?.spread ?? 0) * (2 * random() - 1));
  for (let b = 0; b < nb; b++) {
    if (b % 50 === 0) machine = 0.8 + 0.45 * random();
    const headSlot = slots[epochOf(b)]!;
    let wallBase = 0;
    let wallHead = 0;
    for (let i = 0; i < k; i++) {
      base[b * k + i] = baseUs * machine * noise();
      head[b * k + i] = baseUs * ratio * headSlot * machine * noise();
      wallBase += base[b * k + i]! * 1000;
      wallHead += head[b * k + i]! * 1000;
    }
    blocks.baseEnds.push((b + 1) * k);
    blocks.headEnds.push((b + 1) * k);
    blocks.baseWallNs.push(wallBase);
    blocks.headWallNs.push(wallHead);
  }
  return { samples: { base, head }, blocks: placement ? { ...blocks, epochs: Array.from({ length: nb }, (_, b) => epochOf(b)) } : blocks };
}

const FIVE = (): number => 0.05;
const metric = (changes: ReturnType<typeof comparePairedStage>, name: string) => changes.find((m) => m.metric === name)!;

describe('paired block bootstrap', () => {
  test('head 10% slower under a drifting machine: ratio ≈ 1.10 with a tight interval, regressed', () => {
    const run = pairedRun(200, 10, 1.1, 1);
    const changes = comparePairedStage(run.samples, run.blocks, FIVE, DEFAULT_SIGNIFICANCE, 7);
    const p50 = metric(changes, 'p50');
    expect(p50.change).toBeGreaterThan(0.08);
    expect(p50.change).toBeLessThan(0.12);
    expect(p50.ci[0]).toBeLessThan(0.1);
    expect(p50.ci[1]).toBeGreaterThan(0.1);
    // The machine's ±20% states cancel in the pairs: the interval is a few percent wide at most.
    expect(p50.ci[1] - p50.ci[0]).toBeLessThan(0.03);
    expect(p50).toMatchObject({ verdict: 'regressed', reason: 'beyond-threshold', driftAllowance: 0, rank: null });
    expect(metric(changes, 'mean').verdict).toBe('regressed');
  });

  test('A/A under the same drift: never regressed or improved (30 seeds), p50 unchanged', () => {
    let alarms = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const run = pairedRun(150, 5, 1, seed);
      const changes = comparePairedStage(run.samples, run.blocks, FIVE, { ...DEFAULT_SIGNIFICANCE, resamples: 400 }, seed);
      if (changes.some((m) => m.verdict === 'regressed' || m.verdict === 'improved')) alarms++;
      expect(metric(changes, 'p50').verdict).toBe('unchanged');
    }
    expect(alarms).toBe(0);
  });

  test('4.5% slower at a 2% threshold: regressed; at 5%: not a regression', () => {
    const run = pairedRun(300, 10, 1.045, 3);
    const at = (t: number) => metric(comparePairedStage(run.samples, run.blocks, () => t, DEFAULT_SIGNIFICANCE, 11), 'p50');
    expect(at(0.02).verdict).toBe('regressed');
    expect(at(0.05).verdict).not.toBe('regressed');
  });

  test('head faster: improved; the interval is of head/base − 1 in every metric', () => {
    const run = pairedRun(200, 10, 0.8, 5);
    const p90 = metric(comparePairedStage(run.samples, run.blocks, FIVE, DEFAULT_SIGNIFICANCE, 1), 'p90');
    expect(p90.verdict).toBe('improved');
    expect(p90.change).toBeCloseTo(-0.2, 1);
    expect(p90.base).toBeGreaterThan(p90.head);
  });

  test('is deterministic for a seed, and the seed moves only the interval, not the point', () => {
    const run = pairedRun(100, 5, 1.1, 9);
    const a = comparePairedStage(run.samples, run.blocks, FIVE, DEFAULT_SIGNIFICANCE, 1);
    expect(comparePairedStage(run.samples, run.blocks, FIVE, DEFAULT_SIGNIFICANCE, 1)).toEqual(a);
    const b = comparePairedStage(run.samples, run.blocks, FIVE, DEFAULT_SIGNIFICANCE, 2);
    expect(metric(b, 'p50').change).toBe(metric(a, 'p50').change);
  });

  test('percentiles a side has too few samples for are never decisive (LoadGen rule)', () => {
    const run = pairedRun(20, 5, 2, 4); // 100 samples a side: enough for p50, not for p99
    const changes = comparePairedStage(run.samples, run.blocks, FIVE, DEFAULT_SIGNIFICANCE, 1);
    expect(metric(changes, 'p50').verdict).toBe('regressed');
    expect(metric(changes, 'p99')).toMatchObject({ verdict: 'inconclusive', reason: 'few-samples' });
  });

  test('fewer than MIN_BLOCKS_FOR_VERDICT pairs: no decisive verdict, however large the change', () => {
    const few = pairedRun(MIN_BLOCKS_FOR_VERDICT - 1, 50, 2, 12);
    const changes = comparePairedStage(few.samples, few.blocks, FIVE, DEFAULT_SIGNIFICANCE, 1);
    expect(metric(changes, 'p50').change).toBeGreaterThan(0.8);
    expect(metric(changes, 'p50')).toMatchObject({ verdict: 'inconclusive', reason: 'few-blocks' });
    expect(comparePairedThroughput(few.blocks, 0.05, DEFAULT_SIGNIFICANCE, 1)).toMatchObject({ verdict: 'inconclusive', reason: 'few-blocks' });
  });

  test('p99 needs 100 samples above it a side (10,000 samples) before it can be decisive', () => {
    const short = pairedRun(200, 10, 1.5, 14); // 2,000 samples a side: 20 above p99
    expect(metric(comparePairedStage(short.samples, short.blocks, FIVE, DEFAULT_SIGNIFICANCE, 1), 'p99')).toMatchObject({ verdict: 'inconclusive', reason: 'few-samples' });
    const long = pairedRun(1000, 10, 1.5, 14); // 10,000 a side
    expect(metric(comparePairedStage(long.samples, long.blocks, FIVE, { ...DEFAULT_SIGNIFICANCE, resamples: 300 }, 1), 'p99').verdict).toBe('regressed');
  });

  test('a mean carried by a few stalls (CV over 100%) is never decisive, and neither is throughput', () => {
    const run = pairedRun(100, 10, 1, 13);
    // Three scheduler stalls of 200× the latency, all in base's halves.
    for (const i of [5, 305, 705]) run.samples.base[i] = 200_000;
    const mean = metric(comparePairedStage(run.samples, run.blocks, FIVE, DEFAULT_SIGNIFICANCE, 1), 'mean');
    expect(mean.change).toBeLessThan(-0.3);
    expect(mean.verdict).toBe('inconclusive');
    expect(['heavy-tail', 'too-noisy']).toContain(mean.reason);
    expect(comparePairedThroughput(run.blocks, 0.05, DEFAULT_SIGNIFICANCE, 1, true).reason).not.toBe('beyond-threshold');
  });

  test('throughput from the wall time of each half-block: bigger is better', () => {
    const slow = pairedRun(200, 10, 1.25, 6);
    const t = comparePairedThroughput(slow.blocks, 0.05, DEFAULT_SIGNIFICANCE, 3);
    expect(t.change).toBeCloseTo(1 / 1.25 - 1, 1);
    expect(t.ci[0]).toBeLessThan(t.change);
    expect(t.ci[1]).toBeGreaterThan(t.change);
    expect(t.verdict).toBe('regressed');
    expect(comparePairedThroughput(pairedRun(200, 10, 0.8, 6).blocks, 0.05, DEFAULT_SIGNIFICANCE, 3).verdict).toBe('improved');
  });
});

describe('the stop rule estimate', () => {
  test('Infinity below the minimum block count; narrows as blocks accumulate', () => {
    const run = pairedRun(400, 5, 1.1, 8);
    const upTo = (nb: number) => quickHalfWidth(run.samples, { baseEnds: run.blocks.baseEnds.slice(0, nb), headEnds: run.blocks.headEnds.slice(0, nb) });
    expect(upTo(MIN_BLOCKS_FOR_ESTIMATE - 1)).toBe(Infinity);
    const early = upTo(40);
    const late = upTo(400);
    expect(late).toBeLessThan(early);
    expect(late).toBeGreaterThan(0);
    expect(late).toBeLessThan(0.01);
  });

  test('a stall in one block of five barely moves it: the estimate is made of per-block medians', () => {
    const clean = pairedRun(400, 10, 1.05, 9);
    const stalled = pairedRun(400, 10, 1.05, 9);
    const random = mulberry32(4);
    for (let b = 0; b < 400; b++) if (random() < 0.2) stalled.samples.base[b * 10 + Math.floor(random() * 10)]! *= 20; // a 20 ms preemption
    const quiet = quickHalfWidth(clean.samples, clean.blocks);
    expect(quickHalfWidth(stalled.samples, stalled.blocks)).toBeLessThan(1.5 * quiet);
    expect(quiet).toBeLessThan(0.01);
  });
});

describe('epochs: the placement of a session in memory', () => {
  test("Student's t quantiles (two-sided) match the tables", () => {
    const table: [number, number, number][] = [[1, 0.95, 12.706], [2, 0.95, 4.303], [4, 0.95, 2.776], [9, 0.95, 2.262], [30, 0.95, 2.042], [4, 0.99, 4.604]];
    for (const [df, level, t] of table) expect(studentT(level, df)).toBeCloseTo(t, 2);
  });

  test('A/A whose sessions land up to ±4% apart: one pair of sessions is called changed; five epochs keep the interval around 1', () => {
    const outside = (run: Built, seed: number): boolean => {
      const p50 = metric(comparePairedStage(run.samples, run.blocks, () => 0.02, DEFAULT_SIGNIFICANCE, seed), 'p50');
      return p50.ci[0] > 0 || p50.ci[1] < 0;
    };
    let onePair = 0;
    let fiveEpochs = 0;
    for (let seed = 1; seed <= 20; seed++) {
      if (outside(pairedRun(200, 10, 1, seed, 1000, { epochs: 1, spread: 0.04 }), seed)) onePair++;
      if (outside(pairedRun(200, 10, 1, seed, 1000, { epochs: 5, spread: 0.04 }), seed)) fiveEpochs++;
    }
    // One placement for the whole run, measured to a fraction of a percent: 1 is mostly outside.
    expect(onePair).toBeGreaterThan(12);
    // Student's t over five epochs: a 95% interval misses 1 in about 1 of 20 runs.
    expect(fiveEpochs).toBeLessThanOrEqual(3);
  });

  test('a real 10% regression across five epochs stays regressed; the epochs give their ratios', () => {
    const run = pairedRun(200, 10, 1.1, 3, 1000, { epochs: 5, spread: 0.01 });
    const p50 = metric(comparePairedStage(run.samples, run.blocks, FIVE, DEFAULT_SIGNIFICANCE, 3), 'p50');
    expect(p50.verdict).toBe('regressed');
    const ratios = perEpochRatios(run.samples, run.blocks, 'p50');
    expect(ratios).toHaveLength(5);
    for (const r of ratios) expect(Math.abs(r - 1.1)).toBeLessThan(0.025);
    expect(comparePairedThroughput(run.blocks, 0.05, DEFAULT_SIGNIFICANCE, 3).verdict).toBe('regressed');
  });

  test('widenByEpochs returns the hull of both intervals, and the blocks\' interval alone with under two epochs', () => {
    expect(widenByEpochs([0.99, 1.01], [1], 0.95)).toEqual([0.99, 1.01]);
    const [lo, hi] = widenByEpochs([0.999, 1.001], [0.97, 1.03, 1.0, 0.98, 1.02], 0.95);
    expect(lo).toBeLessThan(0.99);
    expect(hi).toBeGreaterThan(1.01);
    // Already wider than the epochs say: unchanged.
    expect(widenByEpochs([0.5, 2], [0.99, 1.01, 1.0], 0.95)).toEqual([0.5, 2]);
  });
});
