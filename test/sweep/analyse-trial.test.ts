import { describe, expect, test } from 'vitest';
import { fallbackWarnings, OP_PROFILE_BUDGET_MS, opProfileRuns } from '../../src/sweep/analyse-trial.js';

test('a cuda trial that ran mostly on the CPU provider is called out; one that ran on the GPU is not', () => {
  const [warning] = fallbackWarnings('cuda', { CUDAExecutionProvider: 3, CPUExecutionProvider: 9 });
  expect(warning?.code).toBe('fallback');
  expect(warning?.message).toContain('device cuda: 9 of 12 nodes ran on the CPU execution provider');
  expect(fallbackWarnings('cuda', { CUDAExecutionProvider: 11, CPUExecutionProvider: 1 })).toEqual([]);
  expect(fallbackWarnings('cpu', { CPUExecutionProvider: 9 })).toEqual([]);
  expect(fallbackWarnings('webgpu', {})).toEqual([]);
});

test('more streams × threads than cores is called out, with the thread count that fits', async () => {
  const { oversubscription } = await import('../../src/sweep/run-spec.js');
  const spec = { id: 'x', model: 'm.onnx', precision: 'fp32' as const, device: 'cpu', batch: 1, threads: 1, interThreads: null, graphOptimization: 'all' as const };
  expect(oversubscription({ ...spec, concurrency: 2 }, 2)).toEqual([]);
  expect(oversubscription(spec, 2)).toEqual([]);
  const [warning] = oversubscription({ ...spec, concurrency: 4 }, 2);
  expect(warning).toEqual({ code: 'oversubscribed', message: '4 streams × 1 intra-op thread = 4 threads on 2 cores: requests queue in the OS scheduler, which shows in the tail latency — use at most 2 streams with --threads 1' });
  // the runtime's default is a thread per core, per stream
  expect(oversubscription({ ...spec, threads: null, concurrency: 2 }, 8)[0]?.message).toMatch(/^2 streams × 8 intra-op threads = 16 threads on 8 cores: .* use --threads 4 for 2 streams$/);
});

describe('opProfileRuns: the default per-operator pass stays within about 1 s of inference', () => {
  test.each([
    [0.5, 20], // a fast model gets the full 20 runs
    [50, 20],
    [200, 5],
    [2000, 1], // a slow one at least one
    [0, 20], // no p50 (nothing measured): the cap
  ])('p50 %f ms → %i runs', (p50Ms, runs) => {
    expect(opProfileRuns(p50Ms, 20)).toBe(runs);
  });

  test('the budget is 1 s', () => {
    expect(OP_PROFILE_BUDGET_MS).toBe(1000);
  });
});
