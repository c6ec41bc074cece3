// A service trial (--rate): the trial's model opened as N instances in worker threads, one
// open-loop probe at the spec's rate through the batcher, and the result in the shape of every
// ok trial — its `stages` timed from the intended arrival, plus the `service` section.
import { availableParallelism } from 'node:os';
import type { RemoteClientOptions, Session } from '../adapters/adapter.js';
import { resolveAdapter } from '../adapters/resolve.js';
import { InferbenchError } from '../errors.js';
import { batchDimOf } from '../inputs/shapes.js';
import type { InputPins } from '../inputs/pins.js';
import { loadShare, splitSettings, type LoadSplit } from '../merge/load-split.js';
import { openServiceRig, type RigWarmup, type ServiceRig } from '../load/service-rig.js';
import { CLIENT_WAIT_MS, openRemoteRig } from '../load/remote-rig.js';
import { defaultOf } from '../options/declarations.js';
import type { EndpointSection } from '../model/trial.js';
import { timerCostNs } from '../measure/clock.js';
import { readPeakRssBytes } from '../sample/machine.js';
import type { TrialPhase } from '../measure/run-trial.js';
import type { PhaseBound, ServiceMeasurement, ServingSettings, StopReason, TrialSpec, Warning } from '../types.js';
import type { TrialMeasurement } from './assemble-trial.js';
import type { TrialInputs } from './trial-inputs.js';
import { trialId } from './plan.js';

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
export function batchAxesFor(session: Session, pins: InputPins, maxBatch: number, itemsPerRequest: number): Map<string, number | null> {
  const axes = new Map(session.info.inputs.map((input) => [input.name, batchDimOf(input, pins.batchDim)] as const));
  if (maxBatch > 1 && [...axes.values()].every((axis) => axis === null)) {
    const first = session.info.inputs[0];
    throw new InferbenchError('usage', `--max-batch ${maxBatch}: the model has no batch dim to stack requests along (input ${first?.name} has the fixed shape [${first?.shape.join(', ')}])`, 'drop --max-batch (each request then runs alone), or export the model with a symbolic batch dim');
  }
  if (itemsPerRequest > maxBatch && maxBatch > 1) {
    throw new InferbenchError('usage', `--max-batch ${maxBatch} is smaller than one request's ${itemsPerRequest} items (--batch)`, `use --max-batch ${itemsPerRequest} or more, or a smaller --batch`);
  }
  return axes;
}

/** What a service trial needs from the trial that opened the model (run-spec's session and inputs). */
export interface ServiceBase {
  session: Session;
  /** The closed-loop spec the serving settings are added to (device, precision, batch = items per request, threads). */
  spec: TrialSpec;
  inputs: TrialInputs;
  /** The file the instances open (a precision variant's own path). */
  modelPath: string;
  pins: InputPins;
  warmup: PhaseBound;
  logicalCores: number;
  /** --rate R --shard I/N against a URL: the probe offers R/N with this shard's seed (merge/load-split.ts). */
  loadSplit?: LoadSplit | null;
  /** A URL target (session.endpoint set): the client options its pool's sessions open with, and the pool's size (--connections). */
  remote?: { client: RemoteClientOptions; connections: number | null };
}

/** Opens rigs and turns probes into trials for one base spec: the sweep's one probe per rate, and the knee search's many (sweep/knee-search.ts KneeEngine). */
export interface ServiceEngine {
  readonly itemsPerRequest: number;
  open(instances: number, maxBatch: number): Promise<ServiceRig & { warmup: RigWarmup }>;
  spec(settings: ServingSettings): TrialSpec & { service: ServingSettings };
  trial(spec: TrialSpec, measurement: ServiceMeasurement): TrialMeasurement;
}

export function serviceEngine(base: ServiceBase): ServiceEngine {
  if (base.session.endpoint) return remoteEngine(base);
  const itemsPerRequest = base.spec.batch ?? 1;
  let opened: { warmup: RigWarmup; threads: number } | null = null;
  const threadsFor = (instances: number): number => base.spec.threads ?? defaultThreadsPerInstance(instances, base.logicalCores);
  return {
    itemsPerRequest,
    async open(instances, maxBatch) {
      const threadsPerInstance = threadsFor(instances);
      const { spec } = base;
      const rig = await openServiceRig({
        model: base.modelPath,
        session: { device: spec.device, intraOpThreads: threadsPerInstance, interOpThreads: spec.interThreads, graphOptimization: spec.graphOptimization },
        payload: base.inputs.tensors(),
        batchAxes: batchAxesFor(base.session, base.pins, maxBatch, itemsPerRequest),
        itemsPerRequest,
        instances,
        maxBatch: Math.max(maxBatch, itemsPerRequest),
        warmup: base.warmup,
        threadsPerInstance,
      });
      opened = { warmup: rig.warmup, threads: threadsPerInstance };
      return rig;
    },
    spec: (settings) => serviceSpec(base, settings),
    trial(spec, measurement) {
      if (!opened) throw new Error('serviceEngine.trial() before open()');
      return serviceTrial(spec, measurement, base, opened.warmup);
    },
  };
}

