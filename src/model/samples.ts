// System samples taken beside a trial, and their summary. Plain JSON-serialisable data: the JSON
// report keeps the raw series, the console and Markdown show the summary. Units live in the names.
// A metric the machine cannot give is null (or an empty list), and `notes` says why.

/** Milliseconds between utilisation samples unless --sample-interval says otherwise. */
export const DEFAULT_SAMPLE_INTERVAL_MS = 100;

/** What the measured process is doing when a sample is taken. */
export type SamplePhase = 'load' | 'warmup' | 'measure' | 'idle';

/**
 * Shares of CPU time over a sample's interval, each in [0, 1], summing to 1. `user` includes nice
 * (and guest, which the kernel counts inside user); `system` includes irq and softirq.
 * For the system total these are shares of all cores together.
 */
export interface CpuShares {
  user: number;
  system: number;
  iowait: number;
  steal: number;
  idle: number;
}

/** One nvidia-smi reading of one GPU. A field nvidia-smi reports as [N/A] or [Not Supported] is null. */
export interface GpuReading {
  index: number;
  /** Percent of time a kernel was running, 0–100. */
  utilizationPct: number | null;
  /** Percent of time device memory was read or written, 0–100. */
  memoryUtilizationPct: number | null;
  memoryUsedBytes: number | null;
  memoryTotalBytes: number | null;
  powerW: number | null;
  smClockMHz: number | null;
  temperatureC: number | null;
}

/** Memory of the main thread's V8 isolate (`process.memoryUsage()`, posted by the main thread). */
export interface HeapUsage {
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  arrayBuffersBytes: number;
}

export interface Sample {
  /** Milliseconds since the sampler started (monotonic clock). */
  tMs: number;
  /** Milliseconds covered by this sample's deltas (since the previous sample). */
  intervalMs: number;
  /** Trial id and phase current when the sample was taken ('' / 'idle' before any setTag). */
  trial: string;
  phase: SamplePhase;
  /** System-wide CPU over the interval (all cores together); null where /proc/stat is absent. */
  cpu: CpuShares | null;
  /** The same per logical core, in /proc/stat order. */
  cores: CpuShares[] | null;
  /** CPU time of the sampled process (all its threads) per second of wall time: 1 = one full core. */
  processCpuUser: number | null;
  processCpuSystem: number | null;
  /** OS threads of the sampled process (ORT's pools, libuv, V8 helpers, the sampler itself). */
  processThreads: number | null;
  processRssBytes: number | null;
  /** Bytes the sampled process made the storage layer read/write in the interval (/proc/<pid>/io). */
  processReadBytes: number | null;
  processWriteBytes: number | null;
  /** Latest main-thread heap figures; null when sampling another process or none posted yet. */
  heap: HeapUsage | null;
  /** Event-loop utilisation of the main thread (0–1) over the main thread's last report window. */
  eventLoopUtilization: number | null;
  memoryAvailableBytes: number | null;
  memoryTotalBytes: number | null;
  /** Pages swapped in/out system-wide in the interval (/proc/vmstat pswpin/pswpout). */
  swapInPages: number | null;
  swapOutPages: number | null;
  /** Bytes read/written by whole block devices in the interval (/proc/diskstats, partitions not double counted). */
  diskReadBytes: number | null;
  diskWriteBytes: number | null;
  /** Latest nvidia-smi reading per GPU, when one arrived recently; empty without GPUs. */
  gpus: GpuReading[];
}

/** A trial's tag change, timed on the same clock as the samples. */
export interface SampleMark {
  tMs: number;
  trial: string;
  phase: SamplePhase;
}

export interface SampleSeries {
  /** Requested interval between samples. */
  intervalMs: number;
  pid: number;
  /** Where the metrics came from: Linux /proc, or Node's portable calls elsewhere. */
  source: 'proc' | 'portable';
  /** Logical cores seen by the sampler (the length of each sample's `cores`). */
  logicalCores: number;
  samples: Sample[];
  marks: SampleMark[];
  /** Why metrics are absent or approximate, one sentence each. */
  notes: string[];
}

/** Mean and maximum of a metric over the samples that have it; null when none has. */
export interface Stat {
  mean: number;
  max: number;
}

export interface GpuSummary {
  index: number;
  utilizationPct: Stat | null;
  memoryUtilizationPct: Stat | null;
  memoryUsedBytes: Stat | null;
  powerW: Stat | null;
  smClockMHz: Stat | null;
  temperatureC: Stat | null;
}

/** Utilisation over one tagged window (normally a trial's measure phase). Percentages are 0–100. */
export interface UtilisationSummary {
  trial: string;
  phase: SamplePhase;
  sampleCount: number;
  /** Wall time the window's samples cover. */
  durationMs: number;
  /** System CPU busy (user + system; steal and iowait are reported apart) as a percentage of all cores. */
  cpuTotalPct: Stat | null;
  /** The busiest core in each sample: mean and max over samples. */
  cpuCoreMaxPct: Stat | null;
  iowaitPct: Stat | null;
  stealPct: Stat | null;
  /** Process CPU (user + system) as a percentage of one core (may exceed 100). */
  processCpuPctOfCore: Stat | null;
  /** Process CPU as a percentage of all logical cores (0–100). */
  processCpuPctOfMachine: Stat | null;
  processThreads: Stat | null;
  rssMaxBytes: number | null;
  heapUsedMaxBytes: number | null;
  externalMaxBytes: number | null;
  arrayBuffersMaxBytes: number | null;
  memoryAvailableMinBytes: number | null;
  /** Pages per second; mean is total pages / total time. */
  swapInPagesPerSec: Stat | null;
  swapOutPagesPerSec: Stat | null;
  diskReadBytesPerSec: Stat | null;
  diskWriteBytesPerSec: Stat | null;
  processReadBytesPerSec: Stat | null;
  processWriteBytesPerSec: Stat | null;
  eventLoopUtilization: Stat | null;
  gpus: GpuSummary[];
  notes: string[];
}
