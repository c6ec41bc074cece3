import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCollector } from '../../src/sample/collect.js';
import {
  cpuShares,
  parseDiskstats,
  parseMeminfo,
  parsePidIo,
  parsePidStat,
  parsePidStatus,
  parseProcStat,
  parseVmstat,
} from '../../src/sample/proc.js';

// Two snapshots recorded on the 2-core dev VM around 300 ms of CPU work and an 8 MiB fsync'd write.
const DATA = new URL('../data/proc/', import.meta.url);
const recorded = (name: string): string => readFileSync(new URL(name, DATA), 'utf8');
const RECORDED_PID = 18058;

describe('/proc parsers on recorded snapshots', () => {
  it('/proc/stat: exact shares from the tick deltas, total and per core', () => {
    const a = parseProcStat(recorded('stat-a.txt'));
    const b = parseProcStat(recorded('stat-b.txt'));
    expect(a?.cores).toHaveLength(2);
    // cpu: user 23750→23808 (+58), system 5483+0+67 → 5489+0+67 (+6), idle/iowait/steal unchanged.
    expect(cpuShares(a!.total, b!.total)).toEqual({ user: 58 / 64, system: 6 / 64, iowait: 0, steal: 0, idle: 0 });
    // cpu0: user +27, system +4, idle +1; cpu1: user +31, system +1.
    expect(cpuShares(a!.cores[0]!, b!.cores[0]!)).toEqual({ user: 27 / 32, system: 4 / 32, iowait: 0, steal: 0, idle: 1 / 32 });
    expect(cpuShares(a!.cores[1]!, b!.cores[1]!)).toEqual({ user: 31 / 32, system: 1 / 32, iowait: 0, steal: 0, idle: 0 });
  });

  it('/proc/stat folds nice into user, irq+softirq into system, and reads iowait and steal', () => {
    const stat = parseProcStat('cpu  10 1 20 300 4 2 3 5 7 0\ncpu0 10 1 20 300 4 2 3 5 7 0\n');
    expect(stat?.total).toEqual({ user: 11, system: 25, idle: 300, iowait: 4, steal: 5 });
    expect(cpuShares(stat!.total, stat!.total).idle).toBe(1); // no ticks elapsed reads as idle
  });

  it('/proc/<pid>/stat: utime, stime, threads and rss counted from the last parenthesis', () => {
    expect(parsePidStat(recorded('pid-stat-a.txt'))).toEqual({ utimeTicks: 5, stimeTicks: 0, threads: 11, rssPages: 10704 });
    expect(parsePidStat(recorded('pid-stat-b.txt'))).toEqual({ utimeTicks: 33, stimeTicks: 0, threads: 11, rssPages: 12496 });
    const tricky = recorded('pid-stat-a.txt').replace('(node)', '(a) b (c)');
    expect(parsePidStat(tricky)?.utimeTicks).toBe(5);
    expect(parsePidStat('garbage')).toBeNull();
  });

  it('/proc/<pid>/status, /proc/<pid>/io, /proc/meminfo', () => {
    expect(parsePidStatus(recorded('pid-status-b.txt'))).toEqual({ rssBytes: 50100 * 1024, threads: 11 });
    expect(parsePidIo(recorded('pid-io-a.txt'))).toEqual({ readBytes: 0, writeBytes: 12288 });
    expect(parsePidIo(recorded('pid-io-b.txt'))).toEqual({ readBytes: 0, writeBytes: 8433664 });
    expect(parseMeminfo(recorded('meminfo-a.txt'))).toEqual({ totalBytes: 24684084 * 1024, availableBytes: 24165844 * 1024 });
    expect(parseMeminfo('MemTotal: 100 kB\nMemFree: 10 kB\nCached: 5 kB\n')).toEqual({ totalBytes: 102400, availableBytes: 15 * 1024 });
  });

  it('/proc/vmstat swap counters', () => {
    expect(parseVmstat(recorded('vmstat-a.txt'))).toEqual({ swapInPages: 0, swapOutPages: 0 });
    expect(parseVmstat('pgpgin 5\npswpin 12\npswpout 34\n')).toEqual({ swapInPages: 12, swapOutPages: 34 });
  });

  it('/proc/diskstats: whole disks only, in bytes (512-byte sectors)', () => {
    // vda: sectors read 1464442 → 1466626, written 2414080 → 2430496; loop and zram are skipped.
    expect(parseDiskstats(recorded('diskstats-a.txt'))).toEqual({ readBytes: 1464442 * 512, writeBytes: 2414080 * 512 });
    const text = [
      '259 0 nvme0n1 10 0 100 0 10 0 200 0 0 0 0',
      '259 1 nvme0n1p1 5 0 60 0 5 0 150 0 0 0 0',
      '8 0 sda 1 0 8 0 1 0 16 0 0 0 0',
      '8 1 sda1 1 0 8 0 1 0 16 0 0 0 0',
      '253 0 dm-0 1 0 999 0 1 0 999 0 0 0 0',
    ].join('\n');
    expect(parseDiskstats(text)).toEqual({ readBytes: (100 + 8) * 512, writeBytes: (200 + 16) * 512 });
  });
});

describe('the /proc collector on a recorded proc tree', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function install(snapshot: 'a' | 'b'): void {
    mkdirSync(join(root, String(RECORDED_PID)), { recursive: true });
    for (const name of ['stat', 'meminfo', 'vmstat', 'diskstats']) copyFileSync(new URL(`${name}-${snapshot}.txt`, DATA), join(root, name));
    for (const name of ['stat', 'status', 'io']) copyFileSync(new URL(`pid-${name}-${snapshot}.txt`, DATA), join(root, String(RECORDED_PID), name));
  }

  it('turns two snapshots into exact deltas, process CPU in cores from the system tick rate', () => {
    root = mkdtempSync(join(tmpdir(), 'inferbench-proc-'));
    install('a');
    const collector = createCollector(RECORDED_PID, 'proc', root);
    install('b');
    const m = collector.take();
    expect(collector.source).toBe('proc');
    expect(collector.logicalCores).toBe(2);
    expect(collector.notes).toEqual([]);
    expect(m.cpu).toEqual({ user: 58 / 64, system: 6 / 64, iowait: 0, steal: 0, idle: 0 });
    // 28 utime ticks over 64 system ticks / 2 cores = 32 ticks of one core's time.
    expect(m.processCpuUser).toBe(28 / 32);
    expect(m.processCpuSystem).toBe(0);
    expect(m.processThreads).toBe(11);
    expect(m.processRssBytes).toBe(50100 * 1024);
    expect(m.processReadBytes).toBe(0);
    expect(m.processWriteBytes).toBe(8433664 - 12288);
    expect(m.diskReadBytes).toBe((1466626 - 1464442) * 512);
    expect(m.diskWriteBytes).toBe((2430496 - 2414080) * 512);
    expect(m.memoryAvailableBytes).toBe(24164124 * 1024);
    expect(m.swapInPages).toBe(0);
  });

  it('notes a file it cannot read and leaves that metric null', () => {
    root = mkdtempSync(join(tmpdir(), 'inferbench-proc-'));
    install('a');
    rmSync(join(root, String(RECORDED_PID), 'io'));
    const collector = createCollector(RECORDED_PID, 'proc', root);
    const m = collector.take();
    expect(m.processReadBytes).toBeNull();
    expect(collector.notes).toEqual([expect.stringMatching(/^process I\/O: cannot read .*\/io \(ENOENT\)$/)]);
    expect(m.cpu).not.toBeNull();
  });
});
