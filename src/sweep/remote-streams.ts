// --concurrency N against an endpoint: N closed-loop streams as N concurrent request loops on ONE
// event loop, each with its own session (its own kept-alive connection), as autocannon and hey
// drive theirs. The worker-thread streams of measure/concurrent.ts exist because onnxruntime's
// run() holds its thread; an HTTP or gRPC client only waits on sockets, and five threads of it
// cost a 2-core machine more CPU than the requests (bench/endpoints.mjs measured 0.26× hey's
// throughput at 4 streams that way). Stage times include the other streams' work on this event
// loop: what one client process sees.
import { performance } from 'node:perf_hooks';
import type { HostTensor, Session, SessionOptions } from '../adapters/adapter.js';
import { resolveAdapter } from '../adapters/resolve.js';
import { elapsedNs, now } from '../measure/clock.js';
import { startMemoryProbe } from '../measure/memory-probe.js';
import { StageRecorder } from '../measure/recorder.js';
import { extendedStopRule, harnessCostUs, summarizeMeasurement, timeFirstIteration, warmUp, withExtension, type RunTrialOptions, type TrialMeasurement } from '../measure/run-trial.js';
import { syntheticDriver, timedLoop } from '../measure/timed-loop.js';
import type { StopReason, Warning } from '../types.js';

/**
 * Event-loop utilisation at or above which the client, not the server, may set the rate: the
 * loop was busy (serialising, parsing, timing) nearly all the time. 90% as Locust's CPU warning
 * (CPU_WARNING_THRESHOLD, locust/runners.py); perf_analyzer warns at 50% client overhead.
 */
const CLIENT_SATURATED_ELU = 0.9;

/** `lead` is the trial's own session (it warms up and prices the harness); N − 1 more are opened here. */
export async function runRemoteStreams(target: string, options: SessionOptions, lead: Session, inputs: readonly HostTensor[], concurrency: number, phases: RunTrialOptions): Promise<TrialMeasurement> {
  const adapter = await resolveAdapter(target);
  const sessions = [lead];
  try {
    const driver = syntheticDriver(lead, inputs);
    const firstIteration = await timeFirstIteration(driver);
    phases.onPhaseStart?.('warmup');
    const warmup = await warmUp(driver, phases);
    for (let i = 1; i < concurrency; i++) {
      const session = await adapter.open(target, options);
      sessions.push(session);
      await timeFirstIteration(syntheticDriver(session, inputs)); // its connection open before the phase
    }
    const perIterationUs = await harnessCostUs(driver);
    await phases.onPhaseStart?.('measure');
    const bound = phases.measure;
    const recorder = new StageRecorder(bound.kind === 'count' ? bound.iterations : null);
    // The bound's rule, carried on while a budget is undecided (--budget-time-cap), as one stream's is.
    const stopping = extendedStopRule(bound, recorder, phases.extend);
    const extendable = phases.extend !== undefined && phases.extend.capMs > 0;
    let issued = 0;
    let completed = 0;
    let stopped: StopReason | null = null;
    const probe = startMemoryProbe();
    const elu = performance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    const start = now();
    await Promise.all(sessions.map((session) => timedLoop(session, inputs, recorder, {
      // -n counts requests across the streams: exactly n are sent. With a budget that may measure
      // on (--budget-time-cap), n is a minimum instead: every bound is then judged on completions,
      // so that all streams run on through an extension, and the requests in flight when it is
      // met finish and count (up to N − 1 more).
      admit: () => stopped === null && (bound.kind !== 'count' || extendable || issued++ < bound.iterations),
      stop: () => {
        completed++;
        stopped ??= stopping.rule(completed, elapsedNs(start, now()) / 1e6);
        return stopped;
      },
      signal: phases.signal,
    })));
    const durationMs = elapsedNs(start, now()) / 1e6;
    const saturation = clientSaturation(performance.eventLoopUtilization(elu).utilization, process.cpuUsage(cpu), durationMs, concurrency);
    const memory = { ...probe.stop(recorder.count), outputBytesPerIteration: null };
    const stopReason: StopReason = phases.signal?.aborted ? 'interrupted' : (stopped ?? 'iterations');
    const loop = withExtension({ iterations: recorder.count, durationMs, stopReason }, stopping.started());
    const measured = summarizeMeasurement({ recorder, loop, bound, firstIteration, warmup, perIterationUs, memory });
    return { ...measured, warnings: [...measured.warnings, ...saturation] };
  } finally {
    await Promise.all(sessions.slice(1).map((s) => s.close()));
  }
}

/** The client's own limit: its event loop busy nearly all the measured phase. */
export function clientSaturation(utilization: number, cpu: NodeJS.CpuUsage, durationMs: number, streams: number): Warning[] {
  if (!(utilization >= CLIENT_SATURATED_ELU)) return [];
  const cpuShare = (cpu.user + cpu.system) / 1000 / durationMs;
  return [{
    code: 'generator-saturated',
    message: `the client's event loop was busy ${Math.round(utilization * 100)}% of the measured phase (process CPU ${Math.round(cpuShare * 100)}% of a core) driving ${streams} streams: the throughput may be the client's limit, not the endpoint's — use fewer streams, --encoding binary, or run the client on another machine`,
  }];
}
