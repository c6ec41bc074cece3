import { describe, expect, test } from 'vitest';
import { capacityOf, defaultDelaysMs, predictKnee, rankSettings, serviceTimeAt, simulate, type ServicePoint, type SimulatedSetting } from '../../src/load/batching-advice.js';

const single: SimulatedSetting = { maxBatch: 1, maxDelayMs: 0, batching: 'triton', instances: 1, itemsPerRequest: 1 };
/** A model whose per-item cost falls with batch size: 8 items cost 2.5× one. */
const sublinear: ServicePoint[] = [{ batch: 1, meanMs: 1, cv: 0 }, { batch: 8, meanMs: 2.5, cv: 0 }];
/** A model whose cost is linear in the batch: batching buys nothing. */
const linear: ServicePoint[] = [{ batch: 1, meanMs: 1, cv: 0 }, { batch: 8, meanMs: 8, cv: 0 }];

describe('S(b)', () => {
  test('interpolates between measured batch sizes and scales per item beyond them', () => {
    expect(serviceTimeAt(sublinear, 1).meanMs).toBe(1);
    expect(serviceTimeAt(sublinear, 4.5).meanMs).toBeCloseTo(1.75);
    expect(serviceTimeAt(sublinear, 16).meanMs).toBeCloseTo(5);
    expect(capacityOf(sublinear, { ...single, maxBatch: 8 })).toBeCloseTo(3200);
    expect(capacityOf(sublinear, { ...single, instances: 2 })).toBeCloseTo(2000);
    expect(defaultDelaysMs(sublinear, 1)).toEqual([0, 0.25, 0.5, 1]);
  });
});

describe('the queueing simulation', () => {
  test('one instance, no batching, Poisson arrivals: the mean agrees with Pollaczek–Khinchine', () => {
    // M/D/1 with S = 1 ms: W = λE[S²] / 2(1−ρ) + E[S]; at ρ = 0.5: 1.5 ms, at ρ = 0.8: 3 ms.
    for (const [rho, expected] of [[0.5, 1.5], [0.8, 3]] as const) {
      const run = simulate([{ batch: 1, meanMs: 1, cv: 0 }], single, rho * 1000, 0.99, 100_000);
      expect(run.meanMs / expected).toBeGreaterThan(0.95);
      expect(run.meanMs / expected).toBeLessThan(1.05);
      expect(run.meanBatch).toBe(1);
    }
    // M/M/1 (cv 1): W = S / (1 − ρ) = 2 ms at ρ = 0.5.
    const mm1 = simulate([{ batch: 1, meanMs: 1, cv: 1 }], single, 500, 0.99, 100_000);
    expect(mm1.meanMs / 2).toBeGreaterThan(0.93);
    expect(mm1.meanMs / 2).toBeLessThan(1.07);
  });

  test('timeout policy at a low rate: each request waits the full delay for a batch that never fills', () => {
    const run = simulate(sublinear, { ...single, maxBatch: 8, maxDelayMs: 5, batching: 'timeout' }, 10, 0.5);
    expect(run.percentileMs).toBeCloseTo(6, 1);
    // triton holds only while a full batch cannot form, never past the oldest request's delay: the same here…
    const triton = simulate(sublinear, { ...single, maxBatch: 8, maxDelayMs: 5, batching: 'triton' }, 10, 0.5);
    expect(triton.percentileMs).toBeCloseTo(6, 1);
    // …and with no delay a triton batcher sends what waits at once.
    expect(simulate(sublinear, { ...single, maxBatch: 8, maxDelayMs: 0 }, 10, 0.5).percentileMs).toBeCloseTo(1, 3);
  });

  test('near capacity batches fill up', () => {
    const run = simulate(sublinear, { ...single, maxBatch: 8, maxDelayMs: 1 }, 3000, 0.99);
    expect(run.meanBatch).toBeGreaterThan(6);
    expect(run.load).toBeCloseTo(3000 / 3200);
  });
});

describe('batching advice', () => {
  test('batching raises the knee of a model whose per-item cost falls with batch size', () => {
    const none = predictKnee(sublinear, single, 0.99, 10);
    const batched = predictKnee(sublinear, { ...single, maxBatch: 8, maxDelayMs: 0.5 }, 0.99, 10);
    expect(none.kneeRate).toBeLessThan(1000);
    expect(batched.kneeRate).toBeGreaterThan(1.5 * none.kneeRate);
    expect(batched.meanBatchAtKnee).toBeGreaterThan(2);
    const ranked = rankSettings(sublinear, { maxBatches: [1, 4, 8], maxDelaysMs: [0, 0.5, 1], batching: 'triton', instances: 1, itemsPerRequest: 1 }, 0.99, 10);
    expect(ranked[0]!.maxBatch).toBe(8);
    expect(ranked.at(-1)!.maxBatch).toBe(1);
    expect(ranked).toHaveLength(7);
  });

  test('on a model whose cost is linear in the batch, no batching is advised', () => {
    const ranked = rankSettings(linear, { maxBatches: [1, 8], maxDelaysMs: [0, 0.5, 1], batching: 'triton', instances: 1, itemsPerRequest: 1 }, 0.99, 10);
    expect(ranked[0]).toMatchObject({ maxBatch: 1, maxDelayMs: 0 });
  });

  test('a target below the service time: no rate meets it', () => {
    expect(predictKnee(sublinear, single, 0.99, 0.5).kneeRate).toBe(0);
  });
});
