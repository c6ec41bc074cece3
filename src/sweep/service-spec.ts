// A service trial (--rate): the trial's model opened as N instances in worker threads, one
// open-loop probe at the spec's rate through the batcher, and the result in the shape of every
// ok trial — its `stages` timed from the intended arrival, plus the `service` section.
import { availableParallelism } from 'node:os';
import type { Session } from '../adapters/adapter.js';
import { InferbenchError } from '../errors.js';
import { batchDimOf } from '../inputs/shapes.js';
import type { InputPins } from '../inputs/pins.js';
import { readTrace, type Trace } from '../load/arrivals.js';
import { openServiceRig } from '../load/service-rig.js';
import { timerCostNs } from '../measure/clock.js';
import { readPeakRssBytes } from '../sample/machine.js';
import type { TrialPhase } from '../measure/run-trial.js';
import type { PhaseBound, ServiceMeasurement, ServingSettings, StopReason, TrialSpec, Warning } from '../types.js';
import type { TrialMeasurement } from './assemble-trial.js';
import type { TrialInputs } from './trial-inputs.js';

export interface ServicePhases {
  warmup: PhaseBound;
  measure: PhaseBound;
  signal?: AbortSignal | undefined;
  onPhaseStart?: (phase: TrialPhase) => void;
  onProgress?: (phase: TrialPhase, n: number, ms: number) => void;
}

/** Intra-op threads per instance when --threads is not given: the cores but one (the event loop's), shared out. */
export function defaultThreadsPerInstance(instances: number, cores = availableParallelism()): number {
  return Math.max(1, Math.floor((cores - 1) / instances));
}

/** Input name → batch axis, refusing batching where requests cannot be stacked. */
export function batchAxesFor(session: Session, pins: InputPins, settings: ServingSettings, itemsPerRequest: number): Map<string, number | null> {
  const axes = new Map(session.info.inputs.map((input) => [input.name, batchDimOf(input, pins.batchDim)] as const));
  if (settings.maxBatch > 1 && [...axes.values()].every((axis) => axis === null)) {
    const first = session.info.inputs[0];
    throw new InferbenchError('usage', `--max-batch ${settings.maxBatch}: the model has no batch dim to stack requests along (input ${first?.name} has the fixed shape [${first?.shape.join(', ')}])`, 'drop --max-batch (each request then runs alone), or export the model with a symbolic batch dim');
  }
  if (itemsPerRequest > settings.maxBatch && settings.maxBatch > 1) {
    throw new InferbenchError('usage', `--max-batch ${settings.maxBatch} is smaller than one request's ${itemsPerRequest} items (--batch)`, `use --max-batch ${itemsPerRequest} or more, or a smaller --batch`);
  }
  return axes;
}

/** A trace is read when the options are resolved; this reads it again per trial (cheap, and keeps specs plain). */
function traceOf(settings: ServingSettings): Trace | undefined {
  return settings.arrivals === 'trace' && settings.trace !== undefined ? readTrace(settings.trace) : undefined;
}

