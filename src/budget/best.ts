// "Which configuration is best?" answered once, for the console, Markdown, HTML and JSON alike.
//
// The sweep measures its trials one after another, so another job's burst during one trial moves
// that trial's throughput and nothing else: ranking by it crowned fp32 over an int8-static that
// the paired measurement (both interleaved, same load) put at 1.70×. So throughput is ranked by
// the paired speed-up against the baseline, with its interval, whenever every candidate has one;
// the sequential items/s (and its batch-means interval) only when some candidate lacks it.
// Candidates whose intervals overlap the leader's are within noise of it: the choice among them
// goes to the tie-break (the lower p99 for throughput; the higher throughput for latency), and
// the reason says so instead of crowning one on noise.
import { InferbenchError } from '../errors.js';
import { formatMs, formatRatio } from '../report/format.js';
import { baselineTrial, speedUpOf } from '../report/sweep-table.js';
import { TIMED_STAGES, type BestChoice, type Budget, type BudgetCheck, type BudgetSummary, type TimedStage, type TrialOk, type TrialResult } from '../types.js';
import { evaluateBudgets } from './budget.js';

/** What "best" means: the most items/s, or the lowest latency percentile of a stage. */
export type Objective = { kind: 'throughput' } | { kind: 'latency'; stage: TimedStage; metric: 'p50' | 'p99' };

export const DEFAULT_OBJECTIVE = 'throughput';

/** "throughput", "p99", "total.p99", "inference.p50". */
export function parseObjective(raw: string): Objective {
  const text = raw.trim().toLowerCase();
  if (text === 'throughput') return { kind: 'throughput' };
  const match = /^(?:([a-z]+)\.)?(p50|p99)$/.exec(text);
  const stage = (match?.[1] ?? 'total') as TimedStage;
  if (!match || !(TIMED_STAGES as readonly string[]).includes(stage)) {
    throw new InferbenchError('usage', `--objective '${raw}' is not an objective`, 'use throughput (most items/s), or the latency to minimise: p50, p99, inference.p99, total.p50');
  }
  return { kind: 'latency', stage, metric: match[2] as 'p50' | 'p99' };
}

export function describeObjective(objective: Objective): string {
  return objective.kind === 'throughput' ? 'throughput' : `${objective.stage}.${objective.metric}`;
}

interface Scored {
  trial: TrialOk;
  value: number;
  ci: [number, number] | null;
}

/** Each candidate's ranked figure: higher is better for throughput, lower for latency. */
function score(candidates: readonly TrialOk[], objective: Objective, baseline: TrialOk | undefined): { scored: Scored[]; measuredBy: BestChoice['measuredBy'] } {
  if (objective.kind === 'latency') {
    const field = objective.metric === 'p50' ? 'p50Ms' : 'p99Ms';
    return { measuredBy: 'sequential', scored: candidates.map((trial) => ({ trial, value: trial.stages[objective.stage][field], ci: trial.stages[objective.stage].ci[field] })) };
  }
  // The sweep table's speed-up (sweep-table.ts), paired for every candidate or not used at all.
  const speedUps = baseline === undefined ? [] : candidates.map((trial) => ({ trial, s: speedUpOf(trial, baseline) }));
  if (baseline !== undefined && speedUps.every(({ s }) => s.paired)) {
    // The baseline is 1 exactly: every other interval already holds the uncertainty of the ratio.
    return { measuredBy: 'paired', scored: speedUps.map(({ trial, s }) => ({ trial, value: s.ratio, ci: s.ci ?? [1, 1] })) };
  }
  return { measuredBy: 'sequential', scored: candidates.map((trial) => ({ trial, value: trial.throughput.itemsPerSec, ci: trial.throughput.interval?.itemsPerSec ?? null })) };
}

const overlaps = (a: [number, number] | null, b: [number, number] | null): boolean => a !== null && b !== null && a[0] <= b[1] && b[0] <= a[1];

function shown(s: Scored, objective: Objective, measuredBy: BestChoice['measuredBy']): string {
  // The baseline's speed-up is 1 exactly ([1, 1]): no range to show.
  const range = s.ci && s.ci[0] !== s.ci[1] ? ` [${fmt(s.ci[0], objective, measuredBy)}, ${fmt(s.ci[1], objective, measuredBy)}]` : '';
  return `${fmt(s.value, objective, measuredBy)}${range}`;
}

function fmt(v: number, objective: Objective, measuredBy: BestChoice['measuredBy']): string {
  if (objective.kind === 'latency') return formatMs(v);
  return measuredBy === 'paired' ? formatRatio(v) : `${Math.round(v).toLocaleString('en-US')} items/s`;
}

