// A realistic Report for exporter and schema tests: one ok trial whose stage statistics are
// computed from real hdr-histogram-js histograms (encoded as the report carries them), one
// failed trial and one skipped trial. Deterministic: a seeded generator makes the samples.

import * as hdr from 'hdr-histogram-js';
import { mulberry32 } from '../../src/measure/prng.js';
import type { PercentileKey, Report, StageStats, TimedStage, TrialOk, TrialSpec } from '../../src/types.js';

const seeded = mulberry32;

/** Stats for `count` samples around `medianUs` with a long right tail, from a real histogram. */
export function stageStatsFrom(
  medianUs: number,
  count: number,
  seed: number,
  insufficient: PercentileKey[],
): StageStats {
  const random = seeded(seed);
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  for (let i = 0; i < count; i += 1) {
    const tail = random() < 0.02 ? 2 + random() * 3 : 1;
    histogram.recordValue(Math.max(1, Math.round(medianUs * (0.9 + random() * 0.2) * tail)));
  }
  const ms = (us: number): number => us / 1000;
  const stats: StageStats = {
    count: histogram.totalCount,
    minMs: ms(histogram.minNonZeroValue),
    meanMs: ms(histogram.mean),
    stddevMs: ms(histogram.stdDeviation),
    p50Ms: ms(histogram.getValueAtPercentile(50)),
    p90Ms: ms(histogram.getValueAtPercentile(90)),
    p95Ms: ms(histogram.getValueAtPercentile(95)),
    p99Ms: ms(histogram.getValueAtPercentile(99)),
    p999Ms: ms(histogram.getValueAtPercentile(99.9)),
    maxMs: ms(histogram.maxValue),
    cv: histogram.stdDeviation / histogram.mean,
    ci: {
      p50Ms: [ms(histogram.getValueAtPercentile(47)), ms(histogram.getValueAtPercentile(53))],
      p99Ms: insufficient.includes('p99') ? null : [ms(histogram.getValueAtPercentile(98.5)), ms(histogram.maxValue)],
      level: 0.95,
    },
    insufficient,
    histogram: hdr.encodeIntoCompressedBase64(histogram),
  };
  histogram.destroy();
  return stats;
}

function spec(id: string, overrides: Partial<TrialSpec> = {}): TrialSpec {
  return {
    id,
    model: 'fixtures/resnet_tiny.onnx',
    precision: 'fp32',
    device: 'cpu',
    batch: 1,
    threads: 4,
    interThreads: null,
    graphOptimization: 'all',
    ...overrides,
  };
}

export function okTrial(): TrialOk {
  const count = 500;
  // 500 samples: enough for p90 (64) but not p99 (662) — so p99 and p99.9 are flagged.
  const flagged: PercentileKey[] = ['p99', 'p999'];
  const stages: Record<TimedStage, StageStats> = {
    preprocess: stageStatsFrom(180, count, 1, flagged),
    inference: stageStatsFrom(3_420, count, 2, flagged),
    postprocess: stageStatsFrom(45, count, 3, flagged),
    total: stageStatsFrom(3_700, count, 4, flagged),
  };
  return {
    status: 'ok',
    spec: spec('cpu-fp32-b1-t4'),
    backend: 'onnxruntime-node 1.30.0 cpu',
    inputs: [{ name: 'pixel_values', type: 'float32', dims: [1, 3, 224, 224], source: 'random-normal' }],
    coldStart: { modelLoadMs: 84.2, firstInferenceMs: 12.7, firstTotalMs: 13.4 },
    warmup: { iterations: 50, durationMs: 181.3, convergedAt: 12, bound: { kind: 'auto' } },
    measure: {
      iterations: count,
      durationMs: 1_851.2,
      stopReason: 'iterations',
      bound: { kind: 'count', iterations: count },
      driftRatio: 0.012,
    },
    stages,
    throughput: { inferencesPerSec: 270.1, itemsPerSec: 270.1 },
    peakRssBytes: 187_432_960,
    overhead: { timerNs: 41, perIterationUs: 0.62, shareOfInferenceP50: 0.62 / 3_420 },
    warnings: [{ code: 'few-samples', message: '500 samples: p99 needs at least 662; pass -n 662 or more' }],
  };
}

export function sampleReport(overrides: Partial<Report> = {}): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'inferbench', version: '0.1.0' },
    command: { argv: ['profile', 'fixtures/resnet_tiny.onnx', '-n', '500', '--device', 'cpu,cuda'] },
    startedAt: '2025-01-31T14:05:09.123Z',
    finishedAt: '2025-01-31T14:05:14.456Z',
    environment: {
      hostname: 'bench-01',
      cpu: { model: 'AMD EPYC 7B13', logicalCores: 16, physicalCores: 8, speedMHz: 2450 },
      memoryBytes: 64 * 2 ** 30,
      os: { platform: 'linux', distro: 'Ubuntu', release: '22.04', kernel: '6.5.0-1020-gcp', arch: 'x64' },
      node: 'v20.18.0',
      runtimes: [{ name: 'onnxruntime-node', version: '1.30.0', executionProviders: ['cpu'] }],
      gpus: [],
      gpuNote: 'nvidia-smi not found',
    },
    model: {
      path: 'fixtures/resnet_tiny.onnx',
      format: 'onnx',
      sizeBytes: 1_234_567,
      sha256: '9f2c4a1be07d3e5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b',
      inputs: [{ name: 'pixel_values', type: 'float32', shape: ['batch', 3, 224, 224] }],
      outputs: [{ name: 'logits', type: 'float32', shape: ['batch', null] }],
      irVersion: 8,
      opsets: [{ domain: '', version: 17 }],
      producer: 'pytorch 2.3.0',
      nodeCount: 122,
    },
    options: { iterations: 500, warmup: 'auto', devices: ['cpu', 'cuda'], formats: ['json', 'markdown'] },
    trials: [
      okTrial(),
      {
        status: 'failed',
        spec: spec('cpu-fp16-b1-t4', { precision: 'fp16' }),
        phase: 'open',
        error: {
          code: 'runtime-error',
          message: 'Could not find an implementation for Conv(11) node with name /conv1/Conv',
          hint: 'fp16 needs a device with fp16 kernels; try --device cuda or drop --precision fp16',
        },
      },
      {
        status: 'skipped',
        spec: spec('cuda-fp32-b1', { device: 'cuda', threads: null }),
        reason: 'device cuda unavailable: onnxruntime-node was built without the CUDA execution provider',
      },
    ],
    ...overrides,
  };
}
