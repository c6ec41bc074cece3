// The service section of one open-loop trial measured by several reports (the same trial run
// again, on one machine type), merged for `inferbench merge`. Its stage histograms (queue, batch,
// crossing, uncorrected, lag, total, …) add in merge-trial.ts like any stage; here the rest adds
// up: request counts and batches add, rates are pooled over the time each probe took (never the
// mean of the rates), per-batch-size inference histograms add by size, the service-time
// histogram adds and its moments pool by count. An overloaded probe is refused: its latencies grow
// with its own length, so pooling it with others would hide the overload in their numbers (the
// reason --repeat is refused with --rate).
import { InferbenchError } from '../errors.js';
import { mergeStageStats } from '../measure/merge-stats.js';
import type { BatchSizeStats, ClientPoolSection, ServiceSection } from '../types.js';

/** Each part's service section and the report it came from. */
export interface ServicePart {
  service: ServiceSection;
  source: string;
}

/** `lagP99Ms`: the merged lag stage's p99 (the generator's lag over every request), when the trial has one. */
export function mergeServiceSections(trialId: string, parts: readonly ServicePart[], lagP99Ms?: number): ServiceSection {
  const first = parts[0]!.service;
  const overloaded = parts.find((p) => p.service.overload.verdict === 'overloaded');
  if (overloaded !== undefined) {
    throw new InferbenchError(
      'usage',
      `trial '${trialId}' is overloaded in ${overloaded.source}: an overloaded probe's latencies grow with its length, so merging it with the other reports' probes would hide the overload`,
      'merge probes that are stable, or read the overloaded one on its own (inferbench report)',
    );
  }
  const all = parts.map((p) => p.service);
  const sum = (of: (s: ServiceSection) => number): number => all.reduce((n, s) => n + of(s), 0);
  /** A rate pooled over time: events over the seconds each probe's events took (events ÷ its rate). */
  const pooledRate = (events: (s: ServiceSection) => number, rate: (s: ServiceSection) => number): number => {
    const seconds = sum((s) => (rate(s) > 0 ? events(s) / rate(s) : 0));
    return seconds > 0 ? sum(events) / seconds : 0;
  };
  return {
    ...first,
    ...addedSections(all, lagP99Ms),
    offeredRate: pooledRate((s) => s.requests.scheduled, (s) => s.offeredRate),
    sentRate: pooledRate((s) => s.requests.sent, (s) => s.sentRate),
    achievedRate: pooledRate((s) => s.requests.completed, (s) => s.achievedRate),
    queue: {
      maxDepth: Math.max(...all.map((s) => s.queue.maxDepth)),
      endDepth: Math.max(...all.map((s) => s.queue.endDepth)),
      // The steepest growth any probe saw: a slope is a per-probe trend, not a quantity that adds.
      slopePerSec: all.reduce((worst, s) => (Math.abs(s.queue.slopePerSec) > Math.abs(worst) ? s.queue.slopePerSec : worst), 0),
      samples: sum((s) => s.queue.samples),
    },
    overload: { verdict: 'stable', evidence: first.overload.evidence, endedEarly: all.some((s) => s.overload.endedEarly) },
    durationMs: sum((s) => s.durationMs),
    ...(first.client && { client: mergeClients(all, 'sequential') }),
  };
}

/**
 * What adds the same way whether the probes ran one after another (repeated runs) or at once (the
 * shards of a split load, merge-split.ts): request counts and batches add, inference per batch size
 * adds by size, the service-time histogram adds and its second moment pools by count, utilisation
 * is weighted by each probe's length, the generator is saturated if any probe's was.
 */
