// Batching advice: from the measured service time of a batch, S(b), predict what each dynamic
// batching setting (max batch, max delay, policy) does to the latency percentile at a rate and to
// the knee (the highest rate within the budget), then pick the best. A prediction only: the
// caller replays the chosen setting on the real engine (sweep/knee-search.ts) and recommends it
// only when the replay confirms it.
//
// The prediction is a discrete-event simulation of the serving queue, with the two policies as
// model/service.ts defines them (the engine in serving/ implements the same rules):
// - triton: a free instance takes a full batch at once; while a full batch cannot form it holds,
//   never past the moment the OLDEST waiting request has waited max delay.
// - timeout (TorchServe, Ray Serve): a batch closes when full or max delay after its FIRST
//   request arrived; closed batches wait, in order, for a free instance.
// A batch of n items takes S(n), interpolated linearly between the measured batch sizes, times a
// seeded lognormal factor with the measured coefficient of variation. Poisson arrivals from a fixed
// seed, the same at every rate (common random numbers: the percentile then moves smoothly with rate).
import { mulberry32 } from '../measure/prng.js';
import type { BatchingPolicy } from '../model/service.js';

/** Mean service time of one batch of `batch` items (dispatch → instance free, crossing included). */
export interface ServicePoint {
  batch: number;
  meanMs: number;
  /** stddev / mean of that service time; 0 = deterministic. */
  cv: number;
}

export interface SimulatedSetting {
  maxBatch: number;
  maxDelayMs: number;
  batching: BatchingPolicy;
  instances: number;
  /** Items each request carries (the trial's --batch). */
  itemsPerRequest: number;
}

export interface SimulationResult {
  rate: number;
  meanMs: number;
  percentileMs: number;
  /** Mean items per model call. */
  meanBatch: number;
  /** Offered work ÷ what the instances can do at the largest batch: ≥ 1 never settles. */
  load: number;
}

export interface PredictedSetting extends SimulatedSetting {
  /** rate at which S(maxBatch) keeps every instance busy with full batches (requests/s). */
  capacity: number;
  /** Highest rate whose simulated percentile meets the target; 0 when none does. */
  kneeRate: number;
  /** Simulated mean batch (items) at the knee. */
  meanBatchAtKnee: number;
}

const SIM_REQUESTS = 20_000;
const SIM_SEED = 0x5eed;

/** S(n) from the measured points: linear between them, flat-per-item beyond the largest. */
export function serviceTimeAt(points: readonly ServicePoint[], items: number): { meanMs: number; cv: number } {
  const sorted = [...points].sort((a, b) => a.batch - b.batch);
  if (sorted.length === 0) throw new RangeError('no measured service times');
  const first = sorted[0]!;
  if (items <= first.batch) return { meanMs: first.meanMs, cv: first.cv };
  for (let i = 1; i < sorted.length; i++) {
    const hi = sorted[i]!;
    if (items <= hi.batch) {
      const lo = sorted[i - 1]!;
      const f = (items - lo.batch) / (hi.batch - lo.batch);
      return { meanMs: lo.meanMs + f * (hi.meanMs - lo.meanMs), cv: lo.cv + f * (hi.cv - lo.cv) };
    }
  }
  const last = sorted[sorted.length - 1]!;
  return { meanMs: (last.meanMs * items) / last.batch, cv: last.cv };
}

/** Requests/s the instances serve when every batch is full. */
export function capacityOf(points: readonly ServicePoint[], setting: SimulatedSetting): number {
  const perBatch = requestsPerBatch(setting);
  return (setting.instances * perBatch * 1000) / serviceTimeAt(points, perBatch * setting.itemsPerRequest).meanMs;
}

function requestsPerBatch(setting: SimulatedSetting): number {
  return Math.max(1, Math.floor(setting.maxBatch / setting.itemsPerRequest));
}

/** Per-request latencies (ms, in arrival order) and the batches of one simulated run. */
export interface SimulatedRun {
  latenciesMs: Float64Array;
  /** Items of each model call, in dispatch order, and its service time (ms). */
  batchItems: number[];
  batchServiceMs: number[];
  /** When the last batch finished, ms after the first arrival. */
  endMs: number;
}

/**
 * `requests` arrivals at `rate` (Poisson from the fixed seed, or evenly spaced) through the
 * batcher and instances; every request waits for its batch's completion.
 */
export function simulateRun(points: readonly ServicePoint[], setting: SimulatedSetting, rate: number, requests = SIM_REQUESTS, arrivals: 'poisson' | 'constant' = 'poisson'): SimulatedRun {
  const arrivalRandom = mulberry32(SIM_SEED);
  const serviceRandom = mulberry32(SIM_SEED ^ 0x9e3779b9);
  const times = new Float64Array(requests);
  for (let i = 1; i < requests; i++) times[i] = times[i - 1]! + (arrivals === 'poisson' ? -Math.log(1 - arrivalRandom()) : 1) * (1000 / rate);
  const free = new Float64Array(setting.instances);
  const latenciesMs = new Float64Array(requests);
  const batchItems: number[] = [];
  const batchServiceMs: number[] = [];
  const perBatch = requestsPerBatch(setting);
  const { maxDelayMs } = setting;
  let endMs = 0;
  for (let head = 0; head < requests; ) {
    let k = 0;
    for (let j = 1; j < free.length; j++) if (free[j]! < free[k]!) k = j;
    const fullAt = head + perBatch - 1 < requests ? times[head + perBatch - 1]! : Infinity;
    const deadline = Math.min(fullAt, times[head]! + maxDelayMs);
    // triton: a free instance holds only while a full batch cannot form, never past the oldest
    // request's delay, and takes what waits then; timeout: the batch closed at min(full, first + delay).
    const dispatch = setting.batching === 'triton' ? Math.max(free[k]!, times[head]!, deadline) : Math.max(free[k]!, deadline);
    const closeAt = setting.batching === 'triton' ? dispatch : deadline;
    let n = 1;
    while (n < perBatch && head + n < requests && times[head + n]! <= closeAt) n++;
    const s = serviceTimeAt(points, n * setting.itemsPerRequest);
    const serviceMs = s.meanMs * lognormalFactor(s.cv, serviceRandom);
    const end = dispatch + serviceMs;
    free[k] = end;
    endMs = Math.max(endMs, end);
    for (let j = head; j < head + n; j++) latenciesMs[j] = end - times[j]!;
    batchItems.push(n * setting.itemsPerRequest);
    batchServiceMs.push(serviceMs);
    head += n;
  }
  return { latenciesMs, batchItems, batchServiceMs, endMs };
}

