import { describe, expect, it } from 'vitest';
import type { CpuShares, GpuReading, Sample, SampleSeries } from '../../src/model/samples.js';
import { rateStat, summarizeSamples, weightedStat } from '../../src/sample/summary.js';

const shares = (user: number, system: number, iowait = 0, steal = 0): CpuShares => ({
  user,
  system,
  iowait,
  steal,
  idle: 1 - user - system - iowait - steal,
});

const gpu = (index: number, utilizationPct: number | null, powerW: number | null): GpuReading => ({
  index,
  utilizationPct,
  memoryUtilizationPct: 10,
  memoryUsedBytes: 1000,
  memoryTotalBytes: 4000,
  powerW,
  smClockMHz: 1500,
  temperatureC: 60,
});

function sample(i: number, over: Partial<Sample>): Sample {
  return {
    tMs: 100 * (i + 1),
    intervalMs: 100,
    trial: 't',
    phase: 'measure',
    cpu: null,
    cores: null,
    processCpuUser: null,
    processCpuSystem: null,
    processThreads: null,
    processRssBytes: null,
    processReadBytes: null,
    processWriteBytes: null,
    heap: null,
    eventLoopUtilization: null,
    memoryAvailableBytes: null,
    memoryTotalBytes: null,
    swapInPages: null,
    swapOutPages: null,
    diskReadBytes: null,
    diskWriteBytes: null,
    gpus: [],
    ...over,
  };
}

function series(samples: Sample[], notes: string[] = []): SampleSeries {
  return { intervalMs: 100, pid: 1, source: 'proc', logicalCores: 4, samples, marks: [], notes };
}

describe('weightedStat and rateStat', () => {
  it('weights by interval, falls back to a plain mean with zero weights', () => {
    expect(weightedStat([{ value: 10, weightMs: 100 }, { value: 40, weightMs: 50 }])).toEqual({ mean: 20, max: 40 });
    expect(weightedStat([{ value: 1, weightMs: 0 }, { value: 3, weightMs: 0 }])).toEqual({ mean: 2, max: 3 });
    expect(weightedStat([])).toBeNull();
  });

  it('rates are total over total time; max is the busiest interval', () => {
    const s = [sample(0, { diskReadBytes: 1000 }), sample(1, { diskReadBytes: 3000, intervalMs: 200 }), sample(2, { diskReadBytes: 0, intervalMs: 0 })];
    expect(rateStat(s, (x) => x.diskReadBytes)).toEqual({ mean: (4000 * 1000) / 300, max: 15000 });
    expect(rateStat([sample(0, {})], (x) => x.diskReadBytes)).toBeNull();
  });
});

