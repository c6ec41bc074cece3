// The timing loop. Everything between the first and the last clock read of an iteration is the
// session's own work: feeds, inputs and sinks are built before the loop, and the per-iteration
// bookkeeping (recording, stop checks, progress) happens after the last read.
import type { HostTensor, Session } from '../adapters/adapter.js';
import type { StopReason } from '../types.js';
import { elapsedNs, now } from './clock.js';
import { attributeFaults, type FaultAttribution } from './fault-attribution.js';

/** Receives one iteration's stage times in nanoseconds (`loadNs` only from a pipeline loop). */
export interface IterationSink {
  record(preprocessNs: number, inferenceNs: number, postprocessNs: number, totalNs: number, loadNs?: number): void;
}

/**
 * The stages a data pipeline adds around the session (src/pipeline/runner.ts implements them):
 * reading batch k, turning it into host tensors, and post-processing host outputs.
 */
export interface RequestStages {
  load(k: number): Promise<unknown>;
  preprocess(raw: never): Promise<HostTensor[]>;
  postprocess(outputs: HostTensor[]): Promise<unknown>;
}

export interface LoopControl {
  /** Called after each iteration with the count so far; a non-null answer ends the loop. */
  stop(iterations: number, elapsedMs: number): StopReason | null;
  signal?: AbortSignal | undefined;
  /** Called at most every PROGRESS_INTERVAL_MS, outside the timed region. */
  onProgress?: ((iterations: number, elapsedMs: number) => void) | undefined;
  /**
   * Asked before each iteration; false ends the loop before it starts one. Concurrent streams
   * (load-worker.ts) take a ticket here so that -n counts requests across all of them.
   */
  admit?: (() => boolean) | undefined;
}

const PROGRESS_INTERVAL_NS = 100_000_000n;

export interface LoopResult {
  iterations: number;
  durationMs: number;
  stopReason: StopReason;
}

export async function timedLoop(
  session: Session,
  inputs: readonly HostTensor[],
  sink: IterationSink,
  control: LoopControl,
): Promise<LoopResult> {
  const { signal, onProgress, admit } = control;
  // Nothing reads a synthetic loop's outputs: consume() handles them without building HostTensors.
  const consume = typeof session.consume === 'function';
  const start = now();
  let lastProgress = start;
  let iterations = 0;
  for (;;) {
    if (admit && !admit()) return { iterations, durationMs: elapsedNs(start, now()) / 1e6, stopReason: 'iterations' };
    const t0 = now();
    const feeds = session.prepare(inputs);
    const t1 = now();
    const outputs = await session.run(feeds);
    const t2 = now();
    if (consume) session.consume!(outputs);
    else session.collect(outputs);
    const t3 = now();

    sink.record(elapsedNs(t0, t1), elapsedNs(t1, t2), elapsedNs(t2, t3), elapsedNs(t0, t3));
    iterations++;
    const elapsedMs = elapsedNs(start, t3) / 1e6;
    const reason = signal?.aborted ? 'interrupted' : control.stop(iterations, elapsedMs);
    if (reason) return { iterations, durationMs: elapsedMs, stopReason: reason };
    if (onProgress && t3 - lastProgress >= PROGRESS_INTERVAL_NS) {
      lastProgress = t3;
      onProgress(iterations, elapsedMs);
    }
  }
}

/**
 * The loop for real data: five clock reads, each stage one await. `firstBatch` continues the
 * dataset where the previous phase stopped, so warm-up and measurement cycle through it in turn.
 */
export async function pipelineLoop(
  session: Session,
  stages: RequestStages,
  sink: IterationSink,
  control: LoopControl,
  firstBatch: number,
): Promise<LoopResult> {
  const { signal, onProgress } = control;
  const preprocess = stages.preprocess as (raw: unknown) => Promise<HostTensor[]>;
  const start = now();
  let lastProgress = start;
  let iterations = 0;
  for (;;) {
    const t0 = now();
    const raw = await stages.load(firstBatch + iterations);
    const t1 = now();
    const feeds = session.prepare(await preprocess(raw));
    const t2 = now();
    const outputs = await session.run(feeds);
    const t3 = now();
    await stages.postprocess(session.collect(outputs));
    const t4 = now();

    sink.record(elapsedNs(t1, t2), elapsedNs(t2, t3), elapsedNs(t3, t4), elapsedNs(t0, t4), elapsedNs(t0, t1));
    iterations++;
    const elapsedMs = elapsedNs(start, t4) / 1e6;
    const reason = signal?.aborted ? 'interrupted' : control.stop(iterations, elapsedMs);
    if (reason) return { iterations, durationMs: elapsedMs, stopReason: reason };
    if (onProgress && t4 - lastProgress >= PROGRESS_INTERVAL_NS) {
      lastProgress = t4;
      onProgress(iterations, elapsedMs);
    }
  }
}

/** What runTrial drives: the loop over real work, and the same loop with the work taken out. */
export interface TrialDriver {
  readonly hasLoad: boolean;
  loop(sink: IterationSink, control: LoopControl): Promise<LoopResult>;
  emptyLoop(sink: IterationSink, control: LoopControl): Promise<LoopResult>;
  /** An untimed pass that says which stage page faults happen in (synthetic inputs only). */
  attributeFaults?(): Promise<FaultAttribution>;
}

/** Synthetic inputs: the same host tensors every iteration. */
export function syntheticDriver(session: Session, inputs: readonly HostTensor[]): TrialDriver {
  const empty = emptySession(session);
  return {
    hasLoad: false,
    loop: (sink, control) => timedLoop(session, inputs, sink, control),
    emptyLoop: (sink, control) => timedLoop(empty, [], sink, control),
    attributeFaults: () => attributeFaults(session, inputs),
  };
}

/**
 * Real data through a pipeline; remembers the first batch's tensors (for accuracy and op profiles).
 * `hasLoad` false: the load stage is a no-op (synthetic feeds with --postprocess), so no load row.
 */
export function pipelineDriver(session: Session, stages: RequestStages, hasLoad = true): TrialDriver & { firstTensors(): HostTensor[] | null } {
  const empty = emptySession(session);
  const resolved = Promise.resolve(null);
  const emptyStages: RequestStages = { load: () => resolved, preprocess: () => Promise.resolve([]), postprocess: () => resolved };
  let batch = 0;
  let first: HostTensor[] | null = null;
  const capturing: RequestStages = {
    load: (k) => stages.load(k),
    preprocess: async (raw: never) => (first = await stages.preprocess(raw)),
    postprocess: (outputs) => stages.postprocess(outputs),
  };
  return {
    hasLoad,
    async loop(sink, control) {
      const result = await pipelineLoop(session, first ? stages : capturing, sink, control, batch);
      batch += result.iterations;
      return result;
    },
    emptyLoop: (sink, control) => pipelineLoop(empty, emptyStages, sink, control, 0),
    firstTensors: () => first,
  };
}

/**
 * A session that does nothing, for measuring the loop's own cost. `run` returns an already
 * resolved promise so the `await` costs what it costs for a real session that resolves at once.
 */
export function emptySession(template: Session): Session {
  const resolved = Promise.resolve(null);
  return {
    info: template.info,
    backend: 'none',
    prepare: () => null,
    run: () => resolved,
    collect: () => [],
    ...(template.consume && { consume: () => undefined }),
    close: () => Promise.resolve(),
  };
}
