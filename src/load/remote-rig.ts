// Open-loop load against an endpoint (`profile URL --rate R`): the same probe as the in-process
// service rig (load/probe.ts: the schedule, the driver's absolute deadlines, stages from the
// INTENDED arrival, the overload rules), with a pool of remote sessions as the BatchRunners. The
// rest of the choices, and where they come from:
//
// - A fixed pool of connections, opened and warmed before the probe (wrk2 opens its -c
//   connections up front; k6's constant-arrival-rate pre-allocates VUs and warns when it runs
//   out). Each session is its own connection (HttpClient keeps ONE kept-alive socket; a gRPC
//   session its own channel) carrying one request at a time, as HTTP/1.1 without pipelining must.
//   An arrival with every connection busy waits in the probe's queue: that wait is the CLIENT's
//   limit, never the server's latency, so it is counted (`service.client.waited`) and, past 1% of
//   the requests, reported as `client-pool-limited`. It still counts in `total` (timed from the
//   intended arrival: a user would have waited too), in the `queue` stage.
// - The client never stacks requests: the batcher runs at max batch 1, no delay. The SERVER
//   batches; its queue and compute come from its statistics extension, read before and after
//   each probe (averages: the extension keeps sums).
// - Bodies are serialised ONCE per connection before the probe and the same bytes sent for every
//   request, as perf_analyzer (inputs prepared before the load) and wrk2 (a fixed request) do:
//   serialising the CNN fixture's 1×3×64×64 float32 (12,288 numbers) as JSON costs 3–5 ms a request
//   (bench/endpoints.mjs), which on one event loop would cap the rate at a few hundred requests/s
//   and make the generator, not the endpoint, the thing measured. The per-request `preprocess`
//   stage is then the hand-off of the prepared body (≈ 0); the serialisation's cost is measured
//   once and reported as `client.serializeMs`. `inference` is the request (send → last byte:
//   network + server), `postprocess` the response's deserialisation — done for every response, so
//   a malformed answer fails the trial.
// - The overload rules sample requests OUTSTANDING at the client (waiting + in flight): past the
//   endpoint's capacity they grow with the run's length whether they wait here or at the server.
// - A request the server turns away for want of room (HTTP 429, 503: its bounded queue) is a
//   dropped request, as an in-process --queue-limit drop: counted, never in the percentiles, and
//   over 1% of the sent the probe is overloaded. Any other failure (connection refused or reset,
//   a timeout, another error status) fails the probe, so the trial, in its phase (the sweep goes
//   on: sweep/run-spec.ts). gRPC's UNAVAILABLE also means "no server": it fails the trial.
import { performance } from 'node:perf_hooks';
import type { HostTensor, Session } from '../adapters/adapter.js';
import { refusedStatus } from '../adapters/remote-common.js';
import type { BatchOutcome, BatchRunner } from '../serving/batcher.js';
import type { ClientPoolSection, EndpointSection, PhaseBound, ServiceMeasurement } from '../types.js';
import { median } from '../measure/clock.js';
import { runProbe, type ProbeOptions } from './probe.js';
import { statsOfMs } from './probe-record.js';
import type { RigWarmup, ServiceRig } from './service-rig.js';

/** A request that waited longer than this for a free connection counts as waited (perf_analyzer's 1 ms delay tolerance). */
export const CLIENT_WAIT_MS = 1;
/** More than this share of requests waiting for a connection: the pool limited the rate (perf_analyzer's 1% delay threshold). */
export const CLIENT_WAIT_SHARE = 0.01;
/** Warm-up requests on each connection after the first: its socket open and its path warm before the probe. */
const WARM_RUNS_PER_CONNECTION = 3;
/** Bodies serialised (and thrown away) after the warm-up to price serialisation warm: the first one pays for compiling the encoder. */
const SERIALIZE_SAMPLES = 15;
/** auto warm-up: sequential requests on the first connection (its median is the unloaded request time). */
const AUTO_WARMUP_RUNS = 20;

