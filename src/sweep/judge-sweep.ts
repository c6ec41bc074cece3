// After a sweep: one answer per question. Every trial is told when another process took the CPU
// while it was measured; a sequential throughput that disagrees with the paired speed-up beyond
// noise says so and names the likely cause; budgets are judged with their intervals; and the best
// configuration is chosen once (src/budget/best.ts) for every exporter to show.
import { chooseBest, summarizeBudgets, type Objective } from '../budget/best.js';
import { CONTENTION_LIMIT, contentionOf } from '../compare/contention.js';
import { formatPercent, formatRatio } from '../report/format.js';
import { baselineTrial } from '../report/sweep-table.js';
import type { Budget, Report, TrialOk, TrialResult, Warning } from '../types.js';

/** A median that moved this much from the first to the last third of the phase is drift worth naming. */
const DRIFT_NAMED = 0.05;

/** Other processes' share of the machine during the trial's measurement, when above CONTENTION_LIMIT. */
function othersShare(report: Pick<Report, 'environment' | 'samples'>, trial: TrialOk): number | null {
  const c = contentionOf(report, trial);
  return c !== null && c.others > CONTENTION_LIMIT ? c.others : null;
}

function busyWarning(report: Pick<Report, 'environment' | 'samples'>, trial: TrialOk): Warning | null {
  const c = contentionOf(report, trial);
  if (c === null || c.others <= CONTENTION_LIMIT) return null;
  const starved = c.share > CONTENTION_LIMIT ? `, ${formatPercent(c.share)} of it CPU this trial's threads wanted` : '';
  return {
    code: 'busy-machine',
    message: `other processes used ${formatPercent(c.others)} of the machine's CPU while this trial was measured${starved} (${c.samples} samples): its sequential figures carry that load; the paired speed-up, measured interleaved with the baseline, does not depend on it`,
  };
}

/** Sequential items/s ratio to the baseline, with an interval when both trials have one. */
function sequentialRatio(trial: TrialOk, baseline: TrialOk): { ratio: number; ci: [number, number] | null } {
  const ratio = trial.throughput.itemsPerSec / baseline.throughput.itemsPerSec;
  const a = trial.throughput.interval?.itemsPerSec;
  const b = baseline.throughput.interval?.itemsPerSec;
  return { ratio, ci: a && b ? [a[0] / b[1], a[1] / b[0]] : null };
}

function causeOf(report: Pick<Report, 'environment' | 'samples'>, trial: TrialOk, baseline: TrialOk): string {
  const causes: string[] = [];
  for (const [name, t] of [['this trial', trial], ['the baseline', baseline]] as const) {
    const others = othersShare(report, t);
    if (others !== null) causes.push(`other processes took ${formatPercent(others)} of the CPU during ${name}'s sequential run (bursts)`);
    if (Math.abs(t.measure.driftRatio) > DRIFT_NAMED) causes.push(`${name}'s median drifted ${formatPercent(t.measure.driftRatio)} within its run (drift)`);
  }
  return causes.length > 0 ? causes.join('; ') : 'nothing the sampler saw: the runs differ in what the interleaved measurement cancels (machine state between runs, where the sessions landed in memory)';
}

function disagreement(report: Pick<Report, 'environment' | 'samples'>, trial: TrialOk, baseline: TrialOk): Warning | null {
  const paired = trial.pairedSpeedUp;
  if (paired === undefined || trial === baseline) return null;
  const seq = sequentialRatio(trial, baseline);
  const outside = (x: number): boolean => x < paired.ci[0] || x > paired.ci[1];
  const disjoint = seq.ci === null ? outside(seq.ratio) : seq.ci[1] < paired.ci[0] || seq.ci[0] > paired.ci[1];
  if (!disjoint) return null;
  return {
    code: 'throughput-disagrees',
    message: `sequential throughput puts this trial at ${formatRatio(seq.ratio)} the baseline, the paired speed-up at ${formatRatio(paired.ratio)} [${formatRatio(paired.ci[0])}, ${formatRatio(paired.ci[1])}]: beyond noise; cause: ${causeOf(report, trial, baseline)}. "Best" and the charts use the paired figure`,
  };
}

function annotate(report: Pick<Report, 'environment' | 'samples'>, trial: TrialResult, baseline: TrialOk | undefined): TrialResult {
  if (trial.status !== 'ok') return trial;
  const added = [busyWarning(report, trial), baseline ? disagreement(report, trial, baseline) : null].filter((w): w is Warning => w !== null);
  if (added.length === 0) return trial;
  const codes = new Set(added.map((w) => w.code));
  return { ...trial, warnings: [...trial.warnings.filter((w) => !codes.has(w.code)), ...added] };
}

/** The report with its trials annotated, budgets judged and the best configuration chosen. */
export function judgeSweep(report: Report, budgets: readonly Budget[], objective: Objective): Report {
  const baselineBefore = baselineTrial(report.trials);
  const trials = report.trials.map((t) => annotate(report, t, baselineBefore));
  const baseline = baselineTrial(trials);
  const { budget: _budget, best: _best, ...rest } = report;
  if (budgets.length > 0) {
    return { ...rest, trials, budget: summarizeBudgets(trials, budgets, objective) };
  }
  const ok = trials.filter((t): t is TrialOk => t.status === 'ok');
  const best = ok.length >= 2 ? chooseBest(ok, objective, baseline) : null;
  return { ...rest, trials, ...(best && { best }) };
}