/**
 * A URL target: the same probes over a pool of client connections (load/remote-rig.ts). `instances`
 * and `maxBatch` are the in-process server's, refused for a URL before anything runs (profile.ts):
 * the endpoint's own server decides them.
 */
function remoteEngine(base: ServiceBase): ServiceEngine {
  const itemsPerRequest = base.spec.batch ?? 1;
  let opened: RigWarmup | null = null;
  const client = base.remote?.client;
  const sessionOptions = { device: base.spec.device, intraOpThreads: null, interOpThreads: null, graphOptimization: base.spec.graphOptimization, ...(client && { remote: client }) };
  return {
    itemsPerRequest,
    async open() {
      const adapter = await resolveAdapter(base.modelPath);
      const rig = await openRemoteRig({
        openSession: () => adapter.open(base.modelPath, sessionOptions),
        lead: base.session,
        payload: base.inputs.tensors(),
        itemsPerRequest,
        connections: base.remote?.connections ?? defaultOf('connections')!,
        warmup: base.warmup,
      });
      opened = rig.warmup;
      return rig;
    },
    spec: (settings) => serviceSpec(base, settings),
    trial(spec, measurement) {
      if (!opened) throw new Error('serviceEngine.trial() before open()');
      const trial = serviceTrial(spec, measurement, base, opened);
      const endpoint = (measurement as ServiceMeasurement & { endpoint?: EndpointSection }).endpoint;
      return { ...trial, ...(endpoint && { endpoint }), warnings: [...trial.warnings, ...clientWarnings(measurement.service)] };
    },
  };
}

/** The client pool's own limit, said apart from the endpoint's: requests waited for a free connection. */
export function clientWarnings(service: ServiceMeasurement['service']): Warning[] {
  const c = service.client;
  if (!c || c.verdict !== 'pool-limited') return [];
  const loaded = service.overload.verdict === 'overloaded' ? 'overloaded' : 'stable';
  const requestP50 = service.serviceTime.stats.p50Ms;
  // The endpoint answered about as fast as unloaded: the connections, not the endpoint, held the requests back.
  const poolOnly = requestP50 < 2 * c.unloadedRequestMs;
  const why = poolOnly
    ? `the endpoint answered about as fast as unloaded (request p50 ${requestP50.toFixed(2)} ms, unloaded ${c.unloadedRequestMs.toFixed(2)} ms), so the client's pool, not the endpoint, limited the rate`
    : `its request time grew from ${c.unloadedRequestMs.toFixed(2)} ms unloaded to a p50 of ${requestP50.toFixed(2)} ms, so the endpoint was queueing too`;
  return [{
    code: 'client-pool-limited',
    message: `the client's ${c.connections} connection${c.connections === 1 ? ' was' : 's were'} all busy: ${(c.waited.share * 100).toFixed(1)}% of requests waited over ${CLIENT_WAIT_MS} ms for one (p99 ${c.waited.p99Ms.toFixed(2)} ms, counted in the queue stage and the total; the probe was ${loaded}) — ${why}; on average this rate kept ${c.neededConnections.toFixed(1)} busy (rate × request time) and its bursts more than ${c.connections} — raise --connections`,
  }];
}

/** The base's closed-loop spec with these serving settings (its id carries them). */
function serviceSpec(base: ServiceBase, settings: ServingSettings): TrialSpec & { service: ServingSettings } {
  const { id: _id, ...rest } = base.spec;
  const spec = { ...rest, service: settings };
  return { id: trialId(spec), ...spec };
}