export interface RemoteRigOptions {
  /** Opens one more session (its own connection) on the endpoint. */
  openSession: () => Promise<Session>;
  /** An open session to use as the first connection (run-spec's trial session); closed by its owner, not the rig. */
  lead?: Session;
  /** The inputs of ONE request. */
  payload: HostTensor[];
  itemsPerRequest: number;
  connections: number;
  warmup: PhaseBound;
}

export interface RemoteServiceRig extends ServiceRig {
  warmup: RigWarmup;
  probe(options: ProbeOptions): Promise<ServiceMeasurement & { endpoint?: EndpointSection }>;
}

/** The result of a request the server refused for want of room (HTTP 429/503): a drop (probe.ts ProbeRig.refusedResult). */
const REFUSED: HostTensor[] = [];

/** One connection: a session with its body prepared, run one request at a time. */
class RemoteRunner implements BatchRunner<HostTensor[], HostTensor[]> {
  constructor(
    readonly session: Session,
    private readonly feeds: unknown,
  ) {}

  async run(): Promise<BatchOutcome<HostTensor[]>> {
    const t0 = performance.now();
    const feeds = this.feeds;
    const t1 = performance.now();
    let answer: unknown;
    try {
      answer = await this.session.run(feeds as never);
    } catch (error) {
      if (refusedStatus(error) === null) throw error;
      return { results: [REFUSED] };
    }
    const t2 = performance.now();
    const outputs = this.session.collect(answer);
    const t3 = performance.now();
    return { results: [outputs], stagesMs: { preprocess: t1 - t0, inference: t2 - t1, postprocess: t3 - t2 } };
  }
}

interface Timed {
  serializeMs: number;
  requestMs: number;
  totalMs: number;
}

async function timedRequest(session: Session, payload: HostTensor[]): Promise<Timed & { feeds: unknown }> {
  const t0 = performance.now();
  const feeds = session.prepare(payload);
  const t1 = performance.now();
  const answer = await session.run(feeds);
  const t2 = performance.now();
  session.collect(answer);
  return { feeds, serializeMs: t1 - t0, requestMs: t2 - t1, totalMs: performance.now() - t0 };
}

/** Opens and warms the pool: the first connection's sequential warm-up, then every other connection's. */
export async function openRemoteRig(options: RemoteRigOptions): Promise<RemoteServiceRig> {
  const started = performance.now();
  let leadOpenMs = 0;
  const owned: Session[] = [];
  try {
    let lead = options.lead;
    if (lead === undefined) {
      lead = await options.openSession();
      leadOpenMs = performance.now() - started;
      owned.push(lead);
    }
    const main: Session = lead;
    const first = await timedRequest(main, options.payload);
    const warmStart = performance.now();
    const unloaded = await sequentialWarmup(main, first.feeds, options.warmup);
    let openMs = 0;
    const sessions = await Promise.all(Array.from({ length: options.connections - 1 }, async () => {
      const t0 = performance.now();
      const session = await options.openSession();
      openMs = Math.max(openMs, performance.now() - t0);
      owned.push(session);
      return session;
    }));
    // Opened together, warmed one after another: a burst of one request per connection could
    // overflow a server's bounded queue (Triton's max_queue_size, serve --queue-limit) before the
    // probe, where a refusal is a counted drop, has even started.
    const others: RemoteRunner[] = [];
    for (const session of sessions) {
      const { feeds } = await timedRequest(session, options.payload);
      for (let r = 1; r < WARM_RUNS_PER_CONNECTION; r++) session.collect(await session.run(feeds as never));
      others.push(new RemoteRunner(session, feeds));
    }
    const runners = [new RemoteRunner(main, first.feeds), ...others];
    const warmup: RigWarmup = {
      backend: main.backend,
      // The endpoint's model was loaded by its server: here, opening the connections (metadata requests included, the slowest of those opened together).
      modelLoadMs: leadOpenMs + openMs,
      firstInferenceMs: first.requestMs,
      firstTotalMs: first.totalMs,
      iterations: unloaded.length + (options.connections - 1) * WARM_RUNS_PER_CONNECTION,
      durationMs: performance.now() - warmStart,
    };
    const unloadedRequestMs = median(unloaded);
    const serializeMs = median(Array.from({ length: SERIALIZE_SAMPLES }, () => {
      const t0 = performance.now();
      main.prepare(options.payload);
      return performance.now() - t0;
    }));
    let busy = false;
    return {
      instances: options.connections,
      warmup,
      async probe(probe) {
        if (busy) throw new Error('a service rig runs one probe at a time');
        busy = true;
        try {
          return await probeEndpoint(main, runners, options, probe, { serializeMs, unloadedRequestMs });
        } finally {
          busy = false;
        }
      },
      close: async () => {
        await Promise.all(owned.map((s) => s.close()));
      },
    };
  } catch (error) {
    await Promise.all(owned.map((s) => s.close().catch(() => undefined)));
    throw error;
  }
}

