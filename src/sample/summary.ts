// A trial's utilisation from the samples tagged with it: mean and max per metric over one phase
// (normally 'measure'). Means are weighted by each sample's interval, so the short last sample
// taken at stop() counts for the time it covers and no more; with equal intervals they are plain
// means. Rates (disk, swap) are totals over total time; their max is the busiest interval's rate.
import type { GpuReading, GpuSummary, Sample, SamplePhase, SampleSeries, Stat, UtilisationSummary } from '../model/samples.js';

export interface SummaryWindow {
  /** Trial id to select; omitted: every trial's samples in the phase. */
  trial?: string;
  phase: SamplePhase;
}

interface Weighted {
  value: number;
  weightMs: number;
}

/** Interval-weighted mean (plain mean when every weight is 0) and max; null for no values. */
export function weightedStat(values: readonly Weighted[]): Stat | null {
  if (values.length === 0) return null;
  const totalWeight = values.reduce((s, v) => s + v.weightMs, 0);
  const mean =
    totalWeight > 0
      ? values.reduce((s, v) => s + v.value * v.weightMs, 0) / totalWeight
      : values.reduce((s, v) => s + v.value, 0) / values.length;
  return { mean, max: Math.max(...values.map((v) => v.value)) };
}

/** Per-second rate of a per-interval counter: total / total time, and the busiest interval. */
export function rateStat(samples: readonly Sample[], amount: (s: Sample) => number | null): Stat | null {
  let total = 0;
  let ms = 0;
  let max = 0;
  let seen = false;
  for (const s of samples) {
    const value = amount(s);
    if (value === null) continue;
    seen = true;
    total += value;
    ms += s.intervalMs;
    if (s.intervalMs > 0) max = Math.max(max, (value * 1000) / s.intervalMs);
  }
  if (!seen) return null;
  return { mean: ms > 0 ? (total * 1000) / ms : 0, max };
}

function stat(samples: readonly Sample[], metric: (s: Sample) => number | null | undefined): Stat | null {
  const values: Weighted[] = [];
  for (const s of samples) {
    const value = metric(s);
    if (value !== null && value !== undefined) values.push({ value, weightMs: s.intervalMs });
  }
  return weightedStat(values);
}

function extreme(samples: readonly Sample[], metric: (s: Sample) => number | null | undefined, pick: 'min' | 'max'): number | null {
  const values = samples.map(metric).filter((v): v is number => v !== null && v !== undefined);
  if (values.length === 0) return null;
  return pick === 'max' ? Math.max(...values) : Math.min(...values);
}

const pct = (share: number): number => share * 100;

export function summarizeSamples(series: SampleSeries, window: SummaryWindow): UtilisationSummary {
  const samples = series.samples.filter((s) => s.phase === window.phase && (window.trial === undefined || s.trial === window.trial));
  const cores = series.logicalCores > 0 ? series.logicalCores : 1;
  const processCpu = (s: Sample): number | null =>
    s.processCpuUser === null || s.processCpuSystem === null ? null : s.processCpuUser + s.processCpuSystem;
  const notes = [...series.notes];
  if (samples.length === 0) {
    notes.push(`no sample is tagged ${window.trial ?? 'any trial'} / ${window.phase}: the phase was shorter than the ${series.intervalMs} ms sample interval, or sampling was off`);
  }
  return {
    trial: window.trial ?? '',
    phase: window.phase,
    sampleCount: samples.length,
    durationMs: samples.reduce((sum, s) => sum + s.intervalMs, 0),
    cpuTotalPct: stat(samples, (s) => s.cpu && pct(s.cpu.user + s.cpu.system)),
    cpuCoreMaxPct: stat(samples, (s) => (s.cores && s.cores.length > 0 ? pct(Math.max(...s.cores.map((c) => c.user + c.system))) : null)),
    iowaitPct: stat(samples, (s) => s.cpu && pct(s.cpu.iowait)),
    stealPct: stat(samples, (s) => s.cpu && pct(s.cpu.steal)),
    processCpuPctOfCore: stat(samples, (s) => {
      const cpu = processCpu(s);
      return cpu === null ? null : pct(cpu);
    }),
    processCpuPctOfMachine: stat(samples, (s) => {
      const cpu = processCpu(s);
      return cpu === null ? null : pct(cpu / cores);
    }),
    processThreads: stat(samples, (s) => s.processThreads),
    rssMaxBytes: extreme(samples, (s) => s.processRssBytes, 'max'),
    heapUsedMaxBytes: extreme(samples, (s) => s.heap?.heapUsedBytes, 'max'),
    externalMaxBytes: extreme(samples, (s) => s.heap?.externalBytes, 'max'),
    arrayBuffersMaxBytes: extreme(samples, (s) => s.heap?.arrayBuffersBytes, 'max'),
    memoryAvailableMinBytes: extreme(samples, (s) => s.memoryAvailableBytes, 'min'),
    swapInPagesPerSec: rateStat(samples, (s) => s.swapInPages),
    swapOutPagesPerSec: rateStat(samples, (s) => s.swapOutPages),
    diskReadBytesPerSec: rateStat(samples, (s) => s.diskReadBytes),
    diskWriteBytesPerSec: rateStat(samples, (s) => s.diskWriteBytes),
    processReadBytesPerSec: rateStat(samples, (s) => s.processReadBytes),
    processWriteBytesPerSec: rateStat(samples, (s) => s.processWriteBytes),
    eventLoopUtilization: stat(samples, (s) => s.eventLoopUtilization),
    gpus: summarizeGpus(samples),
    notes,
  };
}

function summarizeGpus(samples: readonly Sample[]): GpuSummary[] {
  const indices = [...new Set(samples.flatMap((s) => s.gpus.map((g) => g.index)))].sort((a, b) => a - b);
  return indices.map((index) => {
    const of = (field: keyof Omit<GpuReading, 'index' | 'memoryTotalBytes'>) =>
      stat(samples, (s) => s.gpus.find((g) => g.index === index)?.[field]);
    return {
      index,
      utilizationPct: of('utilizationPct'),
      memoryUtilizationPct: of('memoryUtilizationPct'),
      memoryUsedBytes: of('memoryUsedBytes'),
      powerW: of('powerW'),
      smClockMHz: of('smClockMHz'),
      temperatureC: of('temperatureC'),
    };
  });
}
