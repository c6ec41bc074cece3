// The analysis fields of a real trial: `inferbench profile fixtures/cnn.onnx -n 200 -w 20
// --op-profile --json --no-save` on a 2-core machine (onnxruntime-node 1.30.0, cached
// calibration), numbers rounded to six significant digits and the trial id renamed to match the
// sample report. The calibration ran while the machine was busy, so the trial sits above the roof
// (fractionOfPeak 2.71): exactly the case the report's calibration note is for.

import type { Report, SampleSeries, TrialOk } from '../../src/types.js';
import { sampleReport } from '../helpers/sample-report.js';

export type AnalysisFields = Required<Pick<TrialOk, 'providers' | 'opProfile' | 'cost' | 'roofline' | 'bottleneck' | 'utilisation'>>;

export function cnnAnalysis(): AnalysisFields {
  return {
    providers: { CPUExecutionProvider: 9 },
    opProfile: {
      runs: 20,
      inferenceUs: 15757,
      kernelUs: 15137,
      nodes: [
        {
          node: 'relu_5_nchwc',
          opType: 'Conv',
          provider: 'CPUExecutionProvider',
          count: 20,
          totalUs: 7470,
          inputs: [
            { type: 'float', dims: [1, 32, 32, 32] },
            { type: 'float', dims: [64, 32, 3, 3] },
            { type: 'float', dims: [64] },
          ],
          outputs: [{ type: 'float', dims: [1, 64, 32, 32] }],
          meanUs: 373.5,
          shareOfInference: 0.474075,
        },
        {
          node: 'relu_8_nchwc',
          opType: 'Conv',
          provider: 'CPUExecutionProvider',
          count: 20,
          totalUs: 5770,
          inputs: [
            { type: 'float', dims: [1, 64, 16, 16] },
            { type: 'float', dims: [64, 64, 3, 3] },
            { type: 'float', dims: [64] },
          ],
          outputs: [{ type: 'float', dims: [1, 64, 16, 16] }],
          meanUs: 288.5,
          shareOfInference: 0.366186,
        },
        {
          node: 'relu_2_nchwc',
          opType: 'Conv',
          provider: 'CPUExecutionProvider',
          count: 20,
          totalUs: 1058,
          inputs: [
            { type: 'float', dims: [1, 3, 64, 64] },
            { type: 'float', dims: [32, 3, 3, 3] },
            { type: 'float', dims: [32] },
          ],
          outputs: [{ type: 'float', dims: [1, 32, 64, 64] }],
          meanUs: 52.9,
          shareOfInference: 0.0671448,
        },
        {
          node: 'maxpool_3_nchwc',
          opType: 'MaxPool',
          provider: 'CPUExecutionProvider',
          count: 20,
          totalUs: 230,
          inputs: [{ type: 'float', dims: [1, 32, 64, 64] }],
          outputs: [{ type: 'float', dims: [1, 32, 32, 32] }],
          meanUs: 11.5,
          shareOfInference: 0.0145967,
        },
        {
          node: 'maxpool_6_nchwc',
          opType: 'MaxPool',
          provider: 'CPUExecutionProvider',
          count: 20,
          totalUs: 193,
          inputs: [{ type: 'float', dims: [1, 64, 32, 32] }],
          outputs: [{ type: 'float', dims: [1, 64, 16, 16] }],
          meanUs: 9.65,
          shareOfInference: 0.0122485,
        },
        {
          node: 'Gemm_11',
          opType: 'Gemm',
          provider: 'CPUExecutionProvider',
          count: 20,
          totalUs: 136,
          inputs: [{ type: 'float', dims: [1, 64] }, { type: 'float', dims: [10] }],
          outputs: [{ type: 'float', dims: [1, 10] }],
          meanUs: 6.8,
          shareOfInference: 0.00863108,
        },
        {
          node: 'globalaveragepool_9_nchwc',
          opType: 'GlobalAveragePool',
          provider: 'CPUExecutionProvider',
          count: 20,
          totalUs: 119,
          inputs: [{ type: 'float', dims: [1, 64, 16, 16] }],
          outputs: [{ type: 'float', dims: [1, 64, 1, 1] }],
          meanUs: 5.95,
          shareOfInference: 0.0075522,
        },
        {
          node: 'ReorderOutput',
          opType: 'ReorderOutput',
          provider: 'CPUExecutionProvider',
          count: 20,
          totalUs: 82,
          inputs: [{ type: 'float', dims: [1, 64, 1, 1] }],
          outputs: [{ type: 'float', dims: [1, 64, 1, 1] }],
          meanUs: 4.1,
          shareOfInference: 0.00520404,
        },
        {
          node: 'Flatten_10',
          opType: 'Flatten',
          provider: 'CPUExecutionProvider',
          count: 20,
          totalUs: 79,
          inputs: [{ type: 'float', dims: [1, 64, 1, 1] }],
          outputs: [{ type: 'float', dims: [1, 64] }],
          meanUs: 3.95,
          shareOfInference: 0.00501364,
        },
      ],
      byOpType: [
        { opType: 'Conv', nodes: 3, count: 60, totalUs: 14298, meanUs: 238.3, shareOfInference: 0.907406 },
        { opType: 'MaxPool', nodes: 2, count: 40, totalUs: 423, meanUs: 10.575, shareOfInference: 0.0268452 },
        { opType: 'Gemm', nodes: 1, count: 20, totalUs: 136, meanUs: 6.8, shareOfInference: 0.00863108 },
        {
          opType: 'GlobalAveragePool',
          nodes: 1,
          count: 20,
          totalUs: 119,
          meanUs: 5.95,
          shareOfInference: 0.0075522,
        },
        {
          opType: 'ReorderOutput',
          nodes: 1,
          count: 20,
          totalUs: 82,
          meanUs: 4.1,
          shareOfInference: 0.00520404,
        },
        { opType: 'Flatten', nodes: 1, count: 20, totalUs: 79, meanUs: 3.95, shareOfInference: 0.00501364 },
      ],
      nodesPerProvider: { CPUExecutionProvider: 9 },
    },
    cost: { flops: 63915264, bytes: 2375760, arithmeticIntensity: 26.9031, unknownOpTypes: [] },
    roofline: {
      achievedGflops: 190.792,
      achievedGbps: 7.09182,
      arithmeticIntensity: 26.9031,
      machineBalance: 13.2964,
      attainableGflops: 70.3645,
      bound: 'compute',
      fractionOfPeak: 2.71148,
      calibration: { gflops: 70.3645, gbps: 5.29199, measuredAt: '2026-11-25T13:22:24.359Z', fromCache: true },
    },
    bottleneck: {
      label: 'cpu-bound',
      confidence: 1,
      evidence: [
        { metric: 'process CPU per available thread', value: 0.908117, unit: 'fraction', threshold: 0.9 },
        { metric: 'process CPU', value: 181.623, unit: '% of one core', threshold: null },
        { metric: 'threads available', value: 2, unit: 'threads', threshold: null },
        { metric: 'arithmetic intensity', value: 26.9031, unit: 'FLOP/byte', threshold: 13.2964 },
        { metric: 'fraction of roof', value: 2.71148, unit: 'fraction', threshold: 0.5 },
        { metric: 'achieved bandwidth', value: 7.09182, unit: 'GB/s', threshold: null },
        { metric: 'achieved compute', value: 190.792, unit: 'GFLOP/s', threshold: null },
        { metric: 'postprocess share of request', value: 0.00549871, unit: 'fraction', threshold: 0.05 },
        { metric: 'preprocess share of request', value: 0.00449443, unit: 'fraction', threshold: 0.05 },
      ],
      recommendations: [
        {
          id: 'quantize-int8',
          text: 'try an int8-quantised model: a quarter of the fp32 weight bytes and faster integer kernels on CPU',
          why: 'inference is cpu-bound on the CPU at fp32',
        },
        {
          id: 'try-gpu',
          text: 'run on a GPU (--device cuda) if one is available',
          why: 'the CPU is saturated during inference (cpu-saturation, roofline)',
        },
      ],
      stages: [
        {
          stage: 'inference',
          share: 0.990007,
          label: 'cpu-bound',
          strength: 1,
          rules: ['cpu-saturation', 'roofline'],
        },
      ],
      rules: [
        {
          rule: 'load-share',
          resource: 'stage',
          status: 'no-data',
          strength: 0,
          evidence: [],
          note: 'the load stage was not timed',
        },
        {
          rule: 'preprocess-share',
          resource: 'stage',
          status: 'not-bound',
          strength: 0,
          evidence: [
            { metric: 'preprocess share of request', value: 0.00449443, unit: 'fraction', threshold: 0.05 },
          ],
        },
        {
          rule: 'postprocess-share',
          resource: 'stage',
          status: 'not-bound',
          strength: 0,
          evidence: [
            { metric: 'postprocess share of request', value: 0.00549871, unit: 'fraction', threshold: 0.05 },
          ],
        },
        {
          rule: 'iowait',
          resource: 'io',
          status: 'not-bound',
          strength: 0,
          evidence: [
            { metric: 'iowait', value: 0, unit: '%', threshold: 10 },
            { metric: 'disk reads', value: 0, unit: 'B/s', threshold: null },
          ],
        },
        {
          rule: 'cpu-saturation',
          resource: 'cpu',
          status: 'bound',
          strength: 1,
          evidence: [
            { metric: 'process CPU per available thread', value: 0.908117, unit: 'fraction', threshold: 0.9 },
            { metric: 'process CPU', value: 181.623, unit: '% of one core', threshold: null },
            { metric: 'threads available', value: 2, unit: 'threads', threshold: null },
          ],
        },
        {
          rule: 'serial-cpu',
          resource: 'cpu',
          status: 'not-bound',
          strength: 0,
          evidence: [
            { metric: 'busiest core', value: 94.2059, unit: '%', threshold: 90 },
            { metric: 'cores busy', value: 1.86756, unit: 'cores', threshold: 1.5 },
          ],
        },
        {
          rule: 'gpu-busy',
          resource: 'gpu',
          status: 'no-data',
          strength: 0,
          evidence: [],
          note: 'the trial ran on the CPU',
        },
        {
          rule: 'roofline',
          resource: 'memory',
          status: 'not-bound',
          strength: 0,
          evidence: [
            { metric: 'arithmetic intensity', value: 26.9031, unit: 'FLOP/byte', threshold: 13.2964 },
            { metric: 'fraction of roof', value: 2.71148, unit: 'fraction', threshold: 0.5 },
            { metric: 'achieved bandwidth', value: 7.09182, unit: 'GB/s', threshold: null },
            { metric: 'achieved compute', value: 190.792, unit: 'GFLOP/s', threshold: null },
          ],
          note: 'above the ridge point: compute-bound',
        },
      ],
      summary: 'inference is CPU-bound and takes 99% of the request',
    },
    utilisation: {
      trial: 'cpu-fp32-b1-t2',
      phase: 'measure',
      sampleCount: 2,
      durationMs: 151.368,
      cpuTotalPct: { mean: 93.3781, max: 100 },
      cpuCoreMaxPct: { mean: 94.2059, max: 100 },
      iowaitPct: { mean: 0, max: 0 },
      stealPct: { mean: 0, max: 0 },
      processCpuPctOfCore: { mean: 181.623, max: 204.024 },
      processCpuPctOfMachine: { mean: 90.8117, max: 102.012 },
      processThreads: { mean: 14, max: 14 },
      rssMaxBytes: 138375168,
      heapUsedMaxBytes: 18270024,
      externalMaxBytes: 6416914,
      arrayBuffersMaxBytes: 4271563,
      memoryAvailableMinBytes: 24709902336,
      swapInPagesPerSec: { mean: 0, max: 0 },
      swapOutPagesPerSec: { mean: 0, max: 0 },
      diskReadBytesPerSec: { mean: 0, max: 0 },
      diskWriteBytesPerSec: { mean: 189420, max: 272430 },
      processReadBytesPerSec: { mean: 0, max: 0 },
      processWriteBytesPerSec: { mean: 351779, max: 505942 },
      eventLoopUtilization: { mean: 0.972502, max: 1 },
      gpus: [],
      notes: ['nvidia-smi not found: no NVIDIA driver on this machine, so no GPU metrics'],
    },
  };
}

