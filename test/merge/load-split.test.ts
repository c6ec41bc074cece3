// Splitting one open-loop load over shards: the seed derivation (N = 1 unchanged, shards'
// streams distinct and disjoint stretches of the base stream), the superposition (N Poisson
// streams of R/N add up to about R·T arrivals with exponential gaps), and what cannot be split.
import { describe, expect, test } from 'vitest';
import { arrivalSchedule, MAX_SCHEDULED } from '../../src/load/arrivals.js';
import { loadSplitFor, shardSeed, splitSettings, type SplitRequest } from '../../src/merge/load-split.js';
import { error } from '../helpers/errors.js';

const poisson = (seed = 42): SplitRequest['service'] => ({ rates: [300], auto: false, settings: { arrivals: 'poisson', seed } });

describe('shardSeed', () => {
  test('one shard is the unsharded seed: --shard 1/1 offers exactly the unsharded arrivals', () => {
    for (const seed of [0, 42, 2 ** 32 - 1]) expect(shardSeed(seed, 1, 1)).toBe(seed);
    const split = loadSplitFor({ shard: { index: 1, count: 1 }, remote: true, service: poisson() })!;
    const settings = splitSettings({ rate: 300, seed: 42, arrivals: 'poisson' as const }, split);
    expect(settings).toEqual({ rate: 300, seed: 42, arrivals: 'poisson' });
  });

  test('shard I starts I·⌊2^32/(N+1)⌋ draws into the base stream (mulberry32 is a Weyl sequence), so streams never overlap', () => {
    for (const [seed, count] of [[42, 2], [7, 3], [2 ** 32 - 5, 256]] as const) {
      const stride = BigInt(Math.floor(2 ** 32 / (count + 1)));
      for (const index of [1, count]) {
        const expected = Number((BigInt(seed) + BigInt(index) * stride * 0x6d2b79f5n) % 2n ** 32n);
        expect(shardSeed(seed, index, count)).toBe(expected);
      }
    }
  });

  test('for every N up to 256, the N + 1 streams (unsharded and each shard) start more than one probe\'s arrivals apart', () => {
    // Position of a seed along the base stream: (seed' − seed) × increment⁻¹ mod 2^32.
    const M = 2n ** 32n;
    const inverse = (a: bigint): bigint => {
      let [r0, r1, s0, s1] = [a, M, 1n, 0n];
      while (r1 !== 0n) [r0, r1, s0, s1] = [r1, r0 % r1, s1, s0 - (r0 / r1) * s1];
      return ((s0 % M) + M) % M;
    };
    const inc = inverse(0x6d2b79f5n);
    const seed = 123456789n;
    for (let count = 1; count <= 256; count++) {
      const at = [0n, ...Array.from({ length: count }, (_, i) => ((((BigInt(shardSeed(Number(seed), i + 1, count)) - seed) % M) + M) % M * inc) % M)].sort((a, b) => (a < b ? -1 : 1));
      const gaps = at.map((p, k) => ((k + 1 < at.length ? at[k + 1]! : at[0]! + M) - p));
      if (count > 1) expect(gaps.every((g) => g > BigInt(MAX_SCHEDULED))).toBe(true);
    }
  });

  test('the shards\' seeds differ from each other and from the base seed, and so do their arrivals', () => {
    const seeds = [1, 2, 3].map((i) => shardSeed(42, i, 3));
    expect(new Set([42, ...seeds]).size).toBe(4);
    const gaps = seeds.map((seed) => arrivalSchedule({ kind: 'poisson', rate: 100, seed, count: 50 }).join(','));
    expect(new Set([arrivalSchedule({ kind: 'poisson', rate: 100, seed: 42, count: 50 }).join(','), ...gaps]).size).toBe(4);
  });

  test('N Poisson streams of R/N superpose into about R·T arrivals with exponential gaps', () => {
    const R = 600;
    const T = 20_000;
    for (const count of [2, 3, 5]) {
      const streams = Array.from({ length: count }, (_, i) => splitSettings({ rate: R, seed: 42 }, loadSplitFor({ shard: { index: i + 1, count }, remote: true, service: poisson() })));
      expect(streams.every((s) => s.rate === R / count)).toBe(true);
      const merged = streams.flatMap((s) => [...arrivalSchedule({ kind: 'poisson', rate: s.rate, seed: s.seed, durationMs: T })]).sort((a, b) => a - b);
      // A Poisson count of mean R·T has standard deviation √(R·T): within 4 of them (p ≈ 6e-5 of a false failure).
      const expected = (R * T) / 1000;
      expect(Math.abs(merged.length - expected)).toBeLessThan(4 * Math.sqrt(expected));
      // The superposition's gaps are exponential of mean 1/R: coefficient of variation 1 (a constant stream's would be 0).
      const gaps = merged.slice(1).map((t, k) => t - merged[k]!);
      const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
      const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / (gaps.length - 1));
      expect(mean).toBeCloseTo(1000 / R, 1);
      expect(Math.abs(sd / mean - 1)).toBeLessThan(0.05);
    }
  });
});