/** One simulated run summarised: mean, the percentile, mean batch and the load. */
export function simulate(points: readonly ServicePoint[], setting: SimulatedSetting, rate: number, percentile: number, requests = SIM_REQUESTS): SimulationResult {
  const run = simulateRun(points, setting, rate, requests);
  const sorted = run.latenciesMs.slice().sort();
  let sum = 0;
  for (const v of run.latenciesMs) sum += v;
  const items = run.batchItems.reduce((a, b) => a + b, 0);
  return {
    rate,
    meanMs: sum / requests,
    percentileMs: sorted[Math.min(requests - 1, Math.ceil(percentile * requests) - 1)]!,
    meanBatch: items / run.batchItems.length,
    load: rate / capacityOf(points, setting),
  };
}

/** A factor with mean 1 and the given coefficient of variation (lognormal). */
function lognormalFactor(cv: number, random: () => number): number {
  if (!(cv > 0)) return 1;
  const sigma2 = Math.log(1 + cv * cv);
  const u1 = Math.max(random(), Number.MIN_VALUE);
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random());
  return Math.exp(Math.sqrt(sigma2) * z - sigma2 / 2);
}

/**
 * Highest rate whose simulated percentile meets the target, by bisection below the capacity
 * (at or above it the queue never settles). Relative precision 1%.
 */
export function predictKnee(points: readonly ServicePoint[], setting: SimulatedSetting, percentile: number, targetMs: number): PredictedSetting {
  const capacity = capacityOf(points, setting);
  const within = (rate: number): SimulationResult | null => {
    const run = simulate(points, setting, rate, percentile);
    return run.percentileMs <= targetMs ? run : null;
  };
  let lo = 0;
  let atLo: SimulationResult | null = null;
  let hi = capacity * 0.98;
  const top = within(hi);
  if (top) return { ...setting, capacity, kneeRate: hi, meanBatchAtKnee: top.meanBatch };
  // Not even a trickle meets the target (it is below the service time itself).
  if (!within(capacity * 0.01)) return { ...setting, capacity, kneeRate: 0, meanBatchAtKnee: 0 };
  while ((hi - lo) / Math.max(hi, 1e-9) > 0.01) {
    const mid = (lo + hi) / 2;
    const run = within(mid);
    if (run) [lo, atLo] = [mid, run];
    else hi = mid;
  }
  return { ...setting, capacity, kneeRate: lo, meanBatchAtKnee: atLo?.meanBatch ?? 0 };
}

export interface BatchingCandidates {
  /** Max batch sizes (items) to try; each must be measured or below the largest measured. */
  maxBatches: number[];
  /** Max delays (ms) to try with each max batch above the request size. */
  maxDelaysMs: number[];
  batching: BatchingPolicy;
  instances: number;
  itemsPerRequest: number;
}

/**
 * Every candidate's predicted knee, best first (highest knee; among knees within 2% of it, the
 * smaller max batch and delay, which cost less latency at low rates).
 */
export function rankSettings(points: readonly ServicePoint[], candidates: BatchingCandidates, percentile: number, targetMs: number): PredictedSetting[] {
  const base = { batching: candidates.batching, instances: candidates.instances, itemsPerRequest: candidates.itemsPerRequest };
  const settings: SimulatedSetting[] = [];
  for (const maxBatch of candidates.maxBatches) {
    if (maxBatch <= candidates.itemsPerRequest) settings.push({ ...base, maxBatch: candidates.itemsPerRequest, maxDelayMs: 0 });
    else for (const maxDelayMs of candidates.maxDelaysMs) settings.push({ ...base, maxBatch, maxDelayMs });
  }
  const unique = settings.filter((s, i) => settings.findIndex((o) => o.maxBatch === s.maxBatch && o.maxDelayMs === s.maxDelayMs) === i);
  const predicted = unique.map((s) => predictKnee(points, s, percentile, targetMs));
  const bestKnee = Math.max(...predicted.map((p) => p.kneeRate));
  const cost = (p: PredictedSetting): number => p.maxBatch * 1000 + p.maxDelayMs;
  return predicted.sort((a, b) => {
    const aNear = a.kneeRate >= bestKnee * 0.98;
    const bNear = b.kneeRate >= bestKnee * 0.98;
    if (aNear !== bNear) return aNear ? -1 : 1;
    return aNear ? cost(a) - cost(b) : b.kneeRate - a.kneeRate;
  });
}

/** Default delays: none, and a quarter, half and one of the single-request service time. */
export function defaultDelaysMs(points: readonly ServicePoint[], itemsPerRequest: number): number[] {
  const s1 = serviceTimeAt(points, itemsPerRequest).meanMs;
  return [0, s1 / 4, s1 / 2, s1].map((d) => Number(d.toPrecision(2)));
}
