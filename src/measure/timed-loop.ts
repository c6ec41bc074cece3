// The timing loop. Everything between the first and the last clock read of an iteration is the
// session's own work: feeds, inputs and sinks are built before the loop, and the per-iteration
// bookkeeping (recording, stop checks, progress) happens after the last read.
import type { HostTensor, Session } from '../adapters/adapter.js';
import type { StopReason } from '../types.js';
import { elapsedNs, now } from './clock.js';

/** Receives one iteration's stage times in nanoseconds. */
export interface IterationSink {
  record(preprocessNs: number, inferenceNs: number, postprocessNs: number, totalNs: number): void;
}

export interface LoopControl {
  /** Called after each iteration with the count so far; a non-null answer ends the loop. */
  stop(iterations: number, elapsedMs: number): StopReason | null;
  signal?: AbortSignal | undefined;
  /** Called at most every PROGRESS_INTERVAL_MS, outside the timed region. */
  onProgress?: ((iterations: number, elapsedMs: number) => void) | undefined;
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
  const { signal, onProgress } = control;
  const start = now();
  let lastProgress = start;
  let iterations = 0;
  for (;;) {
    const t0 = now();
    const feeds = session.prepare(inputs);
    const t1 = now();
    const outputs = await session.run(feeds);
    const t2 = now();
    session.collect(outputs);
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
    close: () => Promise.resolve(),
  };
}
