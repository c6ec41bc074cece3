// A constructed sweep where the sequential and paired figures disagree, as in issue 24: another
// job's bursts during int8-static batch 1's own run put its sequential items/s below fp32's,
// while the paired measurement (interleaved with the baseline, same load) says 1.70×; batch 4 and
// batch 16 are within noise of each other, batch 4 with the lower p99.
import type { PairedSpeedUp, Report, TrialOk, UtilisationSummary } from '../../src/types.js';
import { sampleReport } from '../helpers/sample-report.js';
import { quantileSamples, stageOf } from './samples.js';

const base = sampleReport().trials[0] as TrialOk;

function trial(precision: 'fp32' | 'int8-static', batch: number, items: number, halfWidth: number, p99Factor: number, paired?: [number, number, number]): TrialOk {
  const id = `cpu ${precision} batch=${batch} threads=1`;
  const pairedSpeedUp: PairedSpeedUp | undefined = paired && { vsTrial: 'cpu fp32 batch=1 threads=1', ratio: paired[0], ci: [paired[1], paired[2]], level: 0.95, blocks: 40, iterationsPerBlock: 20, durationMs: 1500 };
  return {
    ...base,
    spec: { ...base.spec, id, device: 'cpu', precision, batch, threads: 1, concurrency: 1 },
    stages: { ...base.stages, total: stageOf(quantileSamples(2_000, p99Factor)) },
    throughput: { inferencesPerSec: items / batch, itemsPerSec: items, interval: { itemsPerSec: [items * (1 - halfWidth), items * (1 + halfWidth)], level: 0.95, method: 'batch-means', windows: 10 } },
    measure: { ...base.measure, driftRatio: 0 },
    warnings: [],
    ...(pairedSpeedUp && { pairedSpeedUp }),
    utilisation: undefined,
  };
}

/** Other processes took half the machine while int8-static batch 1 ran. */
const busy: UtilisationSummary = {
  trial: 'cpu int8-static batch=1 threads=1', phase: 'measure', sampleCount: 20, durationMs: 2_000,
  cpuTotalPct: { mean: 100, max: 100 }, cpuCoreMaxPct: { mean: 100, max: 100 }, iowaitPct: null, stealPct: { mean: 0, max: 0 },
  processCpuPctOfCore: { mean: 100, max: 100 }, processCpuPctOfMachine: { mean: 50, max: 50 }, processThreads: null,
  rssMaxBytes: null, heapUsedMaxBytes: null, externalMaxBytes: null, arrayBuffersMaxBytes: null, memoryAvailableMinBytes: null,
  swapInPagesPerSec: null, swapOutPagesPerSec: null, diskReadBytesPerSec: null, diskWriteBytesPerSec: null,
  processReadBytesPerSec: null, processWriteBytesPerSec: null, eventLoopUtilization: null, gpus: [], notes: [],
};

export function disagreeingReport(): Report {
  const int8b1 = { ...trial('int8-static', 1, 1_064, 0.03, 0.5, [1.7, 1.64, 1.76]), utilisation: busy };
  return sampleReport({
    samples: undefined,
    environment: { ...sampleReport().environment, cpu: { model: 'test', logicalCores: 2, physicalCores: 2, speedMHz: 0 } },
    trials: [
      trial('fp32', 1, 1_354, 0.03, 0.8),
      int8b1,
      trial('int8-static', 4, 2_790, 0.04, 0.6, [2.06, 2.0, 2.12]),
      trial('int8-static', 16, 2_900, 0.04, 1.5, [2.03, 1.95, 2.11]),
    ],
  });
}