describe('loadSplitFor', () => {
  test('a URL under --rate is split; a model file, closed loop or no --shard splits the plan', () => {
    expect(loadSplitFor({ shard: { index: 2, count: 4 }, remote: true, service: poisson(9) })).toEqual({ index: 2, count: 4, baseSeed: 9, seed: shardSeed(9, 2, 4) });
    expect(loadSplitFor({ shard: { index: 2, count: 4 }, remote: false, service: poisson() })).toBeNull();
    expect(loadSplitFor({ shard: { index: 2, count: 4 }, remote: true, service: null })).toBeNull();
    expect(loadSplitFor({ shard: null, remote: true, service: poisson() })).toBeNull();
  });

  test('--rate auto cannot be split without a coordinator', () => {
    const e = error(() => loadSplitFor({ shard: { index: 1, count: 2 }, remote: true, service: { rates: [], auto: true, settings: { arrivals: 'poisson', seed: 42 } } }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe("--shard 1/2 with --rate auto cannot split a knee search against one endpoint: each probe's next rate depends on every shard's latencies, and shards do not talk to each other");
    expect(e.hint).toBe('find the knee from one process (--rate auto without --shard), then split that rate: --rate R --shard I/N');
  });

  test('constant arrivals and traces are refused: shards are not phase-locked', () => {
    const constant = error(() => loadSplitFor({ shard: { index: 1, count: 3 }, remote: true, service: { rates: [300], auto: false, settings: { arrivals: 'constant', seed: 42 } } }));
    expect(constant.message).toBe('--shard 1/3 with --arrivals constant: 3 constant streams of R/3 add up to a constant stream of R only if their phases are locked, and shards start when their machines start them');
    const trace = error(() => loadSplitFor({ shard: { index: 1, count: 3 }, remote: true, service: { rates: [300], auto: false, settings: { arrivals: 'trace', seed: 42 } } }));
    expect(trace.message).toBe('--shard 1/3 with a trace: 3 shards replaying it at R/3 send 3 shifted copies of the trace, not the trace at R');
    expect(trace.hint).toMatch(/^use --arrivals poisson/);
  });
});

describe('plan() under --shard with --rate', () => {
  test('a URL: every shard plans every trial (the load is split); a model file: its part of the plan', async () => {
    const { plan } = await import('../../src/profile.js');
    const ids = (model: string, index: number): string[] => plan({ model, rate: [100, 200, 400], shard: { index, count: 2 } }).map((s) => s.id);
    const url = 'http://127.0.0.1:9/v2/models/mlp';
    expect(ids(url, 1)).toEqual(ids(url, 2));
    expect(ids(url, 1)).toHaveLength(3);
    expect(ids('fixtures/mlp.onnx', 1)).toHaveLength(2);
    expect(ids('fixtures/mlp.onnx', 2)).toHaveLength(1);
  });
});
