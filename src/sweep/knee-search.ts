// `--rate auto --budget "p99<=50ms"`: the knee search over the in-process service rig, and
// `--advise-batching`: S(b) measured, every batching setting simulated over it, the best and no
// batching replayed by knee searches, a recommendation only when the replay confirms it. Each
// probe is a trial of the report (its own id, with its rate), so the curve, the JSON and compare
// see every measurement behind a knee.
import { InferbenchError } from '../errors.js';
import { PERCENTILE_OF, type KneeBudget } from '../load/knee-budget.js';
import { defaultDelaysMs, rankSettings, type ServicePoint } from '../load/batching-advice.js';
import { DEFAULT_KNEE_PRECISION, findKnee, type KneeProbeOutcome, type KneeResult } from '../load/knee.js';
import { countOverMs } from '../load/over-target.js';
import type { ServiceRig } from '../load/service-rig.js';
import type { BatchingAdvice, BatchingReplay, KneeSearch, KneeSettings, ServerSettings, ServiceMeasurement, ServingSettings, TrialResult, TrialSpec } from '../types.js';
import { PERCENTILE_FIELD } from '../types.js';

/** What the search needs from the engine (load/service-trial.ts provides it; tests pass a fake). */
export interface KneeEngine {
  /** A warm rig with these instances, able to run batches up to maxBatch items. */
  open(instances: number, maxBatch: number): Promise<ServiceRig>;
  /** The trial spec of one probe: the base spec with these serving settings (its id carries them). */
  spec(settings: ServingSettings): TrialSpec;
  /** One probe's measurement as a trial of the report. */
  trial(spec: TrialSpec, measurement: ServiceMeasurement): TrialResult;
  itemsPerRequest: number;
}

export interface KneeRunOptions {
  budget: KneeBudget;
  precision?: number;
  signal?: AbortSignal | undefined;
  /** Every probe's trial as it ends (progress, partial reports). */
  onTrial?: (trial: TrialResult) => void;
}

/** Requests of the saturating probe that measures the service time (at least this many batches' worth). */
const CAPACITY_BATCHES = 30;
const CAPACITY_MIN_REQUESTS = 240;
/** A rate no instance can keep up with: the capacity probe's arrivals all but coincide. */
const SATURATING_RATE = 1_000_000;

/**
 * The service time of full batches: a burst of arrivals far above any capacity, so every
 * instance runs back to back with batches as full as the settings allow. Returns S (the median
 * batch's: a stall of the shared machine moves a short burst's mean by several times, its median
 * hardly), the mean batch and the capacity instances × (requests per batch) ÷ S.
 */
export async function measureCapacity(rig: ServiceRig, settings: Omit<ServingSettings, 'instances' | 'rate'>, itemsPerRequest: number, signal?: AbortSignal): Promise<{ rate: number; serviceTimeMs: number; meanBatch: number; cv: number; batches: number } | null> {
  const perBatch = Math.max(1, Math.floor(settings.maxBatch / itemsPerRequest));
  // Whole batches only: a last partial batch would wait out the max delay.
  const requests = perBatch * Math.max(CAPACITY_BATCHES, Math.ceil(CAPACITY_MIN_REQUESTS / perBatch));
  const m = await rig.probe({ settings: { ...settings, rate: SATURATING_RATE, arrivals: 'constant' }, measure: { kind: 'count', iterations: requests }, signal });
  const s = m.service;
  const serviceMs = s.serviceTime.stats.p50Ms;
  if (s.batches === 0 || !(serviceMs > 0)) return null;
  const requestsPerBatch = s.meanBatchSize / itemsPerRequest;
  return {
    rate: (rig.instances * requestsPerBatch * 1000) / serviceMs,
    serviceTimeMs: serviceMs,
    meanBatch: s.meanBatchSize,
    cv: s.serviceTime.stats.cv,
    batches: s.batches,
  };
}

function kneeSettings(settings: Omit<ServingSettings, 'rate'>, itemsPerRequest: number): KneeSettings {
  return { maxBatch: settings.maxBatch, maxDelayMs: settings.maxDelayMs, batching: settings.batching, instances: settings.instances, itemsPerRequest };
}

/**
 * One knee search on an open rig: capacity (given, or measured by a saturating probe), then
 * bracket and bisect (load/knee.ts). Returns the summary and every probe's trial.
 */
