import { describe, expect, test } from 'vitest';
import { emptyShardMessage, inShard, parseShard, takeShard, type Shard } from '../../src/merge/shard.js';
import { plan } from '../../src/profile.js';
import type { ProfileOptions } from '../../src/profile-options.js';
import { planSweep, type SweepAxes } from '../../src/sweep/plan.js';
import { error } from '../helpers/errors.js';

describe('parseShard', () => {
  test.each([
    ['1/1', { index: 1, count: 1 }],
    ['2/4', { index: 2, count: 4 }],
    [' 3 / 3 ', { index: 3, count: 3 }],
    ['256/256', { index: 256, count: 256 }],
  ])('%j → %j', (raw, shard) => expect(parseShard(raw)).toEqual(shard));

  test.each([
    ['0/3', 'between 1 and 3'],
    ['4/3', 'between 1 and 3'],
    ['a/b', 'is not I/N'],
    ['1/0', 'between 1 and 256'],
    ['1/257', 'between 1 and 256'],
    ['2', 'is not I/N'],
    ['-1/3', 'is not I/N'],
    ['1.5/3', 'is not I/N'],
  ])('%j is refused: %s', (raw, says) => {
    const e = error(() => parseShard(raw));
    expect(e.code).toBe('usage');
    expect(e.message).toContain(says);
    expect(e.hint).toContain('--shard 2/4');
  });

  test('job/N takes the 0-based JOB_COMPLETION_INDEX of a Kubernetes Indexed Job', () => {
    expect(parseShard('job/4', { JOB_COMPLETION_INDEX: '0' })).toEqual({ index: 1, count: 4 });
    expect(parseShard('job/4', { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 4, count: 4 });
    expect(error(() => parseShard('job/4', {})).message).toBe('--shard job/4: JOB_COMPLETION_INDEX is not set');
    expect(error(() => parseShard('job/4', { JOB_COMPLETION_INDEX: '4' })).message).toBe('--shard job/4: JOB_COMPLETION_INDEX=4 is shard 5, but there are 4');
    expect(error(() => parseShard('job/4', { JOB_COMPLETION_INDEX: 'x' })).message).toContain("is not an index");
  });
});

/** Shards 1..n of `items`, each with its own positions. */
function allShards<T>(items: readonly T[], n: number, offset = 0): T[][] {
  return Array.from({ length: n }, (_, i) => takeShard(items, { index: i + 1, count: n, offset }));
}

function expectPartition<T>(items: readonly T[], parts: readonly T[][]): void {
  const taken = parts.flat();
  expect(taken).toHaveLength(items.length); // disjoint: nothing taken twice
  expect(new Set(taken)).toEqual(new Set(items)); // covering
  for (const part of parts) expect(part).toEqual(items.filter((x) => part.includes(x))); // plan order kept
}

const BASE = { model: 'm.onnx', interThreads: null, graphOptimization: 'all' as const };
/** The sweeps of the test suite and the docs, by their axes. */
const SWEEPS: SweepAxes[] = [
  { devices: ['cpu'], precisions: ['fp32'], threads: [null], batches: [null] },
  { devices: ['cpu', 'cuda'], precisions: ['fp32', 'int8'], threads: [1, null], batches: [1, 8] },
  { devices: ['cpu'], precisions: ['fp32'], threads: [1], batches: [1, 8], concurrency: [1, 4] },
  { devices: ['cpu'], precisions: ['fp32', 'fp16', 'int8', 'int8-static'], threads: [1, 2], batches: [1, 2, 4, 8, 16, 32, 64] },
  { devices: ['cpu', 'webgpu'], precisions: ['fp32'], threads: [null], batches: [1, 8, 32], outputs: ['drop', 'reuse', 'fetches'] },
  { devices: ['cpu'], precisions: ['fp32', 'fp16', 'int8-static'], threads: [1], batches: [1, 4, 16] },
];

describe('a plan split into N shards', () => {
  test.each(SWEEPS.map((axes, i) => [i, axes] as const))('sweep %i: for N = 1…7 the shards are disjoint, cover the plan and keep its order', (_, axes) => {
    const specs = planSweep(BASE, axes);
    for (let n = 1; n <= 7; n++) expectPartition(specs.map((s) => s.id), allShards(specs, n).map((part) => part.map((s) => s.id)));
  });

  test('every size 0…40 and N = 1…12: shard sizes differ by at most one (round-robin)', () => {
    for (let size = 0; size <= 40; size++) {
      const items = Array.from({ length: size }, (_, i) => i);
      for (let n = 1; n <= 12; n++) {
        const parts = allShards(items, n);
        expectPartition(items, parts);
        const sizes = parts.map((p) => p.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
  });

  test('a run of several models: each model is sharded at its offset in the run\'s plan, and the union is the run\'s plan', () => {
    const sizes = [5, 1, 7, 3];
    const run = sizes.flatMap((size, m) => Array.from({ length: size }, (_, i) => `m${m}:${i}`));
    for (let n = 1; n <= 7; n++) {
      for (let index = 1; index <= n; index++) {
        let offset = 0;
        const taken = sizes.flatMap((size, m) => {
          const part = takeShard(run.slice(offset, offset + size), { index, count: n, offset });
          offset += size;
          return part;
        });
        expect(taken).toEqual(takeShard(run, { index, count: n }));
      }
    }
  });

  test('profile\'s plan() with --shard is the shard\'s part of the unsharded plan', () => {
    const options: ProfileOptions = { model: 'fixtures/cnn.onnx', batch: [1, 2, 4, 8], precision: ['fp32', 'int8'], threads: [1, 2], concurrency: [1, 2] };
    const whole = plan(options).map((s) => s.id);
    for (let n = 1; n <= 7; n++) {
      const parts = Array.from({ length: n }, (_, i) => plan({ ...options, shard: { index: i + 1, count: n } }).map((s) => s.id));
      expectPartition(whole, parts);
    }
  });

  test('inShard is position mod N from the offset', () => {
    const shard: Shard = { index: 2, count: 3, offset: 4 };
    expect([0, 1, 2, 3, 4, 5].filter((j) => inShard(shard, j))).toEqual([0, 3]);
  });

  test('a shard with nothing to do says which shards measure the plan', () => {
    expect(emptyShardMessage({ index: 5, count: 7 }, 3)).toBe('shard 5/7 has nothing to do: the plan has 3 trials, which shards 1–3 measure');
    expect(takeShard([1, 2, 3], { index: 5, count: 7 })).toEqual([]);
  });

  test('a library shard is checked like the flag', () => {
    expect(error(() => plan({ model: 'fixtures/cnn.onnx', shard: { index: 0, count: 3 } })).message).toBe('shard 0/3 is not a shard');
    expect(error(() => plan({ model: 'fixtures/cnn.onnx', shard: { index: 2.5, count: 3 } })).code).toBe('usage');
  });
});