export async function measureService(
  session: Session,
  spec: TrialSpec & { service: ServingSettings },
  inputs: TrialInputs,
  modelPath: string,
  pins: InputPins,
  phases: ServicePhases,
  logicalCores: number,
): Promise<TrialMeasurement> {
  const settings = spec.service;
  const itemsPerRequest = spec.batch ?? 1;
  const batchAxes = batchAxesFor(session, pins, settings, itemsPerRequest);
  const maxBatch = Math.max(settings.maxBatch, itemsPerRequest);
  const threadsPerInstance = spec.threads ?? defaultThreadsPerInstance(settings.instances, logicalCores);
  phases.onPhaseStart?.('warmup');
  const rig = await openServiceRig({
    model: modelPath,
    session: { device: spec.device, intraOpThreads: threadsPerInstance, interOpThreads: spec.interThreads, graphOptimization: spec.graphOptimization },
    payload: inputs.tensors(),
    batchAxes,
    itemsPerRequest,
    instances: settings.instances,
    maxBatch,
    warmup: phases.warmup,
    trace: traceOf(settings),
    threadsPerInstance,
  });
  let probe: ServiceMeasurement;
  try {
    phases.onPhaseStart?.('measure');
    const { instances: _instances, ...probeSettings } = settings;
    probe = await rig.probe({ settings: { ...probeSettings, maxBatch }, measure: phases.measure, signal: phases.signal, onProgress: (n, ms) => phases.onProgress?.('measure', n, ms) });
  } finally {
    await rig.close();
  }
  const { stages, service } = probe;
  const completed = service.requests.completed;
  const timerNs = timerCostNs();
  return {
    status: 'ok',
    spec,
    backend: rig.warmup.backend,
    inputs: inputs.descriptions(),
    coldStart: { modelLoadMs: rig.warmup.modelLoadMs, firstInferenceMs: rig.warmup.firstInferenceMs, firstTotalMs: rig.warmup.firstTotalMs },
    warmup: { iterations: rig.warmup.iterations, durationMs: rig.warmup.durationMs, convergedAt: null, bound: phases.warmup },
    measure: { iterations: completed, durationMs: service.durationMs, stopReason: stopReasonOf(phases.measure, probe), bound: phases.measure, driftRatio: probe.driftRatio },
    stages,
    service,
    throughput: { inferencesPerSec: service.achievedRate, itemsPerSec: service.achievedRate * itemsPerRequest },
    peakRssBytes: readPeakRssBytes(),
    overhead: { timerNs, perIterationUs: probe.harnessUsPerRequest, shareOfInferenceP50: stages.inference.p50Ms > 0 ? probe.harnessUsPerRequest / 1000 / stages.inference.p50Ms : 0 },
    warnings: serviceWarnings(service, settings, threadsPerInstance, logicalCores),
  };
}

function stopReasonOf(bound: PhaseBound, probe: ServiceMeasurement): StopReason {
  if (probe.interrupted) return 'interrupted';
  if (probe.service.overload.endedEarly) return 'overloaded';
  return bound.kind === 'count' ? 'iterations' : bound.kind === 'time' ? 'duration' : 'auto-target';
}

export function serviceWarnings(service: TrialMeasurement['service'] & object, settings: ServingSettings, threads: number, cores: number): Warning[] {
  const warnings: Warning[] = [];
  const { overload, generator } = service;
  if (overload.verdict === 'overloaded') {
    warnings.push({ code: 'overloaded', message: `overloaded: offered ${service.offeredRate.toFixed(1)} requests/s, achieved ${service.achievedRate.toFixed(1)}${overload.endedEarly ? ', ended early as the queue kept growing' : ''} — its latency grows with the run's length, so no percentile here is a stable latency; lower --rate, add --instances or batch (--max-batch)` });
  }
  if (generator.verdict === 'saturated') {
    warnings.push({ code: 'generator-saturated', message: `the generator could not keep up: ${(generator.lateShare * 100).toFixed(1)}% of sends were over 1 ms late (lag p99 ${generator.lagP99Ms.toFixed(2)} ms, event-loop delay p99 ${generator.eventLoopDelayP99Ms.toFixed(2)} ms) — latency from the intended arrival still counts the lateness, but the rate asked for was not offered on time; lower --rate or free a core` });
  }
  const used = settings.instances * threads + 1;
  if (used > cores) {
    warnings.push({ code: 'oversubscribed', message: `${settings.instances} instance${settings.instances === 1 ? '' : 's'} × ${threads} intra-op thread${threads === 1 ? '' : 's'} + the sending thread = ${used} threads on ${cores} cores: queueing in the OS scheduler shows in the latency — use --threads ${Math.max(1, Math.floor((cores - 1) / settings.instances))}` });
  }
  return warnings;
}