/** The first connection's warm-up, one request after another: its request times are the endpoint unloaded. */
async function sequentialWarmup(session: Session, feeds: unknown, bound: PhaseBound): Promise<number[]> {
  const times: number[] = [];
  const started = performance.now();
  const more = (done: number): boolean => {
    if (bound.kind === 'count') return done < bound.iterations;
    if (bound.kind === 'time') return performance.now() - started < bound.ms;
    return done < AUTO_WARMUP_RUNS;
  };
  for (let done = 0; more(done) || times.length === 0; done++) {
    const t0 = performance.now();
    const answer = await session.run(feeds as never);
    times.push(performance.now() - t0);
    session.collect(answer);
  }
  return times;
}

async function probeEndpoint(
  lead: Session,
  runners: RemoteRunner[],
  rigOptions: RemoteRigOptions,
  probe: ProbeOptions,
  facts: { serializeMs: number; unloadedRequestMs: number },
): Promise<ServiceMeasurement & { endpoint?: EndpointSection }> {
  const before = lead.serverStats ? await lead.serverStats().catch(() => null) : null;
  const waits: number[] = [];
  // The client never stacks requests: max batch 1, no delay, whatever the caller's settings say.
  const settings = { ...probe.settings, maxBatch: 1, maxDelayMs: 0, batching: 'triton' as const, queueLimit: null };
  const measured = await runProbe(
    { runners, payload: rigOptions.payload, itemsPerRequest: rigOptions.itemsPerRequest, threadsPerInstance: 1, queueDepth: 'outstanding', onDispatchWait: (ms) => waits.push(ms), refusedResult: REFUSED },
    { ...probe, settings },
  );
  const after = before !== null && lead.serverStats ? await lead.serverStats().catch(() => null) : null;
  const server = before !== null && after !== null ? (lead.serverStatsDelta?.(before, after) ?? null) : null;
  const client = clientSection(measured, runners.length, waits, facts);
  // The service settings are the client's: one request at a time on each connection (instances 1: the pool is `client`).
  const service = { ...measured.service, settings: { ...measured.service.settings, instances: 1 }, client };
  return { ...measured, service, ...(lead.endpoint && { endpoint: { ...lead.endpoint, ...(server && { server }) } }) };
}

export function clientSection(m: ServiceMeasurement, connections: number, waits: readonly number[], facts: { serializeMs: number; unloadedRequestMs: number }): ClientPoolSection {
  const waited = waits.filter((w) => w > CLIENT_WAIT_MS).length;
  const share = waits.length > 0 ? waited / waits.length : 0;
  const p99Ms = waits.length > 0 ? statsOfMs(Float64Array.from(waits, (w) => Math.max(0, w)), waits.length).p99Ms : 0;
  const meanRequestMs = m.stages.inference.count > 0 ? m.stages.inference.meanMs : facts.unloadedRequestMs;
  return {
    connections,
    body: 'prepared',
    serializeMs: facts.serializeMs,
    unloadedRequestMs: facts.unloadedRequestMs,
    waited: { requests: waited, share, p99Ms },
    neededConnections: (m.service.offeredRate * meanRequestMs) / 1000,
    verdict: share > CLIENT_WAIT_SHARE ? 'pool-limited' : 'ok',
  };
}
