// Splitting one open-loop load over shards (`profile URL --rate R --shard I/N`): every shard runs
// every trial of the plan against the ONE shared server, offering R/N with its own seed, so the
// server sees the superposition of N independent Poisson streams of rate R/N — a Poisson stream
// of rate R (superposition theorem; it holds whatever the shards' start offsets, because each
// stream is stationary). k6 splits a scenario's arrival rate over instances the same way
// (execution segments); Locust divides users over workers.
//
// Only Poisson arrivals split. N constant streams of R/N add up to a constant stream of R only if
// their phases are locked (shard I starting (I−1)/R after shard 1); shards start in their own
// processes, on their own machines, at times no coordinator aligns, so their arrivals would bunch
// by chance. A trace replayed N times at R/N is N shifted copies of the trace, not the trace at R.
// Both are refused. A model FILE is not split this way: each shard would load its own in-process
// server at R/N (N light queues, not one at R), so --shard splits its plan by trial instead.
import { InferbenchError } from '../errors.js';
import type { LoadShare, LoadSplitInfo } from '../model/merge.js';
import type { ServingSettings } from '../model/serving.js';
import { shardLabel, type Shard } from './shard.js';

/** mulberry32 advances its state by this constant per draw (measure/prng.ts). */
const MULBERRY_INCREMENT = 0x6d2b79f5;
const STATES = 2 ** 32;

/**
 * Shard I's arrival seed: the run's seed jumped ahead I × ⌊2^32 / (N + 1)⌋ draws along mulberry32's
 * state sequence (its state is a Weyl sequence, seed + k × increment, of period 2^32). Shard I's
 * stream is a later stretch of the unsharded seed's own stream; the N + 1 stretches (the unsharded
 * one and each shard's) are disjoint for ⌊2^32/257⌋ ≈ 16.7 million draws, past the 5 million
 * arrivals one probe may hold (load/arrivals.ts) — so no two shards ever replay the same gaps,
 * the substream method of L'Ecuyer's RngStreams. N = 1 is the seed itself: `--shard 1/1` offers
 * exactly the unsharded arrivals.
 */
export function shardSeed(seed: number, index: number, count: number): number {
  if (count === 1) return seed;
  const stride = Math.floor(STATES / (count + 1));
  // (seed + index·stride·increment) mod 2^32, exactly: Math.imul multiplies modulo 2^32.
  return (seed + Math.imul((index * stride) >>> 0, MULBERRY_INCREMENT)) >>> 0;
}

/** A shard of a split load: which one, and the arrival seed it sends with. */
export interface LoadSplit {
  index: number;
  count: number;
  baseSeed: number;
  seed: number;
}

/** What a profile run needs to decide whether --shard splits the load or the plan. */
export interface SplitRequest {
  shard: Shard | null;
  /** The target is an endpoint URL (one server every shard sends to). */
  remote: boolean;
  service: { rates: number[]; auto: boolean; settings: Pick<ServingSettings, 'arrivals' | 'seed'> } | null;
}

const SPLIT_HINT = 'use --arrivals poisson (independent Poisson streams of R/N add up to one of rate R), or run the load from one process without --shard';

/**
 * The split this shard offers, or null when --shard splits the plan (a model file, closed loop,
 * no --shard). Refuses (exit 2) what cannot be split without a coordinator.
 */
export function loadSplitFor(request: SplitRequest): LoadSplit | null {
  const { shard, remote, service } = request;
  if (shard === null || !remote || service === null) return null;
  const flag = `--shard ${shardLabel(shard)}`;
  if (service.auto) {
    throw new InferbenchError('usage', `${flag} with --rate auto cannot split a knee search against one endpoint: each probe's next rate depends on every shard's latencies, and shards do not talk to each other`, 'find the knee from one process (--rate auto without --shard), then split that rate: --rate R --shard I/N');
  }
  if (service.settings.arrivals === 'constant') {
    throw new InferbenchError('usage', `${flag} with --arrivals constant: ${shard.count} constant streams of R/${shard.count} add up to a constant stream of R only if their phases are locked, and shards start when their machines start them`, SPLIT_HINT);
  }
  if (service.settings.arrivals === 'trace') {
    throw new InferbenchError('usage', `${flag} with a trace: ${shard.count} shards replaying it at R/${shard.count} send ${shard.count} shifted copies of the trace, not the trace at R`, SPLIT_HINT);
  }
  const baseSeed = service.settings.seed;
  return { index: shard.index, count: shard.count, baseSeed, seed: shardSeed(baseSeed, shard.index, shard.count) };
}

/** The settings a shard's probe SENDS with: R/N and its own seed. The trial's spec (and id) keep R. */
export function splitSettings<S extends Pick<ServingSettings, 'rate' | 'seed'>>(settings: S, split: LoadSplit | null): S {
  if (split === null) return settings;
  return { ...settings, rate: settings.rate / split.count, seed: split.seed };
}

/** Said before a split shard measures (or lists its plan): what it will send. */
export function splitNote(split: LoadSplit): string {
  return `shard ${shardLabel(split)} of a split load: every trial of the plan at 1/${split.count} of its rate, Poisson arrivals with seed ${split.seed} (from --seed ${split.baseSeed}); inferbench merge adds the ${split.count} shards' rates`;
}

/** What the shard's report records (ShardInfo.split). */
export function loadSplitInfo(split: LoadSplit, totalRates: readonly number[]): LoadSplitInfo {
  return { totalRates: [...totalRates], share: 1 / split.count, rates: totalRates.map((r) => r / split.count), baseSeed: split.baseSeed, seed: split.seed };
}

/** One shard's share of a trial of rate `totalRate`, measured from `startedAt` to `finishedAt` (ServiceSection.split). */
export function loadShare(split: LoadSplit, totalRate: number, startedAt: Date, finishedAt: Date): LoadShare {
  return {
    totalRate,
    count: split.count,
    shards: [shardLabel(split)],
    seeds: [split.seed],
    rate: totalRate / split.count,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
  };
}