export async function searchKnee(
  engine: KneeEngine,
  rig: ServiceRig,
  settings: Omit<ServingSettings, 'rate'>,
  options: KneeRunOptions & { capacity?: KneeSearch['capacity'] },
): Promise<{ knee: KneeSearch; trials: TrialResult[] }> {
  const { budget } = options;
  const { instances: _instances, ...probeBase } = settings;
  const capacity = options.capacity !== undefined ? options.capacity : await measureCapacity(rig, probeBase, engine.itemsPerRequest, options.signal);
  const trials: TrialResult[] = [];
  const ids = new Map<number, string>();
  const baseTrialId = engine.spec({ ...settings, rate: 1 }).id.replace(/\s*\brate=\S+/, '').trim();
  const probe = async (rate: number, plan: { requests: number; targetMs: number }): Promise<KneeProbeOutcome> => {
    const spec = engine.spec({ ...settings, rate });
    const m = await rig.probe({ settings: { ...probeBase, rate }, measure: { kind: 'count', iterations: plan.requests }, signal: options.signal });
    const trial = engine.trial(spec, m);
    trials.push(trial);
    ids.set(rate, trial.spec.id);
    options.onTrial?.(trial);
    return probeOutcome(m, budget);
  };
  const result = await findKnee(probe, {
    percentile: budget.percentile,
    targetMs: budget.targetMs,
    precision: options.precision ?? DEFAULT_KNEE_PRECISION,
    capacity: capacity?.rate ?? null,
    ...(options.signal && { signal: options.signal }),
  });
  return { knee: kneeSummary(result, budget, baseTrialId, kneeSettings(settings, engine.itemsPerRequest), capacity, ids), trials };
}

/**
 * A measurement as the search judges it: requests dropped by a bounded queue or left unfinished
 * count as over the target (they were not served within it), never as absent.
 */
export function probeOutcome(m: ServiceMeasurement, budget: KneeBudget): KneeProbeOutcome {
  const s = m.service;
  const stage = (m.stages as unknown as Record<string, ServiceMeasurement['stages']['total'] | undefined>)[budget.stage] ?? m.stages.total;
  const notServed = s.requests.dropped + s.requests.unfinished;
  const key = (Object.entries(PERCENTILE_OF).find(([, p]) => p === budget.percentile)?.[0] ?? 'p99') as keyof typeof PERCENTILE_FIELD;
  return {
    requests: s.requests.completed + notServed,
    overTarget: (stage.count > 0 ? countOverMs(stage.histogram, budget.targetMs) : 0) + notServed,
    percentileMs: stage.count > 0 ? stage[PERCENTILE_FIELD[key]] : null,
    overloaded: s.overload.verdict === 'overloaded',
    achievedRate: s.achievedRate,
    meanBatch: s.meanBatchSize,
    interrupted: m.interrupted,
  };
}

function kneeSummary(result: KneeResult, budget: KneeBudget, baseTrialId: string, settings: KneeSettings, capacity: KneeSearch['capacity'] | null, ids: ReadonlyMap<number, string>): KneeSearch {
  return {
    budget: budget.source, stage: budget.stage, percentile: budget.percentile, targetMs: budget.targetMs,
    rule: 'loadgen-early-stopping', confidence: result.confidence, baseTrialId, settings,
    capacity: capacity ? { rate: capacity.rate, serviceTimeMs: capacity.serviceTimeMs, meanBatch: capacity.meanBatch } : null,
    kneeRate: result.kneeRate, failedRate: result.failedRate, precision: result.precision, targetPrecision: result.targetPrecision, stop: result.stop,
    probes: result.probes.map((p) => ({
      rate: p.rate, trialId: ids.get(p.rate) ?? '', phase: p.phase, verdict: p.verdict, requests: p.requests, overTarget: p.overTarget, needed: p.needed,
      percentileMs: p.verdict === 'overloaded' ? null : p.percentileMs, achievedRate: p.achievedRate ?? null, meanBatch: p.meanBatch ?? null,
    })),
  };
}

/** Batch sizes whose service time the advice measures: powers of two up to the largest allowed. */
export function adviceBatchSizes(maxBatch: number, itemsPerRequest: number): number[] {
  const sizes: number[] = [];
  for (let b = itemsPerRequest; b <= maxBatch; b *= 2) sizes.push(b);
  if (sizes.at(-1) !== maxBatch && maxBatch > itemsPerRequest) sizes.push(maxBatch);
  return sizes;
}

/** A replayed knee must beat no batching's by more than the search's precision to be advised. */
const MIN_GAIN = 1 + DEFAULT_KNEE_PRECISION;

/**
 * --advise-batching: S(b) for each batch size by a saturating probe, every (max batch, max delay)
 * simulated (load/batching-advice.ts), then the best predicted and no batching each replayed
 * with a knee search on the real engine.
 */
