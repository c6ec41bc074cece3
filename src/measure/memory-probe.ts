// What a measured phase cost in memory: page faults, kernel CPU time, garbage collections, bytes
// allocated on the V8 heap, and RSS, each read once before and once after the phase — never
// inside the timed region. process.resourceUsage() is getrusage(2) (ru_minflt, ru_majflt,
// ru_stime) for the whole process, so concurrent streams' worker threads count too.
// Why it matters: with large outputs a request's cost is mostly what happens to the previous
// outputs (docs/large-outputs.md): fresh pages fault in (~20 µs each on the development VM) and
// freed ones go back to the OS, and that time lands in run() or between requests.
import { GCProfiler, getHeapStatistics } from 'node:v8';
import type { MemoryAccounting } from '../types.js';

interface Counters {
  minor: number;
  major: number;
  systemUs: number;
  rss: number;
  heapUsed: number;
}

function counters(): Counters {
  const usage = process.resourceUsage();
  return { minor: usage.minorPageFault, major: usage.majorPageFault, systemUs: usage.systemCPUTime, rss: process.memoryUsage.rss(), heapUsed: getHeapStatistics().used_heap_size };
}

export interface MemoryProbe {
  /** Call once when the phase ends; `iterations` are the requests it measured. */
  stop(iterations: number): Omit<MemoryAccounting, 'outputs' | 'outputBytesPerIteration'>;
}

/** Starts counting; the GC profiler records each collection's pause and heap before/after. */
export function startMemoryProbe(): MemoryProbe {
  const profiler = new GCProfiler();
  profiler.start();
  const before = counters();
  return {
    stop(iterations) {
      const after = counters();
      const gcs = profiler.stop()?.statistics ?? [];
      const per = (x: number): number => (iterations > 0 ? x / iterations : 0);
      let pauseUs = 0;
      let freed = 0;
      for (const gc of gcs) {
        pauseUs += gc.cost;
        freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
      }
      // V8 keeps no running total of allocation: what the collections freed plus the heap's net
      // growth is what was allocated (exact up to objects allocated and freed by one GC's sweep).
      const allocated = Math.max(0, freed + after.heapUsed - before.heapUsed);
      return {
        minorFaultsPerIteration: per(after.minor - before.minor),
        majorFaultsPerIteration: per(after.major - before.major),
        systemCpuPerIterationMs: per(after.systemUs - before.systemUs) / 1000,
        gcCount: gcs.length,
        gcPauseMs: pauseUs / 1000,
        heapAllocatedPerIterationBytes: per(allocated),
        rssStartBytes: before.rss,
        rssEndBytes: after.rss,
        rssGrowthBytes: after.rss - before.rss,
      };
    },
  };
}
