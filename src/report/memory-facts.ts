// The "nothing hidden" lines of a trial: wall time per request against its timed stages, and
// what memory management cost (faults, kernel time, GC, RSS) under the trial's output handling.
import type { TrialOk } from '../types.js';
import type { Fact } from './fact.js';
import { formatBytes, formatCount, formatMs, formatPercent, formatSignificant } from './format.js';

/** "wall 6.64 ms per request = stages 1.10 ms + harness 9.00 µs + unaccounted 5.53 ms (83%)". */
export function accountingFacts(trial: TrialOk): Fact[] {
  const a = trial.accounting;
  if (!a) return [];
  return [[
    'Wall time',
    `${formatMs(a.wallPerIterationMs)} per request = timed stages ${formatMs(a.timedPerIterationMs)} + harness ${formatMs(a.harnessPerIterationMs)} + unaccounted ${formatMs(a.unaccountedPerIterationMs)} (${formatPercent(a.unaccountedShare)}: GC, deferred frees, other threads); throughput is from wall time`,
  ]];
}

/** "outputs drop: 4.00 MiB per request; 297 minor faults per request (run 290) ...". */
export function memoryFacts(trial: TrialOk): Fact[] {
  const m = trial.memory;
  if (!m) return [];
  const iterations = Math.max(1, trial.measure.iterations);
  const outputs = m.outputBytesPerIteration === null ? '' : `, ${formatBytes(m.outputBytesPerIteration)} of outputs per request`;
  const byStage = m.faultsByStage
    ? ` (preprocess ${formatSignificant(m.faultsByStage.preprocess)}, run ${formatSignificant(m.faultsByStage.inference)}, postprocess ${formatSignificant(m.faultsByStage.postprocess)} in a ${formatCount(m.faultsByStage.iterations)}-request untimed pass)`
    : '';
  return [
    ['Outputs', `--outputs ${m.outputs}${outputs}`],
    [
      'Memory',
      `${formatSignificant(m.minorFaultsPerIteration)} minor / ${formatSignificant(m.majorFaultsPerIteration)} major page faults per request${byStage}; kernel CPU ${formatMs(m.systemCpuPerIterationMs)} per request; ${formatCount(m.gcCount)} GCs pausing ${formatMs(m.gcPauseMs / iterations)} per request; V8 heap ${formatBytes(m.heapAllocatedPerIterationBytes)} allocated per request; RSS ${formatBytes(m.rssStartBytes)} → ${formatBytes(m.rssEndBytes)} (${m.rssGrowthBytes >= 0 ? '+' : '−'}${formatBytes(Math.abs(m.rssGrowthBytes))})`,
    ],
  ];
}
