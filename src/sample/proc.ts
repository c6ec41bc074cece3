// Parsers for the Linux /proc files the sampler reads, and the deltas between two snapshots.
// Pure functions over text so that they are tested on recorded files (test/data/proc/). Formats:
// proc(5) — /proc/stat, /proc/<pid>/stat, /proc/<pid>/io, /proc/meminfo, /proc/vmstat — and
// Documentation/admin-guide/iostats.rst for /proc/diskstats (sectors are always 512 bytes).
import type { CpuShares } from '../model/samples.js';

/** Cumulative ticks of one /proc/stat cpu line, folded into the shares the sampler reports. */
export interface CpuTicks {
  user: number; // user + nice (guest is already inside user)
  system: number; // system + irq + softirq
  iowait: number;
  steal: number;
  idle: number;
}

export interface ProcStat {
  total: CpuTicks;
  cores: CpuTicks[];
}

export function parseProcStat(text: string): ProcStat | null {
  let total: CpuTicks | null = null;
  const cores: CpuTicks[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) continue;
    const [name, ...rest] = line.trim().split(/\s+/);
    const v = rest.map(Number);
    const at = (i: number): number => v[i] ?? 0;
    const ticks = { user: at(0) + at(1), system: at(2) + at(5) + at(6), idle: at(3), iowait: at(4), steal: at(7) };
    if (name === 'cpu') total = ticks;
    else cores.push(ticks);
  }
  return total && { total, cores };
}

/** Shares of each state between two snapshots; an interval with no ticks reads as idle. */
export function cpuShares(prev: CpuTicks, cur: CpuTicks): CpuShares {
  const d = {
    user: Math.max(0, cur.user - prev.user),
    system: Math.max(0, cur.system - prev.system),
    iowait: Math.max(0, cur.iowait - prev.iowait),
    steal: Math.max(0, cur.steal - prev.steal),
    idle: Math.max(0, cur.idle - prev.idle),
  };
  const sum = d.user + d.system + d.iowait + d.steal + d.idle;
  if (sum === 0) return { user: 0, system: 0, iowait: 0, steal: 0, idle: 1 };
  return { user: d.user / sum, system: d.system / sum, iowait: d.iowait / sum, steal: d.steal / sum, idle: d.idle / sum };
}

/** Sum of all ticks of a cpu line: elapsed time × USER_HZ for one core (× cores for `cpu`). */
export function tickSum(t: CpuTicks): number {
  return t.user + t.system + t.iowait + t.steal + t.idle;
}

export interface PidStat {
  utimeTicks: number;
  stimeTicks: number;
  threads: number;
  rssPages: number;
}

/**
 * /proc/<pid>/stat. The command name (field 2) is in parentheses and may itself contain spaces
 * and parentheses, so the fields are counted from the LAST ')'.
 */
export function parsePidStat(text: string): PidStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const f = text.slice(close + 2).trim().split(/\s+/).map(Number);
  // After ')', index 0 is field 3 (state): utime is field 14, stime 15, num_threads 20, rss 24.
  const [utime, stime, threads, rss] = [f[11], f[12], f[17], f[21]];
  if (utime === undefined || stime === undefined || threads === undefined || rss === undefined) return null;
  return { utimeTicks: utime, stimeTicks: stime, threads, rssPages: rss };
}

/** `Key:   value` lines (/proc/meminfo, /proc/<pid>/status, /proc/<pid>/io) → numbers (units dropped). */
export function parseKeyValues(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([\w()]+):\s+(\d+)/.exec(line);
    if (m?.[1] && m[2]) out.set(m[1], Number(m[2]));
  }
  return out;
}

export interface MemInfo {
  totalBytes: number;
  availableBytes: number;
}

export function parseMeminfo(text: string): MemInfo | null {
  const kv = parseKeyValues(text);
  const total = kv.get('MemTotal');
  // MemAvailable exists since Linux 3.14; before it, free + cached is the usual estimate.
  const available = kv.get('MemAvailable') ?? (kv.get('MemFree') ?? 0) + (kv.get('Cached') ?? 0);
  return total === undefined ? null : { totalBytes: total * 1024, availableBytes: available * 1024 };
}

/** /proc/<pid>/status: RSS in bytes and thread count. */
export function parsePidStatus(text: string): { rssBytes: number | null; threads: number | null } {
  const kv = parseKeyValues(text);
  const rss = kv.get('VmRSS');
  return { rssBytes: rss === undefined ? null : rss * 1024, threads: kv.get('Threads') ?? null };
}

export interface VmStat {
  swapInPages: number;
  swapOutPages: number;
}

export function parseVmstat(text: string): VmStat {
  const get = (key: string): number => Number(new RegExp(`^${key} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { swapInPages: get('pswpin'), swapOutPages: get('pswpout') };
}

export interface DiskBytes {
  readBytes: number;
  writeBytes: number;
}

const SECTOR_BYTES = 512;
/** Virtual or stacked devices whose I/O is also counted on the physical disk underneath. */
const SKIPPED_DEVICES = /^(loop|ram|zram|dm-|md|sr|fd)/;

/**
 * Cumulative bytes read/written by whole disks. Partitions (sda1, nvme0n1p2, mmcblk0p1) repeat
 * their disk's I/O and device-mapper/md devices repeat their members', so both are skipped.
 */
export function parseDiskstats(text: string): DiskBytes {
  const rows = text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 10 && f[2] !== undefined);
  const names = new Set(rows.map((f) => f[2]!));
  const isPartition = (name: string): boolean =>
    [...names].some((disk) => disk !== name && name.startsWith(disk) && /^p?\d+$/.test(name.slice(disk.length)));
  let readBytes = 0;
  let writeBytes = 0;
  for (const f of rows) {
    const name = f[2]!;
    if (SKIPPED_DEVICES.test(name) || isPartition(name)) continue;
    readBytes += Number(f[5]) * SECTOR_BYTES;
    writeBytes += Number(f[9]) * SECTOR_BYTES;
  }
  return { readBytes, writeBytes };
}

/** /proc/<pid>/io: bytes the process caused to be fetched from / sent to storage. */
export function parsePidIo(text: string): DiskBytes | null {
  const kv = parseKeyValues(text);
  const read = kv.get('read_bytes');
  const write = kv.get('write_bytes');
  return read === undefined || write === undefined ? null : { readBytes: read, writeBytes: write };
}

/** Counter delta that never goes negative (a counter reset or wrap reads as 0). */
export function delta(prev: number, cur: number): number {
  return cur >= prev ? cur - prev : 0;
}
