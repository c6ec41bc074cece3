// One stream of a concurrent trial (--concurrency N), in its own worker thread with its own
// session: onnxruntime-node's `session.run` occupies the calling thread until the result is
// ready (measured: two runs "in flight" on one thread gave 1.0× the throughput of one), so real
// concurrency needs one thread per in-flight request, as perf_analyzer needs one client each.
//
// Protocol (concurrent.ts is the other side): open, build inputs, cold iteration and warm-up
// (stream 0 also prices the harness), post 'ready', then wait on the shared control block for GO;
// measure until the shared stop rule fires; post the raw stage times and completion times.
// The shared counters make the stop rule global: -n N issues exactly N requests across all
// streams; a time or auto bound stops issuing once it is met, and requests in flight complete.
import { parentPort, workerData } from 'node:worker_threads';
import { resolveAdapter } from '../adapters/resolve.js';
import type { HostTensor, Session } from '../adapters/adapter.js';
import { messageOf } from '../errors.js';
import { buildInputs } from '../inputs/synthetic.js';
import type { PhaseBound } from '../types.js';
import { elapsedNs, now } from './clock.js';
import { harnessCostUs, timeFirstIteration, warmUp } from './run-trial.js';
import { measureStopRule } from './stop-rules.js';
import { syntheticDriver, timedLoop } from './timed-loop.js';
import { CONTROL, type LoadWorkerData, type LoadWorkerMessage } from './load-protocol.js';

const STAGES = 4; // preprocess, inference, postprocess, total, in ns

async function main(data: LoadWorkerData): Promise<void> {
  const port = parentPort!;
  let phase: Extract<LoadWorkerMessage, { type: 'error' }>['phase'] = 'open';
  try {
    const adapter = await resolveAdapter(data.model);
    const session = await adapter.open(data.model, data.session);
    phase = 'inputs';
    const { tensors } = buildInputs(session.info.inputs, new Map(data.shapes), data.pins, data.seed);
    const driver = syntheticDriver(session, tensors);
    phase = 'cold-start';
    const firstIteration = await timeFirstIteration(driver);
    phase = 'warmup';
    const warmup = await warmUp(driver, { warmup: data.warmup });
    const perIterationUs = data.index === 0 ? await harnessCostUs(driver) : undefined;
    port.postMessage({ type: 'ready', ...(data.index === 0 && { firstIteration, warmup, perIterationUs }) } satisfies LoadWorkerMessage);
    const control = new Int32Array(data.control);
    Atomics.wait(control, CONTROL.go, 0);
    phase = 'measure';
    const result = await measureStream(session, tensors, control, new BigInt64Array(data.clock)[0]!, data.measure, data.index === 0);
    port.postMessage({ type: 'done', ...result } satisfies LoadWorkerMessage, [...result.stages.map((s) => s.buffer as ArrayBuffer), result.completedAtNs.buffer as ArrayBuffer]);
    await session.close();
  } catch (error) {
    port.postMessage({ type: 'error', message: messageOf(error), phase } satisfies LoadWorkerMessage);
  }
}

/**
 * The measured phase of one stream: timedLoop() itself, admitting a request only while the
 * shared phase runs (and, under -n, while tickets last), recording each request's stage times
 * with its completion time, and taking the stop decision on the shared completion count.
 */
async function measureStream(
  session: Session,
  inputs: readonly HostTensor[],
  control: Int32Array,
  start: bigint,
  bound: PhaseBound,
  lead: boolean,
): Promise<{ stages: Float64Array[]; completedAtNs: Float64Array; stoppedBy: string | null }> {
  const rule = measureStopRule(bound);
  let capacity = bound.kind === 'count' ? bound.iterations : 4096;
  let stages: Float64Array<ArrayBuffer>[] = Array.from({ length: STAGES }, () => new Float64Array(capacity));
  let completedAt: Float64Array<ArrayBuffer> = new Float64Array(capacity);
  let n = 0;
  let stoppedBy: string | null = null;
  const sink = {
    record(preprocessNs: number, inferenceNs: number, postprocessNs: number, totalNs: number): void {
      if (n === capacity) {
        capacity *= 2;
        stages = stages.map((old) => grow(old, capacity));
        completedAt = grow(completedAt, capacity);
      }
      stages[0]![n] = preprocessNs;
      stages[1]![n] = inferenceNs;
      stages[2]![n] = postprocessNs;
      stages[3]![n] = totalNs;
      completedAt[n] = elapsedNs(start, now());
      n++;
    },
  };
  await timedLoop(session, inputs, sink, {
    // Stopped (Ctrl-C) before the phase began: stream 0 still measures one request, as a
    // single-stream trial does, so that the trial has numbers.
    admit: () => (Atomics.load(control, CONTROL.stop) === 0 || (lead && n === 0)) && (bound.kind !== 'count' || Atomics.add(control, CONTROL.issued, 1) < bound.iterations),
    stop: () => {
      const done = Atomics.add(control, CONTROL.completed, 1) + 1;
      if (bound.kind === 'count') return null; // admit() hands out exactly -n tickets
      const reason = rule(done, completedAt[n - 1]! / 1e6);
      if (reason && Atomics.compareExchange(control, CONTROL.stop, 0, 1) === 0) stoppedBy = reason;
      return reason;
    },
  });
  return { stages: stages.map((s) => s.slice(0, n)), completedAtNs: completedAt.slice(0, n), stoppedBy };
}

function grow(old: Float64Array, capacity: number): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(capacity);
  bigger.set(old);
  return bigger;
}

void main(workerData as LoadWorkerData);
