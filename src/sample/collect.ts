// What one sampler tick reads: /proc on Linux, Node's portable calls elsewhere. A collector keeps
// the previous snapshot and returns the deltas since it, so the first call only sets a baseline.
// Costs of each source are measured in bench/sampler-overhead.mjs and listed in sampler-worker.ts.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Sample } from '../model/samples.js';
import {
  cpuShares,
  delta,
  parseDiskstats,
  parseMeminfo,
  parsePidIo,
  parsePidStat,
  parsePidStatus,
  parseProcStat,
  parseVmstat,
  tickSum,
  type CpuTicks,
  type DiskBytes,
  type PidStat,
  type ProcStat,
  type VmStat,
} from './proc.js';

/** The metrics a collector fills; the worker adds time, tags, heap, ELU and GPUs. */
export type SystemMetrics = Omit<Sample, 'tMs' | 'intervalMs' | 'trial' | 'phase' | 'heap' | 'eventLoopUtilization' | 'gpus'>;

export interface Collector {
  source: 'proc' | 'portable';
  logicalCores: number;
  /** Why some metrics are absent; grows when a source fails at run time. */
  notes: string[];
  take(): SystemMetrics;
}

export function createCollector(pid: number, source: 'auto' | 'proc' | 'portable', procRoot = '/proc'): Collector {
  const useProc = source === 'proc' || (source === 'auto' && process.platform === 'linux' && readable(`${procRoot}/stat`));
  return useProc ? procCollector(pid, procRoot) : portableCollector(pid);
}

