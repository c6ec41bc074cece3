import { describe, expect, it } from 'vitest';
import { roofline } from '../../src/analyze/roofline.js';

describe('roofline', () => {
  it('below the ridge point: memory-bound, fraction of the bandwidth roof', () => {
    // 2 GFLOP and 1 GB in 0.5 s → 4 GFLOP/s, 2 GB/s, intensity 2; ridge 100 / 10 = 10;
    // roof at intensity 2 = 2 · 10 = 20 GFLOP/s → 4 / 20 = 0.2 (= 2 GB/s of 10 GB/s)
    expect(roofline(2e9, 1e9, 0.5, { gflops: 100, gbps: 10 })).toEqual({
      achievedGflops: 4,
      achievedGbps: 2,
      arithmeticIntensity: 2,
      machineBalance: 10,
      attainableGflops: 20,
      bound: 'memory',
      fractionOfPeak: 0.2,
    });
  });

  it('above the ridge point: compute-bound, fraction of peak compute', () => {
    // 1 GFLOP, 10 MB, 0.1 s → 10 GFLOP/s, 0.1 GB/s, intensity 100 > 10; roof 100 → 0.1
    expect(roofline(1e9, 1e7, 0.1, { gflops: 100, gbps: 10 })).toMatchObject({
      achievedGflops: 10,
      arithmeticIntensity: 100,
      attainableGflops: 100,
      bound: 'compute',
      fractionOfPeak: 0.1,
    });
  });

  it('exactly at the ridge point counts as compute-bound', () => {
    expect(roofline(10, 1, 1, { gflops: 100, gbps: 10 }).bound).toBe('compute');
  });

  it('refuses meaningless inputs', () => {
    expect(() => roofline(1, 1, 0, { gflops: 1, gbps: 1 })).toThrow(RangeError);
    expect(() => roofline(1, 0, 1, { gflops: 1, gbps: 1 })).toThrow(RangeError);
    expect(() => roofline(1, 1, 1, { gflops: 0, gbps: 1 })).toThrow(RangeError);
  });
});
