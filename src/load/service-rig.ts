// The in-process service rig: N model instances (worker threads, warm) behind the serving queue
// and batcher, driven by an open-loop schedule. Opened once, probed at many rates (the sweep runs
// one probe per trial; the knee search, load/knee.ts, bisects over probes), closed at the end.
import type { HostTensor, SessionOptions } from '../adapters/adapter.js';
import { WorkerInstance } from '../serving/instances.js';
import type { PhaseBound, ServiceMeasurement } from '../types.js';
import { runProbe, type ProbeOptions } from './probe.js';

export type { ProbeOptions } from './probe.js';

export interface ServiceRigOptions {
  /** Model file the instances open (a precision variant's path for its trials). */
  model: string;
  session: SessionOptions;
  /** The inputs of ONE request (built once; every request sends a copy across to its instance). */
  payload: HostTensor[];
  /** Input name → batch axis along which requests stack (null: none). */
  batchAxes: ReadonlyMap<string, number | null>;
  itemsPerRequest: number;
  /** Instances (worker threads, one session each); fixed for the rig's life. */
  instances: number;
  /** Largest model batch (items) the instances will be asked to run; warm-up covers 1..maxBatch requests' worth. */
  maxBatch: number;
  /** Warm-up of each instance (closed loop, before any probe). */
  warmup: PhaseBound;
}

export interface ServiceRig {
  readonly instances: number;
  /** Runs one probe; never overlaps another probe on the same rig. */
  probe(options: ProbeOptions): Promise<ServiceMeasurement>;
  close(): Promise<void>;
}

/** Warm-up runs of each instance at each batch size it may be asked to run (new shapes allocate on their first run). */
const WARM_RUNS_PER_SIZE = 3;
/** auto warm-up: runs of one request, on each instance, beyond the per-size ones. */
const AUTO_WARMUP_RUNS = 20;

/** What opening the rig cost and found: the trial's cold start and warm-up. */
export interface RigWarmup {
  backend: string;
  modelLoadMs: number;
  firstInferenceMs: number;
  firstTotalMs: number;
  iterations: number;
  durationMs: number;
}

export async function openServiceRig(options: ServiceRigOptions & { threadsPerInstance: number }): Promise<ServiceRig & { warmup: RigWarmup }> {
  const started = performance.now();
  const instances = Array.from({ length: options.instances }, (_, i) => new WorkerInstance(i, { model: options.model, session: options.session, batchAxes: options.batchAxes }));
  try {
    const [first] = await Promise.all(instances.map((instance) => instance.ready));
    const modelLoadMs = performance.now() - started;
    const warmStart = performance.now();
    const firstRun = await timed(instances[0]!, options.payload, 1, options.itemsPerRequest);
    const perInstance = await Promise.all(instances.map((instance) => warmInstance(instance, options)));
    const warmup: RigWarmup = {
      backend: first!.backend,
      modelLoadMs,
      firstInferenceMs: firstRun.inferenceMs,
      firstTotalMs: firstRun.totalMs,
      iterations: perInstance.reduce((a, b) => a + b, 0),
      durationMs: performance.now() - warmStart,
    };
    let busy = false;
    const rig = { runners: instances, payload: options.payload, itemsPerRequest: options.itemsPerRequest, threadsPerInstance: options.threadsPerInstance };
    return {
      instances: options.instances,
      warmup,
      async probe(probe: ProbeOptions) {
        if (busy) throw new Error('a service rig runs one probe at a time');
        busy = true;
        try {
          return await runProbe(rig, probe);
        } finally {
          busy = false;
        }
      },
      close: () => closeAll(instances),
    };
  } catch (error) {
    await closeAll(instances);
    throw error;
  }
}

async function closeAll(instances: readonly WorkerInstance[]): Promise<void> {
  await Promise.all(instances.map((i) => i.close()));
}

async function timed(instance: WorkerInstance, payload: HostTensor[], requests: number, items: number): Promise<{ inferenceMs: number; totalMs: number }> {
  const t0 = performance.now();
  const outcome = await instance.run(Array.from({ length: requests }, () => payload), Array.from({ length: requests }, () => items));
  return { inferenceMs: outcome.stagesMs?.inference ?? 0, totalMs: performance.now() - t0 };
}

/** Closed-loop runs before any probe: each batch size the batcher can form, then the warm-up bound at one request. */
async function warmInstance(instance: WorkerInstance, options: ServiceRigOptions): Promise<number> {
  const maxRequests = Math.max(1, Math.floor(options.maxBatch / options.itemsPerRequest));
  let runs = 0;
  for (let k = 1; k <= maxRequests; k++) {
    for (let r = 0; r < WARM_RUNS_PER_SIZE; r++, runs++) await timed(instance, options.payload, k, options.itemsPerRequest);
  }
  const bound = options.warmup;
  const started = performance.now();
  const more = (done: number): boolean => {
    if (bound.kind === 'count') return done < bound.iterations;
    if (bound.kind === 'time') return performance.now() - started < bound.ms;
    return done < AUTO_WARMUP_RUNS;
  };
  for (let done = 0; more(done); done++, runs++) await timed(instance, options.payload, 1, options.itemsPerRequest);
  return runs;
}