function what(objective: Objective, measuredBy: BestChoice['measuredBy']): string {
  if (objective.kind === 'latency') return `the lowest ${describeObjective(objective)}`;
  return measuredBy === 'paired' ? 'the highest paired speed-up' : 'the most items/s (sequential runs: some trial has no paired speed-up)';
}

/**
 * The best of `candidates` by `objective`, or null when there are none. `baseline` is the trial
 * the paired speed-ups are measured against.
 */
export function chooseBest(candidates: readonly TrialOk[], objective: Objective, baseline: TrialOk | undefined): BestChoice | null {
  if (candidates.length === 0) return null;
  const { scored, measuredBy } = score(candidates, objective, baseline);
  const better = (a: Scored, b: Scored): boolean => (objective.kind === 'throughput' ? a.value > b.value : a.value < b.value);
  const leader = scored.reduce((best, s) => (better(s, best) ? s : best));
  const tied = scored.filter((s) => s !== leader && overlaps(s.ci, leader.ci));
  // Among the leader and those within noise of it, the tie-break decides.
  const group = [leader, ...tied];
  const tieBreak = objective.kind === 'throughput'
    ? (s: Scored): number => s.trial.stages.total.p99Ms
    : (s: Scored): number => -s.trial.throughput.itemsPerSec;
  const chosen = tied.length === 0 ? leader : group.reduce((best, s) => (tieBreak(s) < tieBreak(best) ? s : best));
  const others = group.filter((s) => s !== chosen);
  const reason = scored.length === 1
    ? `${chosen.trial.spec.id} is the only candidate (${shown(chosen, objective, measuredBy)})`
    : tied.length === 0
    ? `${chosen.trial.spec.id} has ${what(objective, measuredBy)}: ${shown(chosen, objective, measuredBy)}${runnerUp(scored, chosen, better, objective, measuredBy)}`
    : `${[chosen, ...others].map((s) => s.trial.spec.id).join(' and ')} are within noise on ${objective.kind === 'throughput' ? (measuredBy === 'paired' ? 'the paired speed-up' : 'throughput') : describeObjective(objective)} (${[chosen, ...others].map((s) => shown(s, objective, measuredBy)).join('; ')}); ${chosen.trial.spec.id} has ${objective.kind === 'throughput' ? `the lower total p99 (${formatMs(chosen.trial.stages.total.p99Ms)})` : 'the higher throughput'}`;
  return {
    trialId: chosen.trial.spec.id,
    itemsPerSec: chosen.trial.throughput.itemsPerSec,
    objective: describeObjective(objective),
    measuredBy,
    value: chosen.value,
    ci: chosen.ci,
    tiedWith: others.map((s) => s.trial.spec.id),
    reason,
  };
}

function runnerUp(scored: readonly Scored[], chosen: Scored, better: (a: Scored, b: Scored) => boolean, objective: Objective, measuredBy: BestChoice['measuredBy']): string {
  const rest = scored.filter((s) => s !== chosen);
  if (rest.length === 0) return '';
  const next = rest.reduce((best, s) => (better(s, best) ? s : best));
  return `, clear of the next, ${next.trial.spec.id} at ${shown(next, objective, measuredBy)}`;
}

/** The trials that pass every budget (an inconclusive check is no pass: "within budget" must be shown). */
export function withinBudget(trials: readonly TrialResult[], checks: readonly BudgetCheck[]): TrialOk[] {
  return trials.filter((t): t is TrialOk => t.status === 'ok' && checks.every((c) => c.trialId !== t.spec.id || c.verdict === 'pass'));
}

/** The budgets judged on `trials`, and the best trial that passes them all. */
export function summarizeBudgets(trials: readonly TrialResult[], budgets: readonly Budget[], objective: Objective): BudgetSummary {
  const checks = evaluateBudgets(trials, budgets);
  return { checks, best: chooseBest(withinBudget(trials, checks), objective, baselineTrial(trials)) };
}

/**
 * The ok trial that passes every budget and ranks best by `objective` (default: throughput, by
 * the paired speed-up where every candidate has one); null when none passes.
 */
export function bestWithinBudget(trials: readonly TrialResult[], budgets: readonly Budget[], objective: Objective = { kind: 'throughput' }): TrialOk | null {
  const choice = summarizeBudgets(trials, budgets, objective).best;
  return choice === null ? null : (trials.find((t): t is TrialOk => t.status === 'ok' && t.spec.id === choice.trialId) ?? null);
}
