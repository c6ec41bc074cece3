// One open-loop probe on warm instances: the schedule computed up front, the driver sending on
// it, the batcher dispatching to the instances, each request's stages recorded from its INTENDED
// arrival, the queue sampled for the overload rules, and the verdicts. Ends when every request is
// served, when the probe is clearly overloaded (ended early: what waits is counted unfinished), or
// when the signal aborts it.
import type { HostTensor } from '../adapters/adapter.js';
import { driftRatio } from '../measure/convergence.js';
import { Batcher, type BatchRunner, type CompletedBatch } from '../serving/batcher.js';
import type { PhaseBound, ServiceMeasurement, ServiceSection, ServingSettings } from '../types.js';
import { arrivalSchedule, offeredRate, readTrace, type Schedule } from './arrivals.js';
import { startDriver } from './driver.js';
import { clearlyOverloaded, generatorVerdict, overloadVerdict, QUEUE_SAMPLE_MS, QueueSamples } from './overload.js';
import { PreciseTimer } from './precise-timer.js';
import { ProbeRecord } from './probe-record.js';

/** One open-loop probe: the serving settings except `instances` (the rig's), and how long. */
export interface ProbeOptions {
  settings: Omit<ServingSettings, 'instances'>;
  /**
   * count: that many requests scheduled; time: arrivals over that long; auto: ≥ 1000 requests
   * (LoadGen's p99 minimum is 459 clean ones) and ≥ 2 s of arrivals, at most 10 s.
   */
  measure: PhaseBound;
  /** Aborting stops sending; in-flight batches finish; the measurement says interrupted. */
  signal?: AbortSignal | undefined;
  /** Progress at most every 100 ms: requests completed, ms since the first arrival. */
  onProgress?: ((completed: number, elapsedMs: number) => void) | undefined;
}

/** auto bound: ≥ AUTO_MIN_REQUESTS requests and ≥ AUTO_MIN_MS of arrivals, at most AUTO_MAX_MS. */
const AUTO_MIN_REQUESTS = 1_000;
const AUTO_MIN_MS = 2_000;
const AUTO_MAX_MS = 10_000;
/** After the last send, waiting for the queue to drain stops after this long (the rest: unfinished). */
const DRAIN_MAX_MS = 10_000;
const PROGRESS_MS = 100;

export interface ProbeRig {
  runners: readonly BatchRunner<HostTensor[], HostTensor[]>[];
  payload: HostTensor[];
  itemsPerRequest: number;
  threadsPerInstance: number;
  /**
   * What the overload rules sample as the queue: 'waiting' (not yet dispatched: the in-process
   * server's queue) or 'outstanding' (waiting + running: a client's requests not yet answered,
   * load/remote-rig.ts). Default 'waiting'.
   */
  queueDepth?: 'waiting' | 'outstanding';
  /** Each completed request's wait from its actual send to its dispatch, ms (a client's wait for a free connection). */
  onDispatchWait?: (ms: number) => void;
  /** A runner's result meaning "the target refused this request" (a server's full queue): counted as dropped, not completed. */
  refusedResult?: HostTensor[];
}

type Tag = number;

export function scheduleFor(options: ProbeOptions): Schedule {
  const { settings, measure } = options;
  const trace = settings.arrivals === 'trace' && settings.trace !== undefined ? readTrace(settings.trace) : undefined;
  const base = { kind: settings.arrivals, rate: settings.rate, seed: settings.seed, ...(trace && { trace }) };
  return arrivalSchedule({ ...base, ...boundOf(measure, settings.rate) });
}

function boundOf(bound: PhaseBound, rate: number): { count: number } | { durationMs: number } {
  if (bound.kind === 'count') return { count: bound.iterations };
  if (bound.kind === 'time') return { durationMs: bound.ms };
  return { durationMs: Math.min(AUTO_MAX_MS, Math.max(AUTO_MIN_MS, (AUTO_MIN_REQUESTS * 1000) / rate)) };
}

