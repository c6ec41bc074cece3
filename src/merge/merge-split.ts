// One trial of a split load (`--rate R --shard I/N` against one server, merge/load-split.ts)
// merged from its shards' reports. The shards ran AT THE SAME TIME against one server, so unlike
// repeated runs (merge-service.ts, one after another) their rates ADD — k6 sums the iterations of
// its execution segments, Locust the requests/s of its workers — and the duration is the span of
// their intervals, not the sum. Histograms add per stage as always (wrk2's per-thread hdr_add).
//
// Checks: every part must be a shard of the same split (same N, same R); a split part never
// merges with a repeated run of the trial. What is merged but said: shards missing (the server
// was offered only k/N of R), shards that did not run at the same time (the server saw R/N at a
// time, not R), an overloaded shard (the server was overloaded: the merged trial is, too).
import { InferbenchError } from '../errors.js';
import type { LoadShare, ServiceSection, StageStats, TrialOk, TrialPart, TrialResult, Warning } from '../types.js';
import { addedSections, mergeClients } from './merge-service.js';
import { mergedWarnings, mergeMeasure, mergeStages, repetitionsOf } from './merge-trial.js';

type SplitOk = TrialOk & { service: ServiceSection & { split: LoadShare } };

const MIXED_HINT = 'merge the N shards of one split run (the same --rate, --shard I/N with the same N), and repeated runs separately';

/** Whether a trial is one shard's (or a merge's) part of a split load. */
export function isSplitPart(result: TrialResult): boolean {
  return result.status === 'ok' && result.service?.split !== undefined;
}

/** The shards of one split trial, merged: stages add, counts add, rates add, the duration is their span. */
export function mergeSplitTrial(results: readonly TrialResult[], parts: readonly TrialPart[]): TrialResult {
  const oks = checkSplit(results, parts);
  const first = oks[0];
  if (first === undefined) return { ...results[0]!, parts: [...parts] } as TrialResult;
  const stages = mergeStages(oks.map((r) => r.stages));
  const lag = (stages as Record<string, StageStats | undefined>).lag;
  const service = mergeSplitSections(oks, lag?.p99Ms);
  const share = service.split!;
  const notRun = parts.filter((_, i) => results[i]!.status !== 'ok');
  return {
    ...first,
    stages,
    service,
    measure: { ...mergeMeasure(oks), durationMs: service.durationMs },
    throughput: { inferencesPerSec: service.achievedRate, itemsPerSec: service.achievedRate * service.itemsPerRequest },
    peakRssBytes: Math.max(...oks.map((r) => r.peakRssBytes)),
    ...(oks.length > 1 && { repetitions: repetitionsOf(oks) }),
    warnings: [
      ...mergedWarnings(oks, stages).filter((w) => w.code !== 'overloaded'),
      ...overloadWarning(oks, service),
      ...partialWarning(share, notRun),
      ...concurrencyWarning(oks, share),
    ],
    parts: [...parts],
  };
}

/** The ok parts, checked: all shards of one split (same N and R), each shard once. */
function checkSplit(results: readonly TrialResult[], parts: readonly TrialPart[]): SplitOk[] {
  const id = results[0]!.spec.id;
  const oks: SplitOk[] = [];
  const sources: string[] = [];
  const firstSplit = results.findIndex(isSplitPart);
  results.forEach((r, i) => {
    if (r.status !== 'ok') return;
    const source = parts[i]!.source;
    const split = r.service?.split;
    if (split === undefined) {
      throw new InferbenchError('usage', `trial '${id}': ${parts[firstSplit]!.source} is a shard of a split load (each shard offered R/N at once) and ${source} is not (a run at the full rate): the rates of the one add, the other's pool over time`, MIXED_HINT);
    }
    const earlier = oks[0]?.service.split;
    if (earlier !== undefined && (earlier.count !== split.count || earlier.totalRate !== split.totalRate)) {
      throw new InferbenchError('usage', `trial '${id}' comes from different splits: ${parts[firstSplit]!.source} is shard ${earlier.shards.join('+')} of ${earlier.totalRate}/s, ${source} is shard ${split.shards.join('+')} of ${split.totalRate}/s`, MIXED_HINT);
    }
    const twice = oks.findIndex((o) => o.service.split.shards.some((s) => split.shards.includes(s)));
    if (twice >= 0) {
      throw new InferbenchError('usage', `trial '${id}': shard ${split.shards.join('+')} is in both ${sources[twice]} and ${source}: a shard's share of the load counts once`, 'merge each shard\'s report once');
    }
    oks.push(r as SplitOk);
    sources.push(source);
  });
  return oks;
}

