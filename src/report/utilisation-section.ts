// A trial's utilisation summary (model/samples.ts UtilisationSummary, normally the measure
// phase) as groups of metrics with mean and max text. The console joins a group into one line,
// Markdown makes a table row of each metric. Metrics the sampler could not read (null) are left
// out; `notes` says why.

import type { GpuSummary, Stat, UtilisationSummary } from '../model/samples.js';
import {
  formatByteRate,
  formatBytes,
  formatCount,
  formatMs,
  formatPct,
  formatPercent,
  formatQuantity,
} from './format.js';

/** A metric with mean and max text, or (mean and max '') a single extreme in `value`. */
export interface UtilisationMetric {
  metric: string;
  mean: string;
  max: string;
  value?: string;
}

export interface UtilisationGroup {
  group: string;
  metrics: UtilisationMetric[];
}

export interface UtilisationSection {
  /** "measure phase: 2 samples over 151 ms". */
  window: string;
  groups: UtilisationGroup[];
  notes: string[];
}

export const UTILISATION_HEADER: readonly string[] = ['group', 'metric', 'mean', 'max'];

/** Table rows matching UTILISATION_HEADER; an extreme-only metric puts its value under its own word. */
export function utilisationRows(section: UtilisationSection): string[][] {
  return section.groups.flatMap(({ group, metrics }) =>
    metrics.map((m) => (m.value === undefined ? [group, m.metric, m.mean, m.max] : [group, m.metric, '—', m.value])),
  );
}

type Formatter = (value: number) => string;

function stat(metric: string, value: Stat | null, format: Formatter): UtilisationMetric[] {
  return value === null ? [] : [{ metric, mean: format(value.mean), max: format(value.max) }];
}

/** A metric recorded only as an extreme; its label says which ("RSS max", "available min"). */
function extreme(metric: string, value: number | null, format: Formatter): UtilisationMetric[] {
  return value === null ? [] : [{ metric, mean: '', value: format(value), max: '' }];
}

const count: Formatter = (value) => formatCount(value);
/** A value in a fixed unit: W, °C, MHz, pages/s. */
const inUnit =
  (unit: string): Formatter =>
  (value) =>
    formatQuantity(value, unit);

function gpuGroup(gpu: GpuSummary): UtilisationGroup {
  return {
    group: `GPU ${gpu.index}`,
    metrics: [
      ...stat('util', gpu.utilizationPct, formatPct),
      ...stat('memory util', gpu.memoryUtilizationPct, formatPct),
      ...stat('memory used', gpu.memoryUsedBytes, formatBytes),
      ...stat('power', gpu.powerW, inUnit('W')),
      ...stat('SM clock', gpu.smClockMHz, inUnit('MHz')),
      ...stat('temperature', gpu.temperatureC, inUnit('°C')),
    ],
  };
}

export function utilisationSection(u: UtilisationSummary): UtilisationSection {
  const groups: UtilisationGroup[] = [
    {
      group: 'CPU',
      metrics: [
        ...stat('total', u.cpuTotalPct, formatPct),
        ...stat('busiest core', u.cpuCoreMaxPct, formatPct),
        ...stat('iowait', u.iowaitPct, formatPct),
        ...stat('steal', u.stealPct, formatPct),
      ],
    },
    {
      group: 'Process',
      metrics: [
        ...stat('CPU of one core', u.processCpuPctOfCore, formatPct),
        ...stat('CPU of machine', u.processCpuPctOfMachine, formatPct),
        ...stat('threads', u.processThreads, count),
        ...extreme('RSS max', u.rssMaxBytes, formatBytes),
        ...extreme('heap used max', u.heapUsedMaxBytes, formatBytes),
      ],
    },
    {
      group: 'Memory',
      metrics: [
        ...extreme('available min', u.memoryAvailableMinBytes, formatBytes),
        ...stat('swap in', u.swapInPagesPerSec, inUnit('pages/s')),
        ...stat('swap out', u.swapOutPagesPerSec, inUnit('pages/s')),
      ],
    },
    {
      group: 'I/O',
      metrics: [
        ...stat('disk read', u.diskReadBytesPerSec, formatByteRate),
        ...stat('disk write', u.diskWriteBytesPerSec, formatByteRate),
        ...stat('process read', u.processReadBytesPerSec, formatByteRate),
        ...stat('process write', u.processWriteBytesPerSec, formatByteRate),
      ],
    },
    { group: 'Event loop', metrics: stat('utilisation', u.eventLoopUtilization, formatPercent) },
    ...u.gpus.map(gpuGroup),
  ];
  const samples = `${formatCount(u.sampleCount)} ${u.sampleCount === 1 ? 'sample' : 'samples'}`;
  return {
    window: `${u.phase} phase: ${samples} over ${formatMs(u.durationMs)}`,
    groups: groups.filter((group) => group.metrics.length > 0),
    notes: u.notes,
  };
}

/** One line per group for the console: "total 93% (max 100%), busiest core 94% (max 100%), …". */
export function utilisationGroupLine(group: UtilisationGroup): string {
  return group.metrics
    .map(({ metric, mean, max, value }) => {
      if (value !== undefined) return `${metric} ${value}`;
      return mean === max ? `${metric} ${mean}` : `${metric} ${mean} (max ${max})`;
    })
    .join(', ');
}