export async function runProbe(rig: ProbeRig, options: ProbeOptions): Promise<ServiceMeasurement> {
  const { settings } = options;
  const schedule = scheduleFor(options);
  const offered = offeredRate(schedule) || settings.rate;
  const n = schedule.length;
  const record = new ProbeRecord(n);
  const clock = new PreciseTimer();
  const intended = new Float64Array(n);
  const sentAt = new Float64Array(n);
  let dropped = 0;
  let failure: unknown = null;
  const batcher = new Batcher<HostTensor[], HostTensor[], Tag>({
    policy: settings.batching,
    maxBatch: settings.maxBatch,
    maxDelayMs: settings.maxDelayMs,
    queueLimit: settings.queueLimit,
    runners: rig.runners,
    clock,
    onDone: (batch) => complete(batch),
    onError: (error) => {
      failure ??= error;
      stopAll();
    },
  });
  const complete = (batch: CompletedBatch<HostTensor[], HostTensor[], Tag>): void => {
    const c = batch.completedAt;
    if (rig.refusedResult !== undefined && batch.outcome.results.every((r) => r === rig.refusedResult)) {
      dropped += batch.requests.length;
      return;
    }
    const worker = batch.outcome.stagesMs ?? { preprocess: 0, inference: 0, postprocess: 0 };
    const serviceMs = c - batch.dispatchedAt;
    const crossing = serviceMs - worker.preprocess - worker.inference - worker.postprocess;
    record.addBatch(batch.items, serviceMs, worker.inference);
    batch.requests.forEach((request, k) => {
      const i = request.tag;
      // Delivery: the request gets its own outputs (a server would now encode its response).
      const outputs = batch.outcome.results[k];
      const p = clock.now();
      if (outputs === undefined) failure ??= new Error(`a batch of ${batch.requests.length} requests returned ${batch.outcome.results.length} results`);
      const batchWait = batch.batchWaitMs[k]!;
      record.addRequest({
        queue: batch.dispatchedAt - intended[i]! - batchWait,
        batch: batchWait,
        crossing,
        preprocess: worker.preprocess,
        inference: worker.inference,
        postprocess: worker.postprocess + (p - c),
        total: p - intended[i]!,
        uncorrected: p - sentAt[i]!,
        lag: sentAt[i]! - intended[i]!,
      });
      record.lastCompletionAt = p;
      rig.onDispatchWait?.(batch.dispatchedAt - sentAt[i]!);
    });
    harnessMs += clock.now() - c;
  };

  let harnessMs = 0;
  const driver = startDriver(clock, schedule, (i, at, sent) => {
    intended[i] = at;
    sentAt[i] = sent;
    record.lagBySend[i] = sent - at;
    if (!batcher.submit(rig.payload, rig.itemsPerRequest, i)) dropped++;
    harnessMs += clock.now() - sent;
  });
  const samples = new QueueSamples();
  const outstanding = rig.queueDepth === 'outstanding';
  let endedEarly = false;
  let unfinished = 0;
  const stopAll = (): void => {
    driver.stop();
    unfinished += batcher.abandon().length;
  };
  const onAbort = (): void => stopAll();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stopAll();
  let lastProgress = 0;
  const sampler = setInterval(() => {
    const elapsed = clock.now() - driver.startedAt;
    if (elapsed < 0) return;
    samples.add(elapsed, outstanding ? batcher.depth + batcher.running : batcher.depth);
    if (!endedEarly && clearlyOverloaded(samples, elapsed, offered)) {
      endedEarly = true;
      stopAll();
    }
    if (elapsed - lastProgress >= PROGRESS_MS) {
      lastProgress = elapsed;
      options.onProgress?.(record.completed, elapsed);
    }
  }, QUEUE_SAMPLE_MS);
  try {
    await driver.finished;
    const drained = batcher.idle();
    const cap = new Promise<'cap'>((resolve) => clock.at(clock.now() + DRAIN_MAX_MS, () => resolve('cap')));
    if ((await Promise.race([drained, cap])) === 'cap') stopAll();
    await batcher.idle();
  } finally {
    clearInterval(sampler);
    clock.clear();
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (failure) throw failure;
  const sent = driver.sent();
  return summarize(record, {
    rig, options, schedule, offered, sent, dropped, unfinished, endedEarly, samples,
    startedAt: driver.startedAt, sentAt, eventLoopDelayP99Ms: driver.eventLoopDelayP99Ms(),
    interrupted: options.signal?.aborted ?? false, harnessMs,
  });
}

interface ProbeFacts {
  rig: ProbeRig;
  options: ProbeOptions;
  schedule: Schedule;
  offered: number;
  sent: number;
  dropped: number;
  unfinished: number;
  endedEarly: boolean;
  samples: QueueSamples;
  startedAt: number;
  sentAt: Float64Array;
  eventLoopDelayP99Ms: number;
  interrupted: boolean;
  harnessMs: number;
}

function summarize(record: ProbeRecord, f: ProbeFacts): ServiceMeasurement {
  const stages = record.stages();
  const durationMs = record.completed > 0 ? record.lastCompletionAt - f.startedAt : 0;
  const achievedRate = durationMs > 0 ? (record.completed * 1000) / durationMs : 0;
  const sendSpan = f.sent > 1 ? f.sentAt[f.sent - 1]! - f.sentAt[0]! : 0;
  const serviceTime = record.serviceTime();
  const instances = f.rig.runners.length;
  const busyMs = record.batchServiceMs.reduce((a, b) => a + b, 0);
  const service: ServiceSection = {
    settings: { ...f.options.settings, instances },
    itemsPerRequest: f.rig.itemsPerRequest,
    threadsPerInstance: f.rig.threadsPerInstance,
    offeredRate: f.offered,
    sentRate: sendSpan > 0 ? ((f.sent - 1) * 1000) / sendSpan : 0,
    achievedRate,
    requests: { scheduled: f.schedule.length, sent: f.sent, completed: record.completed, dropped: f.dropped, unfinished: f.unfinished },
    meanBatchSize: record.meanBatchSize(),
    batches: record.batchItems.length,
    inferenceByBatchSize: record.byBatchSize(),
    serviceTime,
    utilisation: durationMs > 0 ? busyMs / (instances * durationMs) : 0,
    queue: { maxDepth: f.samples.max, endDepth: f.samples.last, slopePerSec: f.samples.slopePerSec(), samples: f.samples.count },
    overload: overloadVerdict({ offeredRate: f.offered, achievedRate, sent: f.sent, dropped: f.dropped, endedEarly: f.endedEarly, samples: f.samples }),
    generator: generatorVerdict(record.lagBySend, f.sent, stages.lag.p99Ms, f.eventLoopDelayP99Ms),
    durationMs,
  };
  return {
    stages,
    service,
    interrupted: f.interrupted,
    bound: f.options.measure,
    driftRatio: driftRatio(record.columns.total, record.completed),
    harnessUsPerRequest: f.sent > 0 ? (f.harnessMs * 1000) / f.sent : 0,
  };
}