export async function adviseBatching(
  engine: KneeEngine,
  settings: Omit<ServingSettings, 'rate' | 'maxBatch' | 'maxDelayMs'> & { maxBatch: number },
  options: KneeRunOptions,
): Promise<{ advice: BatchingAdvice; knees: KneeSearch[]; trials: TrialResult[] }> {
  const { budget } = options;
  const items = engine.itemsPerRequest;
  const rig = await engine.open(settings.instances, settings.maxBatch);
  const trials: TrialResult[] = [];
  const knees: KneeSearch[] = [];
  try {
    const points: ServicePoint[] = [];
    const serviceTimes: BatchingAdvice['serviceTimes'] = [];
    for (const b of adviceBatchSizes(settings.maxBatch, items)) {
      const { instances: _i, ...base } = settings;
      // One instance's service time is what a batch costs; the rig's other instances run beside it as they would.
      const measured = await measureCapacity(rig, { ...base, maxBatch: b, maxDelayMs: 1000, batching: 'triton' }, items, options.signal);
      if (measured === null || options.signal?.aborted) break;
      points.push({ batch: b, meanMs: measured.serviceTimeMs, cv: measured.cv });
      serviceTimes.push({ batch: b, meanMs: measured.serviceTimeMs, cv: measured.cv, batches: measured.batches });
    }
    if (points.length === 0) throw new InferbenchError('runtime-error', 'the batching advice could not measure any service time', 'run without --advise-batching, or check the model runs at all with --rate');
    const ranked = rankSettings(points, { maxBatches: points.map((p) => p.batch), maxDelaysMs: defaultDelaysMs(points, items), batching: settings.batching, instances: settings.instances, itemsPerRequest: items }, budget.percentile, budget.targetMs);
    const best = ranked[0]!;
    const none = ranked.find((c) => c.maxBatch <= items)!;
    const replays: BatchingReplay[] = [];
    for (const candidate of best === none ? [none] : [best, none]) {
      if (options.signal?.aborted) break;
      const replaySettings = { ...settings, maxBatch: candidate.maxBatch, maxDelayMs: candidate.maxDelayMs };
      const capacity = { rate: candidate.capacity, serviceTimeMs: points.find((p) => p.batch === candidate.maxBatch)?.meanMs ?? points[0]!.meanMs, meanBatch: candidate.maxBatch };
      const { knee, trials: probes } = await searchKnee(engine, rig, replaySettings, { ...options, capacity });
      knees.push(knee);
      trials.push(...probes);
      const top = knee.probes.filter((p) => p.verdict === 'pass').sort((a, b) => b.rate - a.rate)[0];
      replays.push({ maxBatch: candidate.maxBatch, maxDelayMs: candidate.maxDelayMs, batching: candidate.batching, predictedKneeRate: candidate.kneeRate, kneeRate: knee.kneeRate, meanBatch: top?.meanBatch ?? null, baseTrialId: knee.baseTrialId });
    }
    const advice: BatchingAdvice = {
      budget: budget.source, instances: settings.instances, itemsPerRequest: items, serviceTimes,
      candidates: ranked.map((c) => ({ maxBatch: c.maxBatch, maxDelayMs: c.maxDelayMs, batching: c.batching, predictedKneeRate: c.kneeRate, predictedCapacity: c.capacity, predictedMeanBatch: c.meanBatchAtKnee })),
      replays, ...recommend(replays, settings.instances, items),
    };
    return { advice, knees, trials };
  } finally {
    await rig.close();
  }
}

function recommend(replays: readonly BatchingReplay[], instances: number, items: number): Pick<BatchingAdvice, 'recommendation' | 'reason'> {
  const none = replays.find((r) => r.maxBatch <= items);
  const best = replays.find((r) => r.maxBatch > items);
  if (!none || none.kneeRate === null) return { recommendation: null, reason: 'no replay met the budget at any rate, batching or not' };
  if (!best) return { recommendation: null, reason: 'the simulation over S(b) predicts no batching setting beats no batching (batches cost about as much per item as single requests)' };
  if (best.kneeRate === null || best.kneeRate < none.kneeRate * MIN_GAIN) {
    return { recommendation: null, reason: `the replay did not confirm the prediction: max batch ${best.maxBatch} reached ${best.kneeRate ?? 0} req/s against ${none.kneeRate} req/s without batching (needs > ${((MIN_GAIN - 1) * 100).toFixed(0)}% more)` };
  }
  const gain = best.kneeRate / none.kneeRate;
  return { recommendation: { ...best, gainOverNoBatching: gain, servers: serverSettings(best, instances, items) }, reason: `replayed on this machine: ${gain.toFixed(2)}× the knee without batching` };
}

/** The setting in the servers' own keys; only the servers whose policy was replayed. */
export function serverSettings(r: Pick<BatchingReplay, 'maxBatch' | 'maxDelayMs' | 'batching'>, instances: number, items: number): ServerSettings {
  if (r.batching === 'triton') {
    return { triton: { max_batch_size: r.maxBatch, dynamic_batching: { max_queue_delay_microseconds: Math.round(r.maxDelayMs * 1000) }, instance_group: { count: instances } } };
  }
  const requests = Math.max(1, Math.floor(r.maxBatch / items));
  // TorchServe's max_batch_delay is whole milliseconds: a fractional delay was not what it can run.
  return {
    ...(Number.isInteger(r.maxDelayMs) && { torchserve: { batch_size: requests, max_batch_delay: r.maxDelayMs, workers: instances } }),
    ray_serve: { max_batch_size: requests, batch_wait_timeout_s: Number((r.maxDelayMs / 1000).toPrecision(3)), num_replicas: instances },
  };
}
