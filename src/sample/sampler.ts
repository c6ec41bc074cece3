// The system sampler, main-thread side: starts the worker (sampler-worker.ts) that reads the
// system every `intervalMs`, forwards trial/phase tags to it, and posts what only the main thread
// can see (its V8 heap and event-loop utilisation) at most every MAIN_REPORT_MIN_MS. `stop()`
// resolves with every sample once the worker has exited.
//
// Main-thread cost: setTag is one postMessage; the periodic report is process.memoryUsage()
// (~8 µs) + eventLoopUtilization() (<1 µs) + one postMessage, on an unref'd timer that runs only
// when the event loop is free (i.e. while `await session.run` is in flight, never inside
// synchronous timed code).
import { performance } from 'node:perf_hooks';
import { DEFAULT_SAMPLE_INTERVAL_MS, type SamplePhase, type SampleSeries } from '../model/samples.js';

export { DEFAULT_SAMPLE_INTERVAL_MS } from '../model/samples.js';
import type { FromWorker, ToWorker, WorkerConfig } from './sampler-worker.js';
import { startSamplerWorker } from './worker-entry.js';

/** The main thread reports heap and ELU no more often than this, whatever the sample interval. */
export const MAIN_REPORT_MIN_MS = 100;

export interface SamplerOptions {
  /** Milliseconds between samples; default 100. Values below 1 are raised to 1. */
  intervalMs?: number;
  /** Process to sample; default this one. Heap and ELU exist only for this process. */
  pid?: number;
  /** nvidia-smi binary to stream GPU metrics from, or false for no GPU sampling; default 'nvidia-smi'. */
  gpu?: string | false;
  /** 'auto' (default): /proc on Linux, Node's portable calls elsewhere. Forcing one is for tests. */
  source?: 'auto' | 'proc' | 'portable';
  /** Root of the proc filesystem; default '/proc'. */
  procRoot?: string;
}

export interface Sampler {
  /**
   * Resolves once the worker has taken its baseline and samples are being taken (tens of ms
   * when built; seconds from the TypeScript source). Tags set before then are kept.
   */
  ready(): Promise<void>;
  /**
   * Every sample so far (after taking one now), without stopping: for a per-trial summary while
   * the sweep goes on. Call it before changing the tag, so the last sample keeps the phase it
   * closes. Resolves with the series so far, or with stop()'s if the sampler is stopping.
   */
  snapshot(): Promise<SampleSeries>;
  /** Tags the samples taken from now on with a trial id and phase. */
  setTag(trial: string, phase: SamplePhase): void;
  /** Takes a last sample, stops the worker and the nvidia-smi child, and returns every sample. */
  stop(): Promise<SampleSeries>;
}

export function startSampler(options: SamplerOptions = {}): Sampler {
  const intervalMs = Math.max(1, options.intervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS);
  const pid = options.pid ?? process.pid;
  const startNs = process.hrtime.bigint();
  const config: WorkerConfig = {
    intervalMs,
    pid,
    startNs,
    source: options.source ?? 'auto',
    procRoot: options.procRoot ?? '/proc',
    gpuBinary: options.gpu === false ? null : (options.gpu ?? 'nvidia-smi'),
  };
  const worker = startSamplerWorker(config);
  // The sampler must never keep the process alive on its own (e.g. if a caller forgets stop()).
  worker.unref();
  const post = (message: ToWorker): void => worker.postMessage(message);

  let failure: Error | null = null;
  let series: SampleSeries | null = null;
  const pendingSnapshots: ((series: SampleSeries) => void)[] = [];
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const exited = new Promise<void>((resolve) => {
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') markReady();
      else if (message.type === 'snapshot') pendingSnapshots.shift()?.(message.series);
      else series = message.series;
    });
    worker.on('error', (error) => {
      failure = error;
    });
    worker.once('exit', () => {
      markReady(); // a worker that died before it was ready must not leave ready() pending
      resolve();
    });
  });

  const reportMain = (): void => {
    const { heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    const { idle, active } = performance.eventLoopUtilization();
    post({ type: 'main', heap: { heapUsedBytes: heapUsed, heapTotalBytes: heapTotal, externalBytes: external, arrayBuffersBytes: arrayBuffers }, elu: { idle, active } });
  };
  const mainTimer = pid === process.pid ? setInterval(reportMain, Math.max(MAIN_REPORT_MIN_MS, intervalMs)) : null;
  mainTimer?.unref();
  if (mainTimer) reportMain();

  let stopped: Promise<SampleSeries> | null = null;
  return {
    async ready() {
      // Awaiting ready() must keep the process alive even though the worker is unref'd.
      worker.ref();
      await ready;
      if (!stopped) worker.unref();
    },
    snapshot() {
      if (stopped) return stopped;
      worker.ref(); // awaited: keep the process alive until the answer comes
      const answer = new Promise<SampleSeries>((resolve) => pendingSnapshots.push(resolve));
      post({ type: 'snapshot' });
      return Promise.race([answer, exited.then(() => stopped ?? Promise.resolve(failedSeries(config, failure)))]).finally(() => {
        if (!stopped && pendingSnapshots.length === 0) worker.unref();
      });
    },
    setTag(trial, phase) {
      if (stopped) return;
      post({ type: 'tag', tMs: Number(process.hrtime.bigint() - startNs) / 1e6, trial, phase });
    },
    stop() {
      stopped ??= (async () => {
        if (mainTimer) {
          clearInterval(mainTimer);
          reportMain();
        }
        worker.ref(); // stop() is awaited: the worker's answer must keep the process alive
        post({ type: 'stop' });
        await exited;
        if (series) return series;
        return failedSeries(config, failure);
      })();
      return stopped;
    },
  };
}

/** A worker that died is not a reason to lose the trial: an empty series that says why. */
function failedSeries(config: WorkerConfig, failure: Error | null): SampleSeries {
  return {
    intervalMs: config.intervalMs,
    pid: config.pid,
    source: config.source === 'portable' ? 'portable' : 'proc',
    logicalCores: 0,
    samples: [],
    marks: [],
    notes: [`the sampler's worker stopped without results: ${failure?.message ?? 'it exited early'}`],
  };
}
