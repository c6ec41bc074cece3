// A concurrent trial (--concurrency N > 1): N streams, each a worker thread with its own session,
// keep N requests in flight (a closed loop, like perf_analyzer's --concurrency-range or
// benchmark_app's -nireq). Every request's stages are timed where it runs (load-worker.ts);
// this side starts the streams together once all are warm, stops them on the shared rule, and
// merges their samples in completion order into one recorder, so the statistics, drift check
// and warnings are those of a single stream. Throughput is requests ÷ wall time of the phase.
import type { SessionOptions } from '../adapters/adapter.js';
import type { InputPins } from '../inputs/pins.js';
import { startModuleWorker } from '../sample/worker-entry.js';
import type { PhaseBound, StopReason, WarmupSummary } from '../types.js';
import { CONTROL, type LoadWorkerData, type LoadWorkerMessage } from './load-protocol.js';
import { startMemoryProbe } from './memory-probe.js';
import { StageRecorder } from './recorder.js';
import { summarizeMeasurement, type RunTrialOptions, type TrialMeasurement } from './run-trial.js';

export interface ConcurrentTrial extends RunTrialOptions {
  model: string;
  session: SessionOptions;
  shapes: Map<string, number[]>;
  pins: InputPins;
  seed: number;
  concurrency: number;
}

type Done = Extract<LoadWorkerMessage, { type: 'done' }>;
type Ready = Extract<LoadWorkerMessage, { type: 'ready' }>;

/** A stream's failure, with the phase it failed in (the trial records it). */
export class StreamError extends Error {
  constructor(message: string, readonly phase: Extract<LoadWorkerMessage, { type: 'error' }>['phase']) {
    super(message);
  }
}

const PROGRESS_INTERVAL_MS = 100;

export async function runConcurrentTrial(trial: ConcurrentTrial): Promise<TrialMeasurement> {
  const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL.length));
  const clock = new BigInt64Array(new SharedArrayBuffer(8));
  const streams = Array.from({ length: trial.concurrency }, (_, index) => startStream(trial, index, control.buffer as SharedArrayBuffer, clock.buffer as SharedArrayBuffer));
  const stop = (): void => {
    Atomics.store(control, CONTROL.stop, 1);
    // A stream still warming up has not reached GO: let it through so that it sees STOP.
    Atomics.store(control, CONTROL.go, 1);
    Atomics.notify(control, CONTROL.go);
  };
  trial.signal?.addEventListener('abort', stop, { once: true });
  let progress: NodeJS.Timeout | undefined;
  try {
    trial.onPhaseStart?.('warmup');
    const ready = await Promise.all(streams.map((s) => s.ready));
    await trial.onPhaseStart?.('measure'); // before GO: nothing is in flight (remote targets snapshot their server here)
    // Faults, kernel time and RSS of the whole process: every stream's worker thread counts.
    // GC is this isolate's only: the streams' own collections are not seen.
    const probe = startMemoryProbe();
    clock[0] = process.hrtime.bigint();
    Atomics.store(control, CONTROL.go, 1);
    Atomics.notify(control, CONTROL.go);
    progress = setInterval(() => trial.onProgress?.('measure', Atomics.load(control, CONTROL.completed), Number(process.hrtime.bigint() - clock[0]!) / 1e6), PROGRESS_INTERVAL_MS);
    const done = await Promise.all(streams.map((s) => s.done));
    const counted = probe.stop(done.reduce((n, d) => n + d.completedAtNs.length, 0));
    const lead = ready[0]!;
    const warmup: WarmupSummary = { ...(lead.warmup ?? { iterations: 0, durationMs: 0, convergedAt: null }), bound: trial.warmup };
    const { recorder, durationMs } = merge(done);
    const stopReason = stopReasonOf(trial.measure, done, trial.signal?.aborted ?? false);
    return summarizeMeasurement({
      recorder,
      loop: { iterations: recorder.count, durationMs, stopReason },
      bound: trial.measure,
      firstIteration: lead.firstIteration ?? { firstInferenceMs: 0, firstTotalMs: 0 },
      warmup,
      perIterationUs: lead.perIterationUs ?? 0,
      memory: { ...counted, outputBytesPerIteration: null },
    });
  } catch (error) {
    stop();
    throw error;
  } finally {
    clearInterval(progress);
    trial.signal?.removeEventListener('abort', stop);
    await Promise.all(streams.map((s) => s.worker.terminate()));
  }
}

function startStream(trial: ConcurrentTrial, index: number, control: SharedArrayBuffer, clock: SharedArrayBuffer) {
  const data: LoadWorkerData = {
    index,
    model: trial.model,
    session: trial.session,
    shapes: [...trial.shapes],
    pins: trial.pins,
    seed: trial.seed,
    warmup: trial.warmup,
    measure: trial.measure,
    control,
    clock,
  };
  const worker = startModuleWorker(new URL('./load-worker', import.meta.url), data);
  const ready = deferred<Ready>();
  const done = deferred<Done>();
  // A failure rejects both: `ready` if the stream had not got there, else `done`. A settled
  // promise ignores the second call, and `done` is never awaited when `ready` fails, so keep it
  // from surfacing as an unhandled rejection.
  done.promise.catch(() => undefined);
  const fail = (error: Error): void => {
    ready.reject(error);
    done.reject(error);
  };
  worker.on('message', (message: LoadWorkerMessage) => {
    if (message.type === 'ready') ready.resolve(message);
    else if (message.type === 'done') done.resolve(message);
    else fail(new StreamError(`stream ${index + 1} of ${trial.concurrency}: ${message.message}`, message.phase));
  });
  worker.on('error', (error) => fail(new StreamError(`stream ${index + 1} of ${trial.concurrency} crashed: ${error.message}`, 'measure')));
  worker.on('exit', (code) => fail(new StreamError(`stream ${index + 1} of ${trial.concurrency} exited (code ${code}) before it finished`, 'measure')));
  return { worker, ready: ready.promise, done: done.promise };
}

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: Error): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** All streams' samples in completion order, so drift and convergence read the phase as it ran. */
function merge(done: readonly Done[]): { recorder: StageRecorder; durationMs: number } {
  const all: { at: number; stream: number; i: number }[] = [];
  done.forEach((d, stream) => d.completedAtNs.forEach((at, i) => all.push({ at, stream, i })));
  all.sort((a, b) => a.at - b.at);
  const recorder = new StageRecorder(Math.max(1, all.length));
  for (const { stream, i } of all) {
    const s = done[stream]!.stages;
    recorder.record(s[0]![i]!, s[1]![i]!, s[2]![i]!, s[3]![i]!);
  }
  return { recorder, durationMs: (all.at(-1)?.at ?? 0) / 1e6 };
}

function stopReasonOf(bound: PhaseBound, done: readonly Done[], aborted: boolean): StopReason {
  if (aborted) return 'interrupted';
  if (bound.kind === 'count') return 'iterations';
  return (done.find((d) => d.stoppedBy !== null)?.stoppedBy as StopReason | undefined) ?? 'max-iterations';
}
