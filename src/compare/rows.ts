// Words and table rows for a Comparison, shared by the console and Markdown renderers so both say
// the same thing. Every number goes through report/format.ts.
import { describeBudget, formatMeasured, type BudgetCheck } from '../budget/budget.js';
import { formatCount, formatLevel, formatMs, formatPercent, formatRate, formatSignedPercent } from '../report/format.js';
import { trialConfig } from '../report/facts.js';
import type { MetricChange, Verdict, VerdictReason } from './significance.js';
import { MEAN_MAX_CV, MIN_ABSOLUTE_US, UNSTEADY_DRIFT_FACTOR } from './significance.js';
import type { Comparison, TrialComparison } from './verdict.js';

/** "+3.1%", "−2.0%", "0%". */
export const formatChange = formatSignedPercent;

/** "+1.2% … +5.0%". */
export function formatInterval(ci: readonly [number, number]): string {
  return `${formatChange(ci[0])} … ${formatChange(ci[1])}`;
}

export function formatMetricValue(m: MetricChange): string {
  return m.metric === 'throughput' ? formatRate(m.head) : formatMs(m.head);
}

export function formatBaseValue(m: MetricChange): string {
  return m.metric === 'throughput' ? formatRate(m.base) : formatMs(m.base);
}

const REASON: Record<VerdictReason, (m: MetricChange) => string> = {
  'beyond-threshold': (m) => `the whole CI is past ±${formatPercent(m.threshold)}`,
  'below-resolution': () => `past the threshold but under the ${formatCount(MIN_ABSOLUTE_US)} µs timer resolution`,
  'rank-disagrees': (m) => `CI past ±${formatPercent(m.threshold)} but the repetitions disagree (rank test p = ${m.rank?.p.toPrecision(2) ?? 'n/a'})`,
  'within-threshold': (m) => `CI within ±${formatPercent(m.threshold)}`,
  'too-noisy': (m) => `CI wider than ${formatPercent(m.threshold)}: too noisy to tell`,
  'near-threshold': (m) => `CI crosses ±${formatPercent(m.threshold)} without clearing it`,
  'few-samples': (m) => `CI past ±${formatPercent(m.threshold)}, but a run has too few samples for ${m.metric} (see the report's * footnote): measure more iterations`,
  'heavy-tail': (m) => `CI past ±${formatPercent(m.threshold)}, but a run's mean is carried by a few outliers (CV over ${formatCount(MEAN_MAX_CV * 100)}%): judge p50/p90, or use --repeat`,
  'unstable-run': (m) => `CI past ±${formatPercent(m.threshold)}, but a run drifted ${formatPercent(m.driftAllowance)} within itself (over ${formatCount(UNSTEADY_DRIFT_FACTOR)}× the threshold): warm up longer (-w 2s), measure longer, or use --repeat`,
};

export function explain(m: MetricChange): string {
  return REASON[m.reason](m);
}

export function metricHeader(c: Comparison): string[] {
  return ['stage', 'metric', 'base', 'head', 'change', `${formatLevel(c.method.level)} CI`, 'threshold', 'verdict'];
}

/** One row per stage metric, then throughput; `verdictCell` decorates the verdict (colour, emoji). */
export function metricRows(trial: TrialComparison, verdictCell: (v: Verdict) => string): string[][] {
  const row = (stage: string, m: MetricChange): string[] => [
    stage,
    m.metric,
    formatBaseValue(m),
    formatMetricValue(m),
    formatChange(m.change),
    formatInterval(m.ci),
    formatPercent(m.threshold),
    verdictCell(m.verdict),
  ];
  const rows = trial.stages.flatMap((s) => s.metrics.map((m) => row(s.stage, m)));
  if (trial.throughput !== null) rows.push(row('trial', trial.throughput));
  return rows;
}

/** The metrics whose verdict is not "unchanged", explained: "inference p50 +9.6% (…): regressed — …". */
export function notableLines(trial: TrialComparison): string[] {
  const all = [...trial.stages.flatMap((s) => s.metrics.map((m) => [s.stage, m] as const)), ...(trial.throughput ? [['trial', trial.throughput] as const] : [])];
  return all
    .filter(([, m]) => m.verdict !== 'unchanged')
    .map(([stage, m]) => `${stage} ${m.metric} ${formatChange(m.change)} (CI ${formatInterval(m.ci)}): ${m.verdict} — ${explain(m)}`);
}

/** Why this trial's intervals are wide, or null: "intervals widened by ±38% for within-run drift; base run warned …". */
export function stabilityLine(trial: TrialComparison): string | null {
  const parts: string[] = [];
  if ((trial.driftAllowance ?? 0) >= 0.005) parts.push(`intervals widened by ±${formatPercent(trial.driftAllowance ?? 0)} for within-run drift`);
  if (trial.instability !== undefined) parts.push(trial.instability);
  return parts.length === 0 ? null : parts.join('; ');
}

export function trialTitle(trial: TrialComparison): string {
  return `${trial.key} — ${trialConfig(trial.spec)}`;
}

export const BUDGET_HEADER = ['trial', 'budget', 'measured', 'headroom', 'result'];

export function budgetRows(checks: readonly BudgetCheck[], resultCell: (pass: boolean) => string): string[][] {
  return checks.map((check) => [check.trialId, describeBudget(check.budget), formatMeasured(check), formatChange(check.headroom), resultCell(check.pass)]);
}

/** "regressed: 1 of 3 trials; 1 budget violated (threshold 5%, 95% bootstrap CI, B = 1,000)". */
export function headline(c: Comparison): string {
  const regressed = `${formatCount(c.regressions)} of ${formatCount(c.trials.length)} trials regressed`;
  const budgets = c.budgets.length === 0 ? 'no budgets' : `${formatCount(c.budgetViolations)} of ${formatCount(c.budgets.length)} budget checks failed`;
  const overrides = Object.entries(c.method.overrides).map(([k, v]) => `${k} ${formatPercent(v)}`);
  const threshold = [`threshold ${formatPercent(c.method.defaultThreshold)}`, ...overrides].join(', ');
  return `${c.verdict}: ${regressed}; ${budgets} (${threshold}; ${formatLevel(c.method.level)} bootstrap CI, B = ${formatCount(c.method.resamples)})`;
}

/** "reports/base.json (mlp.onnx, inferbench 0.1.0, 2025-01-31 14:05:09 UTC, host ci-1)". */
export function sideLine(side: Comparison['base']): string {
  const model = side.model.split(/[\\/]/).pop() ?? side.model;
  return `${side.label} (${model}, inferbench ${side.toolVersion}, ${side.startedAt.slice(0, 19).replace('T', ' ')} UTC, host ${side.hostname})`;
}
