// --repeat N: each configuration measured N times, interleaved with the other trials so that
// slow machine drift spreads over all of them instead of biasing one. The repetitions stay in the
// report (compare resamples them as clusters); the trial's headline numbers merge them.
import { mergedWarnings, mergeMeasure, mergeStages, repetitionsOf } from '../merge/merge-trial.js';
import type { TrialOk, TrialResult, Warning } from '../types.js';

/** Spread of inference p50 across repetitions (max − min over median) that marks a configuration unstable. */
export const UNSTABLE_SPREAD = 0.1;

export function mergeRepetitions(results: readonly TrialResult[]): TrialResult {
  const oks = results.filter((r): r is TrialOk => r.status === 'ok');
  const first = oks[0];
  if (results.length <= 1 || !first) return results[0] ?? failedMerge();
  const stages = mergeStages(oks.map((r) => r.stages));
  const measure = mergeMeasure(oks);
  const inferencesPerSec = measure.durationMs > 0 ? (measure.iterations * 1000) / measure.durationMs : 0;
  return {
    ...first,
    stages,
    measure,
    peakRssBytes: Math.max(...oks.map((r) => r.peakRssBytes)),
    repetitions: repetitionsOf(oks),
    // Sample-count and noise warnings describe the merged numbers the trial reports (n = the sum
    // of the repetitions'), not any one repetition; the others (drift, leaks, ...) stay per run.
    warnings: [...mergedWarnings(oks, stages), ...spreadWarnings(oks), ...failureWarnings(results, oks.length)],
    throughput: mergedThroughput(oks, inferencesPerSec, first.spec.batch ?? 1),
  };
}

/** Student's t, 0.975 quantile, for 1..9 degrees of freedom (a two-sided 95% interval). */
const T_975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262];

/**
 * The merged items/s with a 95% interval from the spread of the repetitions' own items/s
 * (Student's t over n repetitions, 2.262 beyond 10); one repetition keeps its batch-means interval.
 */
function mergedThroughput(oks: readonly TrialOk[], inferencesPerSec: number, batch: number): TrialOk['throughput'] {
  const itemsPerSec = inferencesPerSec * batch;
  if (oks.length === 1) return oks[0]!.throughput;
  const rates = oks.map((r) => r.throughput.itemsPerSec);
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  const sd = Math.sqrt(rates.reduce((a, r) => a + (r - mean) ** 2, 0) / (rates.length - 1));
  const half = (T_975[Math.min(rates.length - 1, T_975.length) - 1]! * sd) / Math.sqrt(rates.length);
  return { inferencesPerSec, itemsPerSec, interval: { itemsPerSec: [Math.max(0, itemsPerSec - half), itemsPerSec + half], level: 0.95, method: 'repetitions', windows: rates.length } };
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

function failedMerge(): never {
  throw new RangeError('mergeRepetitions needs at least one result');
}
