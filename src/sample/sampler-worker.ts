// The sampler's worker thread. It reads the system every `intervalMs` on its own event loop, so a
// slow /proc read or a GC here never delays the timed loop on the main thread; the main thread only
// posts tags and, at most every 100 ms, its heap figures and event-loop utilisation (those exist
// per isolate: a worker cannot read the main thread's).
//
// Measured per-call cost of each source (bench/sampler-overhead.mjs on the 2-core dev VM, Node 20;
// quiet machine, and in brackets with the machine loaded by other jobs, load average ~6):
//   /proc/stat 15 (35) µs · /proc/<pid>/status 14 (29) µs · /proc/<pid>/stat 11 (31) µs ·
//   /proc/<pid>/io 8 (18) µs · /proc/meminfo 12 (14) µs · /proc/vmstat 26 (33) µs ·
//   /proc/diskstats 15 (36) µs  → ~90 µs per sample (~180 µs loaded)
//   process.cpuUsage() 0.9 µs · process.memoryUsage() 8 µs ≈ process.memoryUsage.rss() 7.9 µs (the
//   rss read is nearly all of it: heap statistics are not a heap walk) · eventLoopUtilization()
//   0.2 µs · postMessage of the main report 1.1 µs
//   os.cpus() 53 µs (the portable fallback) · si.currentLoad() 9.5 ms fresh (on Linux it runs
//   execSync('cat /proc/stat | grep cpu'): a shell, synchronously), 11 µs when it returns its
//   < 200 ms cache · si.mem() 330 µs · si.processLoad() 13.5 ms and si.graphics() 13.9 ms (spawn
//   ps / nvidia-smi + lspci) — so /proc is read directly, systeminformation is not used per
//   sample at all, and GPUs come from one streaming nvidia-smi (nvidia-smi-stream.ts).
// Sampler on vs off, inference p50 of the CNN fixture, median of 15 interleaved rounds (loaded
// machine): ×1.015 at 100 ms, ×1.013 at 10 ms — within the round-to-round noise (±3%).
// At the default 100 ms that is ~0.1% of one core, spent in this thread.
import { parentPort, workerData } from 'node:worker_threads';
import { createCollector } from './collect.js';
import { MIN_GPU_INTERVAL_MS, startNvidiaSmiStream, type GpuStream } from './nvidia-smi-stream.js';
import type { GpuReading, HeapUsage, Sample, SampleMark, SamplePhase, SampleSeries } from '../model/samples.js';

export interface WorkerConfig {
  intervalMs: number;
  pid: number;
  /** process.hrtime.bigint() on the main thread at start: tMs 0 (the clock is process-wide). */
  startNs: bigint;
  source: 'auto' | 'proc' | 'portable';
  procRoot: string;
  /** nvidia-smi binary, or null to skip GPUs. */
  gpuBinary: string | null;
}

export type ToWorker =
  | { type: 'tag'; tMs: number; trial: string; phase: SamplePhase }
  | { type: 'main'; heap: HeapUsage; elu: { idle: number; active: number } }
  | { type: 'snapshot' }
  | { type: 'stop' };

export type FromWorker = { type: 'ready' } | { type: 'snapshot' | 'done'; series: SampleSeries };

const port = parentPort;
if (port) run(workerData as WorkerConfig, port);

function run(config: WorkerConfig, channel: NonNullable<typeof parentPort>): void {
  const elapsedMs = (): number => Number(process.hrtime.bigint() - config.startNs) / 1e6;
  const collector = createCollector(config.pid, config.source, config.procRoot);
  const samples: Sample[] = [];
  const marks: SampleMark[] = [];
  let tag: { trial: string; phase: SamplePhase } = { trial: '', phase: 'idle' };
  let heap: HeapUsage | null = null;
  let elu: number | null = null;
  let lastElu: { idle: number; active: number } | null = null;
  let lastSampleMs = elapsedMs();

  const gpuIntervalMs = Math.max(MIN_GPU_INTERVAL_MS, config.intervalMs);
  const gpuLatest = new Map<number, { reading: GpuReading; atMs: number }>();
  const gpu: GpuStream | null = config.gpuBinary
    ? startNvidiaSmiStream({
        intervalMs: gpuIntervalMs,
        binary: config.gpuBinary,
        onReading: (reading) => gpuLatest.set(reading.index, { reading, atMs: elapsedMs() }),
      })
    : null;

  const take = (): void => {
    const tMs = elapsedMs();
    const metrics = collector.take();
    // A reading older than a few GPU intervals means nvidia-smi stalled: better absent than stale.
    const fresh = [...gpuLatest.values()].filter((g) => tMs - g.atMs <= 3 * gpuIntervalMs);
    samples.push({
      tMs,
      intervalMs: tMs - lastSampleMs,
      ...tag,
      ...metrics,
      heap,
      eventLoopUtilization: elu,
      gpus: fresh.map((g) => g.reading).sort((a, b) => a.index - b.index),
    });
    lastSampleMs = tMs;
  };
  const timer = setInterval(take, config.intervalMs);

  channel.on('message', (message: ToWorker) => {
    if (message.type === 'tag') {
      tag = { trial: message.trial, phase: message.phase };
      marks.push({ tMs: message.tMs, trial: message.trial, phase: message.phase });
    } else if (message.type === 'main') {
      heap = message.heap;
      if (lastElu) {
        const active = message.elu.active - lastElu.active;
        const idle = message.elu.idle - lastElu.idle;
        elu = active + idle > 0 ? active / (active + idle) : elu;
      }
      lastElu = message.elu;
    } else if (message.type === 'snapshot') {
      take(); // so the series ends now, not up to an interval ago
      channel.postMessage({ type: 'snapshot', series: seriesSoFar() } satisfies FromWorker);
    } else {
      clearInterval(timer);
      take(); // the tail since the last tick, so even a short run has a sample
      void finish();
    }
  });
  channel.postMessage({ type: 'ready' } satisfies FromWorker);

  async function finish(): Promise<void> {
    await gpu?.stop();
    channel.postMessage({ type: 'done', series: seriesSoFar() } satisfies FromWorker);
    channel.close();
  }

  function seriesSoFar(): SampleSeries {
    const notes = [...collector.notes, ...(gpu?.notes ?? [])];
    if (!gpu) notes.push('GPU sampling was turned off');
    if (config.pid !== process.pid) notes.push(`heap and event-loop utilisation are the sampler's own main thread's, not process ${config.pid}'s: they are left out`);
    return {
      intervalMs: config.intervalMs,
      pid: config.pid,
      source: collector.source,
      logicalCores: collector.logicalCores,
      samples,
      marks,
      notes,
    };
  }
}
