// One trial measured several times — by several reports given to `inferbench merge` (a shard run
// twice, repeated runs) or by --repeat — merged exactly: each stage's HDR histograms add
// (measure/merge-stats.ts), so count, min, max and every percentile are those of all the samples
// together; a percentile is never averaged. Every stage the parts share merges the same way,
// whatever its name (the service stages queue, batch, … included).
import { noiseWarnings } from '../measure/convergence.js';
import { mergeStageStats } from '../measure/merge-stats.js';
import { mergeServiceSections } from './merge-service.js';
import type { StageStats, TrialOk, TrialPart, TrialResult, Warning } from '../types.js';

/** Warnings about the merged numbers themselves: recomputed from them, never carried from a part. */
const MERGED_CODES = new Set<Warning['code']>(['few-samples', 'too-noisy']);

type Stages = TrialOk['stages'];

/** Every stage all parts recorded, merged; a stage only some recorded is left out (it would describe some samples only). */
export function mergeStages(parts: readonly Stages[]): Stages {
  const first = parts[0];
  if (first === undefined) throw new RangeError('mergeStages needs at least one part');
  const names = Object.keys(first).filter((name) => parts.every((p) => (p as Record<string, StageStats | undefined>)[name] !== undefined));
  return Object.fromEntries(names.map((name) => [name, mergeStageStats(parts.map((p) => (p as Record<string, StageStats>)[name]!))])) as Stages;
}

/** The merged trial's warnings: noise from the merged inference stage, each other kind once. */
export function mergedWarnings(oks: readonly TrialOk[], stages: Stages): Warning[] {
  const seen = new Map<string, Warning>();
  for (const w of oks.flatMap((r) => r.warnings)) if (!MERGED_CODES.has(w.code) && !seen.has(w.code)) seen.set(w.code, w);
  return [...noiseWarnings(stages.inference), ...seen.values()];
}

/** The parts' measured phases back to back: iterations and durations add; the worst drift stays. */
export function mergeMeasure(oks: readonly TrialOk[]): TrialOk['measure'] {
  const first = oks[0]!;
  return {
    ...first.measure,
    iterations: oks.reduce((n, r) => n + r.measure.iterations, 0),
    durationMs: oks.reduce((n, r) => n + r.measure.durationMs, 0),
    stopReason: oks.at(-1)!.measure.stopReason,
    driftRatio: oks.reduce((worst, r) => (Math.abs(r.measure.driftRatio) > Math.abs(worst) ? r.measure.driftRatio : worst), 0),
  };
}

/**
 * Throughput of parts measured one after another: all requests over all the time they took
 * (each part's time is its requests ÷ its own rate, so streams of --concurrency count as they did).
 * Never the mean of the rates.
 */
export function pooledThroughput(oks: readonly TrialOk[]): TrialOk['throughput'] {
  const requests = oks.reduce((n, r) => n + r.measure.iterations, 0);
  const seconds = oks.reduce((s, r) => s + (r.throughput.inferencesPerSec > 0 ? r.measure.iterations / r.throughput.inferencesPerSec : 0), 0);
  const inferencesPerSec = seconds > 0 ? requests / seconds : 0;
  return { inferencesPerSec, itemsPerSec: inferencesPerSec * (oks[0]!.spec.batch ?? 1) };
}

/** A merged trial keeps each part's own numbers, flattened (a part that was itself --repeat keeps its repetitions). */
export function repetitionsOf(oks: readonly TrialOk[]): NonNullable<TrialOk['repetitions']> {
  return oks.flatMap((r) => r.repetitions ?? [{ stages: r.stages, throughput: r.throughput, measure: r.measure }]);
}

/**
 * The same trial from several reports, merged. Per-run facts that do not add (cold start, the
 * warm-up, the latency timeline, the operator profile, the bottleneck, a paired speed-up, which is
 * one interleaved measurement with its own interval) are the first part's; each part's own are in
 * its report, which `parts` names.
 */
export function mergeTrialParts(results: readonly TrialResult[], parts: readonly TrialPart[]): TrialResult {
  const oks = results.filter((r): r is TrialOk => r.status === 'ok');
  const first = oks[0];
  if (first === undefined) return results[0]!;
  if (oks.length === 1) return { ...first, parts: [...parts] };
  const stages = mergeStages(oks.map((r) => r.stages));
  const notRun = results.length - oks.length;
  const sources = parts.filter((_, i) => results[i]!.status === 'ok').map((p) => p.source);
  const services = oks.flatMap((r, i) => (r.service ? [{ service: r.service, source: sources[i]! }] : []));
  const lag = (stages as Record<string, StageStats | undefined>).lag;
  return {
    ...first,
    stages,
    ...(services.length > 0 && { service: mergeServiceSections(first.spec.id, services, lag?.p99Ms) }),
    measure: mergeMeasure(oks),
    throughput: pooledThroughput(oks),
    peakRssBytes: Math.max(...oks.map((r) => r.peakRssBytes)),
    repetitions: repetitionsOf(oks),
    warnings: [
      ...mergedWarnings(oks, stages),
      ...(notRun > 0 ? [{ code: 'repetitions-failed' as const, message: `${notRun} of ${results.length} reports did not measure this trial (${parts.filter((_, i) => results[i]!.status !== 'ok').map((p) => p.source).join(', ')}); the numbers merge the ${oks.length} that did` }] : []),
    ],
    parts: [...parts],
  };
}
