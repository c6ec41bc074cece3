// Latency and throughput budgets: "inference.p99<=15ms", "total.p50<8ms", "throughput>=200/s".
//
// Grammar: [stage.]metric op value unit
//   stage   preprocess | inference | postprocess | total — default total: the end-to-end time of
//           one iteration is what a caller of the model waits for, so an SLO is about it
//   metric  p50 p90 p95 p99 p999 (or p99.9) mean max, or throughput (no stage)
//   op      <= < for latency (upper bounds), >= > for throughput (lower bounds); ≤ ≥ work too
//   unit    us µs ms s for latency; /s or inf/s (inferences per second) or items/s
//           (inferences × batch per second) for throughput
// Each budget is checked per ok trial, with the measured value and the headroom left.
import { InferbenchError } from '../errors.js';
import { formatMs, formatRate } from '../report/format.js';
import { BUDGET_LATENCY_METRICS, PERCENTILE_FIELD, DEFAULT_BUDGET_STAGE, TIMED_STAGES, type Budget, type BudgetCheck, type BudgetLatencyMetric, type BudgetOp, type StageStats, type TimedStage, type TrialOk, type TrialResult } from '../types.js';

export { BUDGET_LATENCY_METRICS, DEFAULT_BUDGET_STAGE } from '../types.js';
export type { Budget, BudgetCheck, BudgetLatencyMetric, BudgetOp } from '../types.js';





const SYNTAX = /^\s*(?:([a-z]+)\.)?([a-z0-9.]+)\s*(<=|>=|<|>|≤|≥)\s*(\d+(?:\.\d+)?)\s*([a-zµμ/]+)\s*$/i;
const HINT = 'write [stage.]metric<=value+unit, e.g. "inference.p99<=15ms", "p50<800us", "throughput>=200/s"';
const LATENCY_UNIT_MS: Record<string, number> = { us: 0.001, 'µs': 0.001, 'μs': 0.001, ms: 1, s: 1000 };
const RATE_UNITS: Record<string, 'inference' | 'item'> = { '/s': 'inference', 'inf/s': 'inference', 'items/s': 'item' };

function usage(raw: string, problem: string, hint = HINT): InferbenchError {
  return new InferbenchError('usage', `budget '${raw}': ${problem}`, hint);
}

export function parseBudget(raw: string): Budget {
  const match = SYNTAX.exec(raw);
  if (!match) throw usage(raw, 'not a budget');
  const [, stageRaw, metricRaw = '', opRaw = '', valueRaw = '', unitRaw = ''] = match;
  const op = opRaw === '≤' ? '<=' : opRaw === '≥' ? '>=' : (opRaw as BudgetOp);
  const value = Number(valueRaw);
  const metric = metricRaw.toLowerCase() === 'p99.9' ? 'p999' : metricRaw.toLowerCase();
  const unit = unitRaw.toLowerCase();
  if (metric === 'throughput') {
    if (stageRaw !== undefined) throw usage(raw, 'throughput is per trial, not per stage', 'write "throughput>=200/s"');
    const per = RATE_UNITS[unit];
    if (per === undefined) throw usage(raw, `unknown throughput unit '${unitRaw}'`, 'use /s (inferences), inf/s or items/s');
    if (op !== '>=' && op !== '>') throw usage(raw, 'a throughput budget is a floor', 'use >= or >, e.g. "throughput>=200/s"');
    if (!(value > 0)) throw usage(raw, 'the limit must be above 0');
    return { kind: 'throughput', source: raw.trim(), per, op, limitPerSec: value };
  }
  const stage = (stageRaw?.toLowerCase() ?? DEFAULT_BUDGET_STAGE) as TimedStage;
  if (!(TIMED_STAGES as readonly string[]).includes(stage)) throw usage(raw, `unknown stage '${stageRaw}'`, `stages: ${TIMED_STAGES.join(', ')}`);
  if (!(BUDGET_LATENCY_METRICS as readonly string[]).includes(metric)) {
    throw usage(raw, `unknown metric '${metricRaw}'`, `metrics: ${BUDGET_LATENCY_METRICS.join(', ')}, throughput`);
  }
  const scale = LATENCY_UNIT_MS[unit];
  if (scale === undefined) throw usage(raw, `unknown time unit '${unitRaw}'`, 'use us, µs, ms or s, e.g. "p99<=15ms"');
  if (op !== '<=' && op !== '<') throw usage(raw, 'a latency budget is a ceiling', `use <= or <, e.g. "${stage}.${metric}<=${valueRaw}${unitRaw}"`);
  if (!(value > 0)) throw usage(raw, 'the limit must be above 0');
  return { kind: 'latency', source: raw.trim(), stage, metric: metric as BudgetLatencyMetric, op, limitMs: value * scale };
}

export function parseBudgets(raws: readonly string[]): Budget[] {
  return raws.map(parseBudget);
}

const STAT_FIELD: Record<BudgetLatencyMetric, keyof StageStats & `${string}Ms`> = { ...PERCENTILE_FIELD, mean: 'meanMs', max: 'maxMs' };

export function evaluateBudget(trial: TrialOk, budget: Budget): BudgetCheck {
  if (budget.kind === 'latency') {
    const measured = trial.stages[budget.stage][STAT_FIELD[budget.metric]];
    const pass = budget.op === '<=' ? measured <= budget.limitMs : measured < budget.limitMs;
    return { budget, trialId: trial.spec.id, measured, pass, headroom: (budget.limitMs - measured) / budget.limitMs };
  }
  const measured = budget.per === 'item' ? trial.throughput.itemsPerSec : trial.throughput.inferencesPerSec;
  const pass = budget.op === '>=' ? measured >= budget.limitPerSec : measured > budget.limitPerSec;
  return { budget, trialId: trial.spec.id, measured, pass, headroom: (measured - budget.limitPerSec) / budget.limitPerSec };
}

/** Every budget against every ok trial (failed and skipped trials have nothing to check). */
export function evaluateBudgets(trials: readonly TrialResult[], budgets: readonly Budget[]): BudgetCheck[] {
  return trials.filter((t): t is TrialOk => t.status === 'ok').flatMap((trial) => budgets.map((b) => evaluateBudget(trial, b)));
}

/**
 * The ok trial with the highest throughput (items/s, so batch sizes compare fairly) that meets
 * every budget; null when none does. Ties keep the earlier trial.
 */
export function bestWithinBudget(trials: readonly TrialResult[], budgets: readonly Budget[]): TrialOk | null {
  let best: TrialOk | null = null;
  for (const trial of trials) {
    if (trial.status !== 'ok' || !budgets.every((b) => evaluateBudget(trial, b).pass)) continue;
    if (best === null || trial.throughput.itemsPerSec > best.throughput.itemsPerSec) best = trial;
  }
  return best;
}

/** "total.p99 <= 15.0 ms", "throughput >= 200 inf/s". */
export function describeBudget(budget: Budget): string {
  if (budget.kind === 'latency') return `${budget.stage}.${budget.metric} ${budget.op} ${formatMs(budget.limitMs)}`;
  return `throughput ${budget.op} ${formatRate(budget.limitPerSec, budget.per === 'item' ? 'items/s' : 'inf/s')}`;
}

/** The measured value in the budget's unit: "12.3 ms", "250 inf/s". */
export function formatMeasured(check: BudgetCheck): string {
  const b = check.budget;
  return b.kind === 'latency' ? formatMs(check.measured) : formatRate(check.measured, b.per === 'item' ? 'items/s' : 'inf/s');
}