/** One service trial of the sweep: a rig for its settings, one probe, closed. */
export async function measureService(base: ServiceBase, settings: ServingSettings, phases: ServicePhases): Promise<TrialMeasurement> {
  const engine = serviceEngine(base);
  phases.onPhaseStart?.('warmup');
  const maxBatch = Math.max(settings.maxBatch, engine.itemsPerRequest);
  const rig = await engine.open(settings.instances, maxBatch);
  try {
    phases.onPhaseStart?.('measure');
    const { instances: _instances, ...probeSettings } = settings;
    // A split load (--rate R --shard I/N against a URL) sends R/N with this shard's seed; the spec keeps R.
    const split = base.loadSplit ?? null;
    const startedAt = new Date();
    const probe = await rig.probe({ settings: { ...splitSettings(probeSettings, split), maxBatch }, measure: phases.measure, signal: phases.signal, onProgress: (n, ms) => phases.onProgress?.('measure', n, ms) });
    const share = split && { ...probe, service: { ...probe.service, split: loadShare(split, settings.rate, startedAt, new Date()) } };
    return engine.trial(engine.spec(settings), share || probe);
  } finally {
    await rig.close();
  }
}

function serviceTrial(spec: TrialSpec, probe: ServiceMeasurement, base: ServiceBase, warmup: RigWarmup): TrialMeasurement {
  const { stages, service } = probe;
  const measure = probe.bound;
  const itemsPerRequest = service.itemsPerRequest;
  return {
    status: 'ok',
    spec,
    backend: warmup.backend,
    inputs: base.inputs.descriptions(),
    coldStart: { modelLoadMs: warmup.modelLoadMs, firstInferenceMs: warmup.firstInferenceMs, firstTotalMs: warmup.firstTotalMs },
    warmup: { iterations: warmup.iterations, durationMs: warmup.durationMs, convergedAt: null, bound: base.warmup },
    measure: { iterations: service.requests.completed, durationMs: service.durationMs, stopReason: stopReasonOf(measure, probe), bound: measure, driftRatio: probe.driftRatio },
    stages,
    service,
    throughput: { inferencesPerSec: service.achievedRate, itemsPerSec: service.achievedRate * itemsPerRequest },
    peakRssBytes: readPeakRssBytes(),
    overhead: { timerNs: timerCostNs(), perIterationUs: probe.harnessUsPerRequest, shareOfInferenceP50: stages.inference.p50Ms > 0 ? probe.harnessUsPerRequest / 1000 / stages.inference.p50Ms : 0 },
    warnings: serviceWarnings(service, service.settings, service.threadsPerInstance, base.logicalCores),
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
    // A URL's capacity is its server's: its instances and batching are set there, not here.
    const fix = service.client ? "lower --rate, or give the server more instances or batching (its own config, or inferbench serve's flags)" : 'lower --rate, add --instances or batch (--max-batch)';
    const refused = service.client && service.requests.dropped > 0 ? `; the server refused ${service.requests.dropped} request${service.requests.dropped === 1 ? '' : 's'} with HTTP 429/503 or gRPC RESOURCE_EXHAUSTED/UNAVAILABLE (its queue full, a rate limit, or shutting down), counted as dropped` : '';
    warnings.push({ code: 'overloaded', message: `overloaded: offered ${service.offeredRate.toFixed(1)} requests/s, achieved ${service.achievedRate.toFixed(1)}${overload.endedEarly ? `, ended early as the ${service.client ? 'requests outstanding at the client' : 'queue'} kept growing` : ''}${refused} — its latency grows with the run's length, so no percentile here is a stable latency; ${fix}` });
  }
  if (generator.verdict === 'saturated') {
    warnings.push({ code: 'generator-saturated', message: `the generator could not keep up: ${(generator.lateShare * 100).toFixed(1)}% of sends were over 1 ms late (lag p99 ${generator.lagP99Ms.toFixed(2)} ms, event-loop delay p99 ${generator.eventLoopDelayP99Ms.toFixed(2)} ms) — latency from the intended arrival still counts the lateness, but the rate asked for was not offered on time; lower --rate or free a core` });
  }
  const used = settings.instances * threads + 1;
  // A URL target runs no model here: only the client's event loop.
  if (used > cores && !service.client) {
    warnings.push({ code: 'oversubscribed', message: `${settings.instances} instance${settings.instances === 1 ? '' : 's'} × ${threads} intra-op thread${threads === 1 ? '' : 's'} + the sending thread = ${used} threads on ${cores} cores: queueing in the OS scheduler shows in the latency — use --threads ${Math.max(1, Math.floor((cores - 1) / settings.instances))}` });
  }
  return warnings;
}
