// The classifier on a truth table of scenarios built to be each kind. Labels, confidences and
// the deciding evidence are asserted exactly: the rules are pure functions of these numbers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/analyze/classify.js';
import { opCost } from '../../src/analyze/flops.js';
import { roofline } from '../../src/analyze/roofline.js';
import type { ClassifierInput, UtilisationInput } from '../../src/model/bottleneck.js';

const idleUtilisation: UtilisationInput = {
  sampleCount: 50, cpuTotalPct: 5, cpuCoreMaxPct: 8, processCpuPctOfCore: 5, iowaitPct: 0.2, diskReadBytesPerSec: 0, gpuUtilPct: null,
};
const base: ClassifierInput = {
  stages: { preprocess: 0.01, inference: 0.98, postprocess: 0.01 },
  utilisation: null, threads: null, logicalCores: 2, batch: 1, device: 'cpu', precision: 'fp32', roofline: null,
};
const ids = (b: ReturnType<typeof classify>) => b.recommendations.map((r) => r.id);
const metric = (b: ReturnType<typeof classify>, name: string) => b.evidence.find((e) => e.metric === name);

/** utilization.gpu of one GPU from the sampler's recorded nvidia-smi CSV (index, util, ...). */
function recordedGpuUtil(file: string, index: number): number[] {
  return readFileSync(file, 'utf8').trim().split(/\r?\n/)
    .map((line) => line.split(',').map((c) => c.trim()))
    .filter((cells) => Number(cells[0]) === index && /^\d+$/.test(cells[1] ?? ''))
    .map((cells) => Number(cells[1]));
}
const round = (x: number) => Math.round(x * 1000) / 1000;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('classify: truth table', () => {
  it('heavy CPU preprocess → cpu-bound, preprocess named with its share', () => {
    // The model itself sits above the ridge (compute) on a 50 GFLOP/s, 10 GB/s machine, far
    // under the roof (4 GFLOP/s of 50).
    const position = roofline(64e6, 2.56e6, 0.016, { gflops: 50, gbps: 10 });
    const b = classify({
      ...base,
      stages: { preprocess: 0.6, inference: 0.35, postprocess: 0.05 },
      utilisation: { ...idleUtilisation, cpuTotalPct: 55, cpuCoreMaxPct: 97, processCpuPctOfCore: 104 },
      roofline: position,
    });
    expect(b.label).toBe('cpu-bound');
    // preprocess 0.6·1 + inference 0.35·0.6 (above ridge, threads not saturated) + postprocess 0.05·1
    expect(b.confidence).toBe(0.86);
    expect(metric(b, 'preprocess share of request')).toEqual({ metric: 'preprocess share of request', value: 0.6, unit: 'fraction', threshold: 0.2 });
    expect(metric(b, 'arithmetic intensity')).toEqual({ metric: 'arithmetic intensity', value: 25, unit: 'FLOP/byte', threshold: 5 });
    expect(b.stages.map((s) => [s.stage, s.label])).toEqual([['preprocess', 'cpu-bound'], ['inference', 'cpu-bound'], ['postprocess', 'cpu-bound']]);
    expect(ids(b)).toEqual(expect.arrayContaining(['offload-preprocess', 'parallelise-host-work']));
    expect(b.rules.find((r) => r.rule === 'serial-cpu')?.status).toBe('bound');
    expect(b.summary).toBe('preprocess is CPU-bound and takes 60% of the request; inference is CPU-bound and takes 35% of the request; postprocess is CPU-bound and takes 5% of the request');
  });

  it('memory-bound model: big weights at batch 1, low arithmetic intensity', () => {
    // One 4096×4096 fp32 MatMul at batch 1, weight pre-packed: 2·4096² FLOP over 64 MiB + 32 KiB.
    const cost = opCost('MatMul', [{ type: 'float', dims: [1, 4096] }], [{ type: 'float', dims: [1, 4096] }]);
    expect(cost).toEqual({ flops: 33_554_432, bytes: 67_141_632 });
    // it streams at 7 GB/s on a machine with 8 GB/s and 40 GFLOP/s peaks (ridge 5 FLOP/byte)
    const position = roofline(cost.flops!, cost.bytes, cost.bytes / 7e9, { gflops: 40, gbps: 8 });
    const b = classify({
      ...base,
      utilisation: { ...idleUtilisation, cpuTotalPct: 96, cpuCoreMaxPct: 98, processCpuPctOfCore: 190 },
      roofline: position,
    });
    expect(b.label).toBe('memory-bound');
    expect(b.confidence).toBe(0.98);
    const ai = metric(b, 'arithmetic intensity')!;
    expect(ai.value).toBeCloseTo(33_554_432 / 67_141_632, 12);
    expect(ai.threshold).toBe(5);
    expect(metric(b, 'fraction of roof')!.value).toBeCloseTo(0.875, 12);
    expect(ids(b)).toEqual(expect.arrayContaining(['increase-batch', 'quantize-int8']));
    expect(ids(b)).not.toContain('more-threads');
  });

  it('I/O-bound: high iowait while loading inputs takes most of the request', () => {
    const b = classify({
      ...base,
      stages: { load: 0.62, preprocess: 0.08, inference: 0.28, postprocess: 0.02 },
      utilisation: { ...idleUtilisation, cpuTotalPct: 30, cpuCoreMaxPct: 45, processCpuPctOfCore: 40, iowaitPct: 35, diskReadBytesPerSec: 180e6 },
    });
    expect(b.label).toBe('io-bound');
    expect(b.confidence).toBe(0.62);
    expect(metric(b, 'load share of request')).toEqual({ metric: 'load share of request', value: 0.62, unit: 'fraction', threshold: 0.2 });
    expect(metric(b, 'iowait')).toEqual({ metric: 'iowait', value: 35, unit: '%', threshold: 10 });
    expect(metric(b, 'disk reads')).toEqual({ metric: 'disk reads', value: 180e6, unit: 'B/s', threshold: null });
    expect(ids(b)).toEqual(expect.arrayContaining(['prefetch-inputs', 'cache-inputs', 'faster-storage']));
    expect(ids(b)).not.toContain('check-input-source');
    // inference has no roofline and idle threads: unclassified, and said so
    expect(b.stages.find((s) => s.stage === 'inference')?.label).toBe('unknown');
  });

  it('loading from the page cache (no iowait) is CPU work, not I/O', () => {
    const b = classify({ ...base, stages: { load: 0.5, inference: 0.5 }, utilisation: { ...idleUtilisation, iowaitPct: 0.5, processCpuPctOfCore: 195 } });
    expect(b.stages.find((s) => s.stage === 'load')?.label).toBe('cpu-bound');
    expect(b.label).toBe('cpu-bound');
  });

  it('a load stage that waits without iowait (a slow stream) is I/O; one that parses flat out is CPU', () => {
    // load 90% of the request, 1 thread: the other stages explain at most 0.1 core
    const waiting = classify({ ...base, threads: 1, stages: { load: 0.9, inference: 0.1 }, utilisation: { ...idleUtilisation, iowaitPct: 0, processCpuPctOfCore: 15 } });
    expect(waiting.stages.find((s) => s.stage === 'load')).toMatchObject({ label: 'io-bound', rules: ['load-share', 'load-wait'] });
    expect(waiting.label).toBe('io-bound');
    expect(waiting.confidence).toBe(0.72); // 0.9 share · strength 0.8
    // (0.15 − 0.1) cores over 0.9 of the time: busy 5.6% of the load stage
    expect(metric(waiting, 'load stage busy (CPU time / wall time)')!.value).toBeCloseTo(0.05 / 0.9, 12);
    expect(ids(waiting)).toEqual(expect.arrayContaining(['prefetch-inputs', 'check-input-source']));
    expect(ids(waiting)).not.toContain('faster-storage'); // the disk is not what it waits on
    const parsing = classify({ ...base, threads: 1, stages: { load: 0.9, inference: 0.1 }, utilisation: { ...idleUtilisation, iowaitPct: 0, processCpuPctOfCore: 98 } });
    expect(parsing.stages.find((s) => s.stage === 'load')?.label).toBe('cpu-bound');
    expect(parsing.rules.find((r) => r.rule === 'load-wait')?.status).toBe('not-bound');
  });

  it('GPU-bound from recorded nvidia-smi utilisation (GPU 0 of test/data/nvidia-smi-2gpu.csv)', () => {
    const util = recordedGpuUtil('test/data/nvidia-smi-2gpu.csv', 0);
    expect(util).toEqual([81, 96, 95]);
    const b = classify({
      ...base,
      device: 'cuda',
      stages: { preprocess: 0.03, inference: 0.95, postprocess: 0.02 },
      utilisation: { ...idleUtilisation, cpuTotalPct: 50, processCpuPctOfCore: 100, gpuUtilPct: mean(util) },
    });
    expect(b.label).toBe('gpu-bound');
    expect(b.confidence).toBe(0.95);
    expect(metric(b, 'GPU utilisation')).toEqual({ metric: 'GPU utilisation', value: 272 / 3, unit: '%', threshold: 80 });
    expect(ids(b)).toContain('use-fp16');
  });

  it('a GPU that idles half the time while the host saturates → cpu-bound, feed the GPU', () => {
    // test/data/nvidia-smi-1gpu.csv ramps 0 → 100 → 12: mean 57.7%, only partly busy
    const ramp = mean(recordedGpuUtil('test/data/nvidia-smi-1gpu.csv', 0));
    expect(ramp).toBeCloseTo(346 / 6, 10);
    const partly = classify({ ...base, device: 'cuda', utilisation: { ...idleUtilisation, gpuUtilPct: ramp } });
    expect(partly.label).toBe('gpu-bound');
    expect(partly.confidence).toBe(0.49); // 0.98 · strength 0.5
    const starved = classify({ ...base, device: 'cuda', utilisation: { ...idleUtilisation, gpuUtilPct: 20, processCpuPctOfCore: 196 } });
    expect(starved.label).toBe('cpu-bound');
    expect(ids(starved)).toContain('feed-the-gpu');
  });

  it('CPU saturated on fewer threads than cores → cpu-bound, more threads', () => {
    const b = classify({ ...base, threads: 1, utilisation: { ...idleUtilisation, processCpuPctOfCore: 99 } });
    expect(b.label).toBe('cpu-bound');
    expect(metric(b, 'process CPU per available thread')).toEqual({ metric: 'process CPU per available thread', value: 0.99, unit: 'fraction', threshold: 0.9 });
    expect(ids(b)).toEqual(expect.arrayContaining(['more-threads', 'try-gpu', 'quantize-int8']));
  });

  it('inconclusive when utilisation and the roofline are missing', () => {
    const b = classify(base);
    expect(b.label).toBe('inconclusive');
    expect(b.confidence).toBe(0);
    expect(metric(b, 'inference share of request (unclassified)')?.value).toBe(0.98);
    expect(ids(b)).toEqual(['collect-more-data']);
    // It names both missing sources and the flags that bring them back.
    expect(b.recommendations[0]?.text).toBe('collect what is missing: no roofline position: no per-operator profile and calibration; utilisation samples (sampling was off: drop --no-sample)');
    expect(b.summary).toBe('inconclusive: inference is unclassified and takes 98% of the request');
  });

  it('inconclusive advice names only what the run lacks, never data it has', () => {
    // Sampled, threads half idle, no core pinned, and the op profile switched off.
    const b = classify({ ...base, utilisation: { ...idleUtilisation, cpuTotalPct: 60, cpuCoreMaxPct: 70, processCpuPctOfCore: 110 }, rooflineMissing: 'the per-operator profile was off (drop --no-op-profile)' });
    expect(b.label).toBe('inconclusive');
    expect(b.recommendations).toEqual([{ id: 'collect-more-data', text: 'collect what is missing: no roofline position: the per-operator profile was off (drop --no-op-profile)', why: 'no data for: roofline' }]);
    // A run too short for one sample says that, not "turn sampling on".
    const short = classify({ ...base, utilisation: { ...idleUtilisation, sampleCount: 0 } });
    expect(short.recommendations[0]?.text).toContain('shorter than one sampling interval');
    expect(short.recommendations[0]?.text).not.toContain('--no-sample');
  });

  it('above the ridge and near the compute roof → cpu-bound at full strength, even with idle threads', () => {
    // 40 of 50 GFLOP/s at intensity 25 (ridge 5), while the process keeps 1.2 of 2 threads busy
    // and other processes fill the machine.
    const position = roofline(64e6, 2.56e6, 0.0016, { gflops: 50, gbps: 10 });
    const b = classify({ ...base, utilisation: { ...idleUtilisation, cpuTotalPct: 98, cpuCoreMaxPct: 100, processCpuPctOfCore: 120 }, roofline: position });
    expect(b.label).toBe('cpu-bound');
    expect(b.confidence).toBe(1); // pre/postprocess (CPU, 2%) + inference 98% × strength 1
    expect(b.stages[0]).toMatchObject({ stage: 'inference', label: 'cpu-bound', strength: 1, rules: ['roofline'] });
    // Other processes explain the idle threads: no thread advice then.
    expect(ids(b)).toContain('other-load');
    expect(ids(b)).not.toContain('idle-threads');
    expect(b.recommendations.find((r) => r.id === 'other-load')?.why).toBe('the machine had 1.96 of 2 cores busy, this process 1.20');
  });

  it('107% of one core with 2 threads and no roofline → cpu-bound on a serial path, with thread advice', () => {
    const b = classify({ ...base, utilisation: { ...idleUtilisation, cpuTotalPct: 55, cpuCoreMaxPct: 100, processCpuPctOfCore: 107 } });
    expect(b.label).toBe('cpu-bound');
    expect(b.confidence).toBe(round(0.02 + 0.98 * 0.6)); // host stages at 1, inference at 0.6
    expect(b.stages[0]).toMatchObject({ stage: 'inference', label: 'cpu-bound', rules: ['serial-cpu'] });
    expect(ids(b)).toEqual(expect.arrayContaining(['idle-threads', 'parallelise-host-work']));
    expect(ids(b)).not.toContain('other-load');
    expect(b.recommendations.find((r) => r.id === 'idle-threads')?.why).toBe('inference kept 1.07 of its 2 threads busy (54%, below 90%)');
    expect(b.recommendations.find((r) => r.id === 'idle-threads')?.text).toContain('--threads 1,2');
  });

  it('inconclusive with nothing at all, and with samples that hold no data', () => {
    expect(classify({ ...base, stages: null }).label).toBe('inconclusive');
    const empty = classify({ ...base, utilisation: { ...idleUtilisation, sampleCount: 0 } });
    expect(empty.label).toBe('inconclusive');
    expect(empty.rules.every((r) => r.status === 'no-data' || r.resource === 'stage')).toBe(true);
  });

  it('per-stage verdict: memory-bound inference beside a CPU-heavy preprocess', () => {
    const position = roofline(1e6, 4e6, 0.001, { gflops: 40, gbps: 8 }); // intensity 0.25
    const b = classify({ ...base, stages: { preprocess: 0.4, inference: 0.55, postprocess: 0.05 }, utilisation: idleUtilisation, roofline: position });
    expect(b.label).toBe('memory-bound');
    expect(b.summary).toBe('inference is memory-bound and takes 55% of the request; preprocess is CPU-bound and takes 40% of the request; postprocess is CPU-bound and takes 5% of the request');
    // 4 GB/s of 8: half the roof, so full strength
    expect(b.confidence).toBe(0.55);
  });
});