describe('summarizeSamples', () => {
  const measured = [
    sample(0, {
      cpu: shares(0.5, 0.25, 0.125),
      cores: [shares(1, 0), shares(0.5, 0), shares(0.25, 0.25), shares(0, 0)],
      processCpuUser: 1.5,
      processCpuSystem: 0.5,
      processThreads: 10,
      processRssBytes: 1000,
      heap: { heapUsedBytes: 50, heapTotalBytes: 80, externalBytes: 7, arrayBuffersBytes: 3 },
      memoryAvailableBytes: 9000,
      swapInPages: 0,
      swapOutPages: 10,
      diskReadBytes: 2000,
      diskWriteBytes: 0,
      processReadBytes: 100,
      processWriteBytes: 0,
      eventLoopUtilization: 0.2,
      gpus: [gpu(0, 90, 200), gpu(1, 10, null)],
    }),
    sample(1, {
      cpu: shares(0.25, 0.25, 0.375, 0.125),
      cores: [shares(0.5, 0), shares(0.5, 0.25), shares(0, 0), shares(0, 0)],
      processCpuUser: 0.5,
      processCpuSystem: 0.5,
      processThreads: 12,
      processRssBytes: 3000,
      heap: { heapUsedBytes: 60, heapTotalBytes: 80, externalBytes: 5, arrayBuffersBytes: 4 },
      memoryAvailableBytes: 8000,
      swapInPages: 20,
      swapOutPages: 30,
      diskReadBytes: 0,
      diskWriteBytes: 500,
      processReadBytes: 300,
      processWriteBytes: 100,
      eventLoopUtilization: 0.4,
      gpus: [gpu(0, 70, 100), gpu(1, 30, null)],
    }),
  ];
  const others = [
    sample(2, { phase: 'warmup', cpu: shares(1, 0), processRssBytes: 99999 }),
    sample(3, { trial: 'u', cpu: shares(1, 0), processRssBytes: 99999 }),
  ];

  it('means and maxima over the tagged window only, with exact answers', () => {
    const s = summarizeSamples(series([...measured, ...others], ['nvidia-smi not found']), { trial: 't', phase: 'measure' });
    expect(s).toMatchObject({ trial: 't', phase: 'measure', sampleCount: 2, durationMs: 200 });
    expect(s.cpuTotalPct).toEqual({ mean: 62.5, max: 75 });
    expect(s.cpuCoreMaxPct).toEqual({ mean: 87.5, max: 100 });
    expect(s.iowaitPct).toEqual({ mean: 25, max: 37.5 });
    expect(s.stealPct).toEqual({ mean: 6.25, max: 12.5 });
    expect(s.processCpuPctOfCore).toEqual({ mean: 150, max: 200 });
    expect(s.processCpuPctOfMachine).toEqual({ mean: 37.5, max: 50 });
    expect(s.processThreads).toEqual({ mean: 11, max: 12 });
    expect(s.rssMaxBytes).toBe(3000);
    expect([s.heapUsedMaxBytes, s.externalMaxBytes, s.arrayBuffersMaxBytes]).toEqual([60, 7, 4]);
    expect(s.memoryAvailableMinBytes).toBe(8000);
    expect(s.swapInPagesPerSec).toEqual({ mean: 100, max: 200 });
    expect(s.swapOutPagesPerSec).toEqual({ mean: 200, max: 300 });
    expect(s.diskReadBytesPerSec).toEqual({ mean: 10000, max: 20000 });
    expect(s.diskWriteBytesPerSec).toEqual({ mean: 2500, max: 5000 });
    expect(s.processReadBytesPerSec).toEqual({ mean: 2000, max: 3000 });
    expect(s.processWriteBytesPerSec).toEqual({ mean: 500, max: 1000 });
    expect(s.eventLoopUtilization?.mean).toBeCloseTo(0.3, 12);
    expect(s.eventLoopUtilization?.max).toBe(0.4);
    expect(s.gpus).toEqual([
      { index: 0, utilizationPct: { mean: 80, max: 90 }, memoryUtilizationPct: { mean: 10, max: 10 }, memoryUsedBytes: { mean: 1000, max: 1000 }, powerW: { mean: 150, max: 200 }, smClockMHz: { mean: 1500, max: 1500 }, temperatureC: { mean: 60, max: 60 } },
      { index: 1, utilizationPct: { mean: 20, max: 30 }, memoryUtilizationPct: { mean: 10, max: 10 }, memoryUsedBytes: { mean: 1000, max: 1000 }, powerW: null, smClockMHz: { mean: 1500, max: 1500 }, temperatureC: { mean: 60, max: 60 } },
    ]);
    expect(s.notes).toEqual(['nvidia-smi not found']);
  });

  it('absent metrics are null, and an empty window says why', () => {
    const empty = summarizeSamples(series(others), { trial: 't', phase: 'measure' });
    expect(empty.sampleCount).toBe(0);
    expect(empty.cpuTotalPct).toBeNull();
    expect(empty.rssMaxBytes).toBeNull();
    expect(empty.gpus).toEqual([]);
    expect(empty.notes).toEqual(['no sample is tagged t / measure: the phase was shorter than the 100 ms sample interval, or sampling was off']);

    const anyTrial = summarizeSamples(series([...measured, ...others]), { phase: 'measure' });
    expect(anyTrial.sampleCount).toBe(3);
    expect(anyTrial.rssMaxBytes).toBe(99999);
  });
});