export function addedSections(all: readonly ServiceSection[], lagP99Ms: number | undefined): Pick<ServiceSection, 'requests' | 'meanBatchSize' | 'batches' | 'inferenceByBatchSize' | 'serviceTime' | 'utilisation' | 'generator'> {
  const sum = (of: (s: ServiceSection) => number): number => all.reduce((n, s) => n + of(s), 0);
  const weighted = (value: (s: ServiceSection) => number, weight: (s: ServiceSection) => number): number => {
    const total = sum(weight);
    return total > 0 ? sum((s) => value(s) * weight(s)) / total : 0;
  };
  const serviceStats = mergeStageStats(all.map((s) => s.serviceTime.stats));
  return {
    requests: {
      scheduled: sum((s) => s.requests.scheduled),
      sent: sum((s) => s.requests.sent),
      completed: sum((s) => s.requests.completed),
      dropped: sum((s) => s.requests.dropped),
      unfinished: sum((s) => s.requests.unfinished),
    },
    meanBatchSize: weighted((s) => s.meanBatchSize, (s) => s.batches),
    batches: sum((s) => s.batches),
    inferenceByBatchSize: byBatchSize(all.flatMap((s) => s.inferenceByBatchSize)),
    serviceTime: {
      meanMs: serviceStats.meanMs,
      secondMomentMs2: weighted((s) => s.serviceTime.secondMomentMs2, (s) => s.serviceTime.stats.count),
      stats: serviceStats,
    },
    // Busy time over instance time: each probe's share weighted by its length.
    utilisation: weighted((s) => s.utilisation, (s) => s.durationMs),
    generator: {
      verdict: all.some((s) => s.generator.verdict === 'saturated') ? 'saturated' : 'ok',
      lateShare: weighted((s) => s.generator.lateShare, (s) => s.requests.sent),
      lagP99Ms: lagP99Ms ?? Math.max(...all.map((s) => s.generator.lagP99Ms)),
      eventLoopDelayP99Ms: Math.max(...all.map((s) => s.generator.eventLoopDelayP99Ms)),
      evidence: all.flatMap((s) => s.generator.evidence),
    },
  };
}

/**
 * The probes' client pools (a URL target). Waits add; the wait p99 is the largest probe's (a pooled
 * percentile lies between the parts' smallest and largest: an upper bound); the unloaded request
 * time is the smallest (the least disturbed measurement of it). `concurrent` (a split load's
 * shards): connections and the connections needed add (Little's law: rate × request time, and the
 * rates add); `sequential` (repeated runs): the same pool reopened, so the largest.
 */
export function mergeClients(all: readonly ServiceSection[], how: 'concurrent' | 'sequential'): ClientPoolSection | undefined {
  const clients = all.map((s) => s.client).filter((c): c is ClientPoolSection => c !== undefined);
  const first = clients[0];
  if (first === undefined || clients.length < all.length) return first;
  const sum = (of: (c: ClientPoolSection) => number): number => clients.reduce((n, c) => n + of(c), 0);
  const join = (of: (c: ClientPoolSection) => number): number => (how === 'concurrent' ? sum(of) : Math.max(...clients.map(of)));
  const completed = all.reduce((n, s) => n + s.requests.completed, 0);
  const waited = sum((c) => c.waited.requests);
  return {
    ...first,
    connections: join((c) => c.connections),
    serializeMs: Math.max(...clients.map((c) => c.serializeMs)),
    unloadedRequestMs: Math.min(...clients.map((c) => c.unloadedRequestMs)),
    waited: { requests: waited, share: completed > 0 ? waited / completed : 0, p99Ms: Math.max(...clients.map((c) => c.waited.p99Ms)) },
    neededConnections: join((c) => c.neededConnections),
    verdict: clients.some((c) => c.verdict === 'pool-limited') ? 'pool-limited' : 'ok',
  };
}

/** The model call's statistics per achieved batch size: the same size from every probe, added. */
function byBatchSize(list: readonly BatchSizeStats[]): BatchSizeStats[] {
  const sizes = [...new Set(list.map((b) => b.batchSize))].sort((a, b) => a - b);
  return sizes.map((batchSize) => {
    const same = list.filter((b) => b.batchSize === batchSize);
    return { batchSize, batches: same.reduce((n, b) => n + b.batches, 0), inference: mergeStageStats(same.map((b) => b.inference)) };
  });
}