/** The run's raw samples of the measure phase (the JSON report's `samples`). */
export function cnnSamples(): SampleSeries {
  return {
    intervalMs: 100,
    pid: 13703,
    source: 'proc',
    logicalCores: 2,
    samples: [
      {
        tMs: 174.022,
        intervalMs: 105.245,
        trial: 'cpu-fp32-b1-t2',
        phase: 'measure',
        cpu: { user: 0.809524, system: 0.0952381, iowait: 0, steal: 0, idle: 0.0952381 },
        cores: [
          { user: 0.75, system: 0.166667, iowait: 0, steal: 0, idle: 0.0833333 },
          { user: 0.818182, system: 0, iowait: 0, steal: 0, idle: 0.181818 },
        ],
        processCpuUser: 1.6078,
        processCpuSystem: 0.110266,
        processThreads: 14,
        processRssBytes: 135753728,
        processReadBytes: 0,
        processWriteBytes: 53248,
        memoryAvailableBytes: 24709902336,
        memoryTotalBytes: 25276502016,
        swapInPages: 0,
        swapOutPages: 0,
        diskReadBytes: 0,
        diskWriteBytes: 28672,
        heap: {
          heapUsedBytes: 14204392,
          heapTotalBytes: 22269952,
          externalBytes: 2811167,
          arrayBuffersBytes: 665816,
        },
        eventLoopUtilization: 0.960452,
        gpus: [],
      },
      {
        tMs: 220.144,
        intervalMs: 46.1225,
        trial: 'cpu-fp32-b1-t2',
        phase: 'measure',
        cpu: { user: 1, system: 0, iowait: 0, steal: 0, idle: 0 },
        cores: [
          { user: 1, system: 0, iowait: 0, steal: 0, idle: 0 },
          { user: 1, system: 0, iowait: 0, steal: 0, idle: 0 },
        ],
        processCpuUser: 2.04024,
        processCpuSystem: 0,
        processThreads: 14,
        processRssBytes: 138375168,
        processReadBytes: 0,
        processWriteBytes: 0,
        memoryAvailableBytes: 24709943296,
        memoryTotalBytes: 25276502016,
        swapInPages: 0,
        swapOutPages: 0,
        diskReadBytes: 0,
        diskWriteBytes: 0,
        heap: {
          heapUsedBytes: 18270024,
          heapTotalBytes: 30658560,
          externalBytes: 6416914,
          arrayBuffersBytes: 4271563,
        },
        eventLoopUtilization: 1,
        gpus: [],
      },
    ],
    marks: [
      { tMs: 74.7744, trial: 'cpu-fp32-b1-t2', phase: 'load' },
      { tMs: 102.969, trial: 'cpu-fp32-b1-t2', phase: 'load' },
      { tMs: 105.408, trial: 'cpu-fp32-b1-t2', phase: 'warmup' },
      { tMs: 140.595, trial: 'cpu-fp32-b1-t2', phase: 'measure' },
      { tMs: 220.994, trial: 'cpu-fp32-b1-t2', phase: 'idle' },
    ],
    notes: ['nvidia-smi not found: no NVIDIA driver on this machine, so no GPU metrics'],
  };
}

/**
 * The sample report with `cnnAnalysis()` merged into its ok trial (on a 2-core machine, 2 threads,
 * as the real run had) and the raw samples attached. `overrides` replace analysis fields; an
 * `undefined` value removes one.
 */
export function analysedReport(overrides: Partial<Record<keyof AnalysisFields, unknown>> = {}): Report {
  const report = sampleReport();
  const trials = report.trials.map((trial) => {
    if (trial.status !== 'ok') return trial;
    const merged = { ...trial, spec: { ...trial.spec, id: 'cpu-fp32-b1-t2', threads: 2 }, ...cnnAnalysis(), ...overrides };
    for (const [key, value] of Object.entries(merged)) if (value === undefined) delete (merged as Record<string, unknown>)[key];
    return merged as TrialOk;
  });
  const cpu = { ...report.environment.cpu, logicalCores: 2, physicalCores: 2 };
  return { ...report, environment: { ...report.environment, cpu }, trials, samples: cnnSamples() };
}

/** The ok trial of a report (throws when there is none). */
export function okTrialOf(report: Report): TrialOk {
  const trial = report.trials.find((t): t is TrialOk => t.status === 'ok');
  if (trial === undefined) throw new Error('report has no ok trial');
  return trial;
}