describe('classify: allocation (page faults and GC of fresh output buffers)', () => {
  // A constructed fault-heavy case, shaped like the 4 MiB-output fixture with --outputs drop on
  // the development VM: 700 faults and 14 ms in the kernel per 18 ms request, CPU saturated.
  const faultHeavy: ClassifierInput = {
    ...base,
    utilisation: { ...idleUtilisation, cpuTotalPct: 52, cpuCoreMaxPct: 99, processCpuPctOfCore: 100 },
    threads: 1,
    allocation: { wallPerIterationMs: 18, minorFaultsPerIteration: 700, systemCpuPerIterationMs: 14, gcPausePerIterationMs: 2, outputBytesPerIteration: 4 * 2 ** 20, inferenceFaultsPerIteration: 690 },
  };

  it('memory-bound with the faults, kernel share and output bytes as evidence, and output-buffer advice', () => {
    const b = classify(faultHeavy);
    expect(b.label).toBe('memory-bound');
    expect(b.stages.find((s) => s.stage === 'inference')).toMatchObject({ label: 'memory-bound', rules: ['allocation'] });
    expect(metric(b, 'minor page faults per request')).toEqual({ metric: 'minor page faults per request', value: 700, unit: 'faults', threshold: 64 });
    expect(metric(b, 'kernel CPU share of wall time')).toEqual({ metric: 'kernel CPU share of wall time', value: 14 / 18, unit: 'fraction', threshold: 0.2 });
    expect(metric(b, 'page faults in run() per request')?.value).toBe(690);
    expect(metric(b, 'output bytes per request')?.value).toBe(4 * 2 ** 20);
    // 14/18 of the wall in the kernel is over twice the 20% bar: full strength; inference is 98%.
    expect(b.confidence).toBe(0.98);
    expect(ids(b).slice(0, 2)).toEqual(['reuse-outputs', 'allocator-settings']);
    // Not the model's arithmetic: int8 weights would not help.
    expect(ids(b)).not.toContain('quantize-int8');
    expect(b.recommendations[0]?.why).toBe('700 page faults, 14.00 ms in the kernel and 2.00 ms of GC per 18.00 ms request for 4.0 MiB of outputs');
  });

  it('GC pauses alone can decide it; a few faults or a small kernel share cannot', () => {
    const gcOnly = classify({ ...faultHeavy, allocation: { ...faultHeavy.allocation!, systemCpuPerIterationMs: 0.5, gcPausePerIterationMs: 6 } });
    expect(gcOnly.label).toBe('memory-bound');
    const fewFaults = classify({ ...faultHeavy, allocation: { ...faultHeavy.allocation!, minorFaultsPerIteration: 10 } });
    expect(fewFaults.label).toBe('cpu-bound');
    expect(fewFaults.rules.find((r) => r.rule === 'allocation')?.status).toBe('not-bound');
    const cheap = classify({ ...faultHeavy, allocation: { ...faultHeavy.allocation!, systemCpuPerIterationMs: 1, gcPausePerIterationMs: 1 } });
    expect(cheap.label).toBe('cpu-bound');
    expect(ids(cheap)).not.toContain('reuse-outputs');
  });

  it('no allocation data is a no-data verdict, not a guess', () => {
    const b = classify({ ...faultHeavy, allocation: null });
    expect(b.rules.find((r) => r.rule === 'allocation')).toMatchObject({ status: 'no-data' });
    expect(b.label).toBe('cpu-bound');
  });
});
