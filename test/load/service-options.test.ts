import { describe, expect, it } from 'vitest';
import { parseRateList } from '../../src/load/rate-list.js';
import { resolveServiceOptions } from '../../src/load/service-options.js';
import { planSweep } from '../../src/sweep/plan.js';

describe('parseRateList', () => {
  it('takes one rate, a list, a factor range and a step range; fractions allowed', () => {
    expect(parseRateList('200')).toEqual([200]);
    expect(parseRateList('100,200,400')).toEqual([100, 200, 400]);
    expect(parseRateList('100..800:x2')).toEqual([100, 200, 400, 800]);
    expect(parseRateList('50..200:+50')).toEqual([50, 100, 150, 200]);
    expect(parseRateList('0.5')).toEqual([0.5]);
  });

  it.each([['0'], ['100,-5'], ['800..100:x2'], ['abc'], ['100..800:x1']])('refuses %s', (raw) => {
    expect(() => parseRateList(raw)).toThrow(/--rate/);
  });
});

describe('resolveServiceOptions', () => {
  it('is null without --rate, and refuses the serving knobs alone', () => {
    expect(resolveServiceOptions({})).toBeNull();
    expect(() => resolveServiceOptions({ maxBatch: 4 })).toThrow(/--max-batch needs --rate/);
    expect(() => resolveServiceOptions({ instances: 2, queueLimit: 5 })).toThrow(/--instances, --queue-limit need --rate/);
  });

  it('resolves the defaults: poisson, no batching, triton, one instance, unbounded queue', () => {
    expect(resolveServiceOptions({ rate: [100, 200], seed: 7 })).toMatchObject({
      rates: [100, 200],
      settings: { arrivals: 'poisson', seed: 7, maxBatch: 1, maxDelayMs: 0, batching: 'triton', instances: 1, queueLimit: null },
    });
  });

  it('refuses open loop mixed with closed-loop streams or a data pipeline, and a delay without batching', () => {
    expect(() => resolveServiceOptions({ rate: [100], concurrency: [2] })).toThrow(/pick one/);
    expect(() => resolveServiceOptions({ rate: [100], data: 'images/' })).toThrow(/synthetic inputs only/);
    expect(() => resolveServiceOptions({ rate: [100], maxDelayMs: 2 })).toThrow(/for nothing/);
    expect(() => resolveServiceOptions({ rate: [100], arrivals: 'trace' })).toThrow(/needs the trace file/);
    expect(() => resolveServiceOptions({ rate: [100], instances: 0 })).toThrow(/--instances/);
  });
});

describe('the rate axis in the plan', () => {
  it('is innermost, and each trial id carries its serving settings', () => {
    const specs = planSweep(
      { model: 'm.onnx', interThreads: null, graphOptimization: 'all' },
      { devices: ['cpu'], precisions: ['fp32'], threads: [1], batches: [1, 2], service: { rates: [100, 200], settings: { arrivals: 'constant', seed: 1, maxBatch: 8, maxDelayMs: 2, batching: 'timeout', instances: 2, queueLimit: 50 } } },
    );
    expect(specs.map((s) => s.id)).toEqual([
      'cpu fp32 batch=1 threads=1 rate=100/s arrivals=constant max-batch=8 delay=2ms batching=timeout instances=2 queue-limit=50',
      'cpu fp32 batch=1 threads=1 rate=200/s arrivals=constant max-batch=8 delay=2ms batching=timeout instances=2 queue-limit=50',
      'cpu fp32 batch=2 threads=1 rate=100/s arrivals=constant max-batch=8 delay=2ms batching=timeout instances=2 queue-limit=50',
      'cpu fp32 batch=2 threads=1 rate=200/s arrivals=constant max-batch=8 delay=2ms batching=timeout instances=2 queue-limit=50',
    ]);
    expect(specs[0]!.service).toMatchObject({ rate: 100, maxBatch: 8 });
  });
});