function readable(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Reads a /proc file each tick; after its first failure it notes why and stops trying. */
function procReader<T>(path: string, parse: (text: string) => T | null, notes: string[], what: string): () => T | null {
  let failed = false;
  return () => {
    if (failed) return null;
    try {
      const value = parse(readFileSync(path, 'utf8'));
      if (value !== null) return value;
      notes.push(`${what}: ${path} could not be parsed`);
    } catch (error) {
      notes.push(`${what}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    failed = true;
    return null;
  };
}

interface ProcSnapshot {
  at: bigint;
  stat: ProcStat | null;
  pidStat: PidStat | null;
  cpuUsage: NodeJS.CpuUsage | null;
  vm: VmStat | null;
  disk: DiskBytes | null;
  io: DiskBytes | null;
}

function procCollector(pid: number, root: string): Collector {
  const notes: string[] = [];
  const self = pid === process.pid;
  const readStat = procReader(`${root}/stat`, parseProcStat, notes, 'system CPU');
  // For our own process, process.cpuUsage() (getrusage, process-wide even from a worker) costs
  // ~1 µs and has µs resolution; /proc/<pid>/stat counts 10 ms ticks, coarse at a 100 ms interval.
  const readPidStat = procReader(`${root}/${pid}/stat`, parsePidStat, notes, 'process CPU');
  const readStatus = procReader(`${root}/${pid}/status`, parsePidStatus, notes, 'process RSS and threads');
  const readIo = procReader(`${root}/${pid}/io`, parsePidIo, notes, 'process I/O');
  const readMem = procReader(`${root}/meminfo`, parseMeminfo, notes, 'system memory');
  const readVm = procReader(`${root}/vmstat`, parseVmstat, notes, 'swap activity');
  const readDisk = procReader(`${root}/diskstats`, parseDiskstats, notes, 'disk I/O');
  const snapshot = (): ProcSnapshot => ({
    at: process.hrtime.bigint(),
    stat: readStat(),
    pidStat: self ? null : readPidStat(),
    cpuUsage: self ? process.cpuUsage() : null,
    vm: readVm(),
    disk: readDisk(),
    io: readIo(),
  });
  let prev = snapshot();
  const logicalCores = prev.stat?.cores.length ?? os.cpus().length;
  return {
    source: 'proc',
    logicalCores,
    notes,
    take() {
      const cur = snapshot();
      const status = readStatus();
      const mem = readMem();
      const seconds = Number(cur.at - prev.at) / 1e9;
      const processCpu = processCpuOf(prev, cur, seconds);
      const metrics: SystemMetrics = {
        cpu: prev.stat && cur.stat ? cpuShares(prev.stat.total, cur.stat.total) : null,
        cores: prev.stat && cur.stat ? coreShares(prev.stat.cores, cur.stat.cores) : null,
        processCpuUser: processCpu?.user ?? null,
        processCpuSystem: processCpu?.system ?? null,
        processThreads: status?.threads ?? cur.pidStat?.threads ?? null,
        processRssBytes: status?.rssBytes ?? null,
        processReadBytes: prev.io && cur.io ? delta(prev.io.readBytes, cur.io.readBytes) : null,
        processWriteBytes: prev.io && cur.io ? delta(prev.io.writeBytes, cur.io.writeBytes) : null,
        memoryAvailableBytes: mem?.availableBytes ?? null,
        memoryTotalBytes: mem?.totalBytes ?? null,
        swapInPages: prev.vm && cur.vm ? delta(prev.vm.swapInPages, cur.vm.swapInPages) : null,
        swapOutPages: prev.vm && cur.vm ? delta(prev.vm.swapOutPages, cur.vm.swapOutPages) : null,
        diskReadBytes: prev.disk && cur.disk ? delta(prev.disk.readBytes, cur.disk.readBytes) : null,
        diskWriteBytes: prev.disk && cur.disk ? delta(prev.disk.writeBytes, cur.disk.writeBytes) : null,
      };
      prev = cur;
      return metrics;
    },
  };
}

function coreShares(prev: CpuTicks[], cur: CpuTicks[]): Sample['cores'] {
  return cur.map((ticks, i) => {
    const before = prev[i];
    return before ? cpuShares(before, ticks) : cpuShares(ticks, ticks);
  });
}

/**
 * Process CPU per second of wall time (1 = one core). From getrusage for our own process; for
 * another pid from its /proc ticks, converted with the system's own tick rate (ticks of all cores
 * / cores = elapsed ticks of one core), so USER_HZ never has to be assumed.
 */
export function processCpuOf(
  prev: Pick<ProcSnapshot, 'stat' | 'pidStat' | 'cpuUsage'>,
  cur: Pick<ProcSnapshot, 'stat' | 'pidStat' | 'cpuUsage'>,
  seconds: number,
): { user: number; system: number } | null {
  if (prev.cpuUsage && cur.cpuUsage && seconds > 0) {
    const us = seconds * 1e6;
    return { user: delta(prev.cpuUsage.user, cur.cpuUsage.user) / us, system: delta(prev.cpuUsage.system, cur.cpuUsage.system) / us };
  }
  if (!prev.pidStat || !cur.pidStat || !prev.stat || !cur.stat) return null;
  const coreTicks = delta(tickSum(prev.stat.total), tickSum(cur.stat.total)) / Math.max(1, cur.stat.cores.length);
  if (coreTicks === 0) return { user: 0, system: 0 };
  return {
    user: delta(prev.pidStat.utimeTicks, cur.pidStat.utimeTicks) / coreTicks,
    system: delta(prev.pidStat.stimeTicks, cur.pidStat.stimeTicks) / coreTicks,
  };
}

/** Off Linux: per-core times from os.cpus(), and our own process through process.* calls. */
function portableCollector(pid: number): Collector {
  const self = pid === process.pid;
  const notes = [
    `no /proc on ${process.platform}: iowait, steal, swap activity, disk and process I/O, and the process thread count are not sampled; CPU comes from os.cpus() and memory from os.freemem() (free memory, which undercounts reclaimable cache)`,
  ];
  if (!self) notes.push(`process ${pid} is not the sampler's own process: without /proc its CPU and RSS cannot be read`);
  const snapshot = (): { at: bigint; cores: CpuTicks[]; usage: NodeJS.CpuUsage } => ({
    at: process.hrtime.bigint(),
    cores: os.cpus().map(({ times: t }) => ({ user: t.user + t.nice, system: t.sys + t.irq, iowait: 0, steal: 0, idle: t.idle })),
    usage: process.cpuUsage(),
  });
  let prev = snapshot();
  return {
    source: 'portable',
    logicalCores: prev.cores.length,
    notes,
    take() {
      const cur = snapshot();
      const us = Number(cur.at - prev.at) / 1e3;
      const sum = (list: CpuTicks[]): CpuTicks =>
        list.reduce((a, t) => ({ user: a.user + t.user, system: a.system + t.system, iowait: 0, steal: 0, idle: a.idle + t.idle }));
      const metrics: SystemMetrics = {
        cpu: cur.cores.length > 0 && prev.cores.length > 0 ? cpuShares(sum(prev.cores), sum(cur.cores)) : null,
        cores: coreShares(prev.cores, cur.cores),
        processCpuUser: self && us > 0 ? delta(prev.usage.user, cur.usage.user) / us : null,
        processCpuSystem: self && us > 0 ? delta(prev.usage.system, cur.usage.system) / us : null,
        processThreads: null,
        processRssBytes: self ? process.memoryUsage.rss() : null,
        processReadBytes: null,
        processWriteBytes: null,
        memoryAvailableBytes: os.freemem(),
        memoryTotalBytes: os.totalmem(),
        swapInPages: null,
        swapOutPages: null,
        diskReadBytes: null,
        diskWriteBytes: null,
      };
      prev = cur;
      return metrics;
    },
  };
}
