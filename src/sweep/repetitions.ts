// --repeat N: each configuration measured N times, interleaved with the other trials so that
// slow machine drift spreads over all of them instead of biasing one. The repetitions stay in the
// report (compare resamples them as clusters); the trial's headline numbers merge them.
import { noiseWarnings } from '../measure/convergence.js';
import { mergeStageStats } from '../measure/merge-stats.js';
import type { StageStats, TimedStage, TrialOk, TrialResult, Warning } from '../types.js';
import { TIMED_STAGES } from '../types.js';

const MERGED_CODES = new Set<Warning['code']>(['few-samples', 'too-noisy']);

/** Spread of inference p50 across repetitions (max − min over median) that marks a configuration unstable. */
export const UNSTABLE_SPREAD = 0.1;

export function mergeRepetitions(results: readonly TrialResult[]): TrialResult {
  const oks = results.filter((r): r is TrialOk => r.status === 'ok');
  const first = oks[0];
  if (results.length <= 1 || !first) return results[0] ?? failedMerge();
  const stages = mergeStages(oks);
  const measure: TrialOk['measure'] = {
    ...first.measure,
    iterations: sum(oks, (r) => r.measure.iterations),
    durationMs: sum(oks, (r) => r.measure.durationMs),
    stopReason: oks.at(-1)!.measure.stopReason,
    driftRatio: oks.reduce((worst, r) => (Math.abs(r.measure.driftRatio) > Math.abs(worst) ? r.measure.driftRatio : worst), 0),
  };
  // Sample-count and noise warnings describe the merged numbers the trial reports (n = the sum
  // of the repetitions'), not any one repetition; the others (drift, leaks, ...) stay per run.
  const perRun = dedupe(oks.flatMap((r) => r.warnings)).filter((w) => !MERGED_CODES.has(w.code));
  const inferencesPerSec = measure.durationMs > 0 ? (measure.iterations * 1000) / measure.durationMs : 0;
  return {
    ...first,
    stages,
    measure,
    peakRssBytes: Math.max(...oks.map((r) => r.peakRssBytes)),
    repetitions: oks.map((r) => ({ stages: r.stages, throughput: r.throughput, measure: r.measure })),
    warnings: [...noiseWarnings(stages.inference), ...perRun, ...spreadWarnings(oks), ...failureWarnings(results, oks.length)],
    throughput: { inferencesPerSec, itemsPerSec: inferencesPerSec * (first.spec.batch ?? 1) },
  };
}

function mergeStages(oks: readonly TrialOk[]): TrialOk['stages'] {
  const stages = Object.fromEntries(TIMED_STAGES.map((stage) => [stage, mergeStageStats(oks.map((r) => r.stages[stage]))])) as Record<TimedStage, StageStats>;
  const loads = oks.map((r) => r.stages.load).filter((s): s is StageStats => s !== undefined);
  return loads.length === oks.length ? { ...stages, load: mergeStageStats(loads) } : stages;
}

function spreadWarnings(oks: readonly TrialOk[]): Warning[] {
  const p50s = oks.map((r) => r.stages.inference.p50Ms).sort((a, b) => a - b);
  const median = p50s[p50s.length >> 1] ?? 0;
  const spread = median > 0 ? ((p50s.at(-1) ?? 0) - (p50s[0] ?? 0)) / median : 0;
  if (spread <= UNSTABLE_SPREAD) return [];
  return [{
    code: 'unstable',
    message: `inference p50 varied by ${(spread * 100).toFixed(1)}% of the median across ${oks.length} repetitions (${p50s.map((v) => `${(v * 1000).toFixed(0)} µs`).join(', ')}): this configuration is unstable run to run — pin threads, quiet the machine, or warm up longer`,
  }];
}

function failureWarnings(results: readonly TrialResult[], ok: number): Warning[] {
  if (ok === results.length) return [];
  return [{ code: 'repetitions-failed', message: `${results.length - ok} of ${results.length} repetitions did not run (${results.filter((r) => r.status !== 'ok').map((r) => r.status).join(', ')}); the numbers merge the ${ok} that did` }];
}

function dedupe(warnings: readonly Warning[]): Warning[] {
  const seen = new Map<string, Warning>();
  for (const w of warnings) if (!seen.has(w.code)) seen.set(w.code, w);
  return [...seen.values()];
}

function sum(oks: readonly TrialOk[], of: (r: TrialOk) => number): number {
  return oks.reduce((total, r) => total + of(r), 0);
}

function failedMerge(): never {
  throw new RangeError('mergeRepetitions needs at least one result');
}