/** Concurrent streams' sections: counts add, rates add, queues add, the span of their intervals. */
export function mergeSplitSections(oks: readonly SplitOk[], lagP99Ms?: number): ServiceSection {
  const all = oks.map((r) => r.service);
  const first = all[0]!;
  if (all.length === 1) return first;
  const sum = (of: (s: ServiceSection) => number): number => all.reduce((n, s) => n + of(s), 0);
  const share = joinShares(all.map((s) => s.split));
  const overloaded = all.filter((s) => s.overload.verdict === 'overloaded');
  return {
    ...first,
    ...addedSections(all, lagP99Ms),
    settings: { ...first.settings, rate: sum((s) => s.settings.rate), seed: oks[0]!.spec.service?.seed ?? first.settings.seed },
    offeredRate: sum((s) => s.offeredRate),
    sentRate: sum((s) => s.sentRate),
    achievedRate: sum((s) => s.achievedRate),
    queue: {
      // Requests waiting at once are the shards' together: end depths and growth add (a least-squares
      // slope is linear in the data); the peaks need not coincide, so their sum is an upper bound.
      maxDepth: sum((s) => s.queue.maxDepth),
      endDepth: sum((s) => s.queue.endDepth),
      slopePerSec: sum((s) => s.queue.slopePerSec),
      samples: sum((s) => s.queue.samples),
    },
    // One server: overloaded as seen by any shard is overloaded (its queue grew under the whole load).
    overload: {
      verdict: overloaded.length > 0 ? 'overloaded' : 'stable',
      evidence: all.flatMap((s) => s.overload.evidence.map((e) => ({ ...e, metric: `${e.metric} (shard ${s.split.shards.join('+')})` }))),
      endedEarly: all.some((s) => s.overload.endedEarly),
    },
    durationMs: spanMs(share) ?? Math.max(...all.map((s) => s.durationMs)),
    ...(first.client && { client: mergeClients(all, 'concurrent') }),
    split: share,
  };
}

function joinShares(shares: readonly LoadShare[]): LoadShare {
  const first = shares[0]!;
  const byShard = shares.flatMap((s) => s.shards.map((shard, k) => ({ shard, seed: s.seeds[k]! }))).sort((a, b) => indexOf(a.shard) - indexOf(b.shard));
  const starts = shares.map((s) => s.startedAt).sort();
  const ends = shares.map((s) => s.finishedAt).sort();
  return {
    totalRate: first.totalRate,
    count: first.count,
    shards: byShard.map((s) => s.shard),
    seeds: byShard.map((s) => s.seed),
    rate: (first.totalRate * byShard.length) / first.count,
    startedAt: starts[0]!,
    finishedAt: ends.at(-1)!,
    // Every pair of intervals overlaps exactly when the latest start is before the earliest finish.
    concurrent: starts.at(-1)! < ends[0]!,
  };
}

function indexOf(label: string): number {
  return Number(label.split('/')[0]);
}

/** Earliest start → latest finish, ms; undefined when a time does not parse. */
function spanMs(share: LoadShare): number | undefined {
  const span = Date.parse(share.finishedAt) - Date.parse(share.startedAt);
  return Number.isFinite(span) ? span : undefined;
}

function rate(r: number): string {
  return `${+r.toFixed(2)}/s`;
}

function overloadWarning(oks: readonly SplitOk[], service: ServiceSection): Warning[] {
  if (service.overload.verdict !== 'overloaded') return [];
  const shards = oks.filter((r) => r.service.overload.verdict === 'overloaded').map((r) => r.service.split.shards.join('+'));
  return [{ code: 'overloaded', message: `overloaded: the server fell behind the split load (shard ${shards.join(', ')} saw its queue grow); offered ${rate(service.offeredRate)} in all, achieved ${rate(service.achievedRate)} — no percentile here is a stable latency; lower --rate or give the server more capacity` }];
}

/** Shards whose load is missing: the server was offered k/N of R, not R. */
function partialWarning(share: LoadShare, notRun: readonly TrialPart[]): Warning[] {
  if (share.shards.length === share.count) return [];
  const present = new Set(share.shards);
  const missing = Array.from({ length: share.count }, (_, i) => `${i + 1}/${share.count}`).filter((s) => !present.has(s));
  const why = notRun.length > 0 ? `; not measured in ${notRun.map((p) => p.source).join(', ')}` : '';
  return [{ code: 'partial-load', message: `${share.shards.length} of ${share.count} shards measured this trial (missing: shard ${missing.join(', ')}${why}): the server was offered ${share.shards.length}/${share.count} of ${rate(share.totalRate)} = ${rate(share.rate)}, not ${rate(share.totalRate)}` }];
}

/** Shards that did not overlap in time: the server saw R/N at a time, not R. */
function concurrencyWarning(oks: readonly SplitOk[], share: LoadShare): Warning[] {
  if (oks.length < 2 || share.concurrent !== false) return [];
  const intervals = oks.map((r) => `${r.service.split.shards.join('+')} ${r.service.split.startedAt}–${r.service.split.finishedAt}`);
  return [{ code: 'load-not-concurrent', message: `the shards did not all run at the same time (${intervals.join(', ')}): the server saw ${rate(share.totalRate / share.count)} from each at a time, not ${rate(share.rate)} together — the latencies are of a lighter load; start the shards together` }];
}
