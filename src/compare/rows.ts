// Words and table rows for a Comparison, shared by the console and Markdown renderers so both say
// the same thing. Every number goes through report/format.ts.
import { describeBudget, formatMeasured, type BudgetCheck } from '../budget/budget.js';
import { formatCount, formatLevel, formatMs, formatPercent, formatPreciseRatio, formatRate, formatSignedPercent } from '../report/format.js';
import { trialConfig } from '../report/facts.js';
import type { MetricChange, Verdict, VerdictReason } from './significance.js';
import { MEAN_MAX_CV, MIN_ABSOLUTE_US, UNSTEADY_FACTOR } from './significance.js';
import { contentionLine, type Comparison, type TrialComparison } from './verdict.js';
import { MIN_BLOCKS_FOR_VERDICT } from './significance.js';

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
  'below-resolution': () => `the difference is under ${formatCount(MIN_ABSOLUTE_US)} µs, finer than the histograms resolve`,
  'rank-disagrees': (m) => `CI past ±${formatPercent(m.threshold)} but the repetitions disagree (rank test p = ${m.rank?.p.toPrecision(2) ?? 'n/a'})`,
  'within-threshold': (m) => `CI within ±${formatPercent(m.threshold)}`,
  'too-noisy': (m) => `CI wider than ${formatPercent(m.threshold)}: too noisy to tell`,
  'near-threshold': (m) => `CI grazes ±${formatPercent(m.threshold)}, the change is inside it`,
  'past-threshold-uncertain': (m) => `the change is past ±${formatPercent(m.threshold)} but its CI reaches back inside: measure longer or use --repeat`,
  identical: () => 'both sides hold the same samples',
  'few-blocks': (m) => `CI past ±${formatPercent(m.threshold)}, but the paired run has fewer than ${formatCount(MIN_BLOCKS_FOR_VERDICT)} pairs of blocks: measure longer (-n, --duration, or the default auto bound)`,
  contended: () => 'a run shared the CPU with other processes, which could explain this (see the warning above): rerun on a quiet machine',
  'tail-needs-repetitions': (m) => `CI past ±${formatPercent(m.threshold)}, but ${m.metric} moves more than that between runs: it is judged only with --repeat 5 (or more) on both sides`,
  'few-samples': (m) => `CI past ±${formatPercent(m.threshold)}, but a run has too few samples for ${m.metric} (see the report's * footnote): measure more iterations`,
  'heavy-tail': (m) => `CI past ±${formatPercent(m.threshold)}, but a run's mean is carried by a few outliers (CV over ${formatCount(MEAN_MAX_CV * 100)}%): judge p50/p90, or use --repeat`,
  'unstable-repetitions': (m) => `CI past ±${formatPercent(m.threshold)}, but a side's repetitions differ by over ${formatCount(UNSTEADY_FACTOR)}× the threshold: the machine changes state by more than the change (see the repetitions line); rerun, or on a quieter machine`,
  'unstable-run': (m) => `CI past ±${formatPercent(m.threshold)}, but a run measured once drifted over ${formatCount(UNSTEADY_FACTOR)}× the threshold within itself: warm up longer (-w 2s), measure longer, or use --repeat`,
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

/** Why this trial's intervals are wide or its verdicts capped, or null: "head shared the CPU …; intervals widened by ±10% …; base run warned …". */
export function stabilityLine(trial: TrialComparison): string | null {
  const parts: string[] = [];
  const contention = contentionLine(trial);
  if (contention !== null) parts.push(contention);
  if ((trial.driftAllowance ?? 0) >= 0.005) parts.push(`intervals widened by ±${formatPercent(trial.driftAllowance ?? 0)} for what one run a side cannot show (--run-variance, or half the runs' drift)`);
  if (trial.instability !== undefined) parts.push(trial.instability);
  return parts.length === 0 ? null : parts.join('; ');
}

/** "repetitions: base 5 (inference p50 318 µs … 630 µs, spread 53%), head 5 (…)", or null without repetitions. */
export function repetitionsLine(trial: TrialComparison): string | null {
  if (trial.repetitionP50 === undefined) return null;
  const side = (name: 'base' | 'head'): string => {
    const p50s = trial.repetitionP50?.[name] ?? [];
    const lo = Math.min(...p50s);
    const hi = Math.max(...p50s);
    const median = [...p50s].sort((a, b) => a - b)[p50s.length >> 1] ?? 0;
    const spread = p50s.length > 1 && median > 0 ? `, spread ${formatPercent((hi - lo) / median)}` : '';
    return `${name} ${formatCount(trial.repetitions[name])} (inference p50 ${p50s.length > 1 ? `${formatMs(lo)} … ${formatMs(hi)}` : formatMs(lo)}${spread})`;
  };
  return `repetitions: ${side('base')}, ${side('head')}`;
}

export function trialTitle(trial: TrialComparison): string {
  return `${trial.key} — ${trialConfig(trial.spec)}`;
}

export const BUDGET_HEADER = ['trial', 'budget', 'measured', 'headroom', 'result'];

export function budgetRows(checks: readonly BudgetCheck[], resultCell: (pass: boolean) => string): string[][] {
  return checks.map((check) => [check.trialId, describeBudget(check.budget), formatMeasured(check), formatChange(check.headroom), check.verdict === 'inconclusive' ? 'inconclusive' : resultCell(check.pass)]);
}

/**
 * The one line that says which path produced the verdict: the pairs of an interleaved run, or two
 * reports measured separately.
 */
export function methodLine(c: Comparison): string {
  if (c.path === 'paired') {
    const mode = c.trials.find((t) => t.paired !== undefined)?.paired?.mode ?? 'in-process';
    const how = mode === 'duet' ? 'at the same time in two child processes (duet), in short blocks whose process is drawn per block' : `interleaved in one ${mode === 'child-processes' ? 'child ' : ''}process, in short blocks whose order is drawn per block`;
    return `Paired: base and head measured ${how}; the verdict comes from a bootstrap over the pairs of blocks (B = ${formatCount(c.method.resamples)}, seed ${c.method.seed}).`;
  }
  if (c.underLoad !== undefined) {
    return `Under load: both models offered the same arrivals (same seed) and measured in this run, interleaved by rate (base then head at ${c.underLoad.rates.map((r) => `${r}/s`).join(', ')}: one server on the machine at a time), each side's trial judged as a report; intervals are widened for what separate trials cannot show (run-to-run allowance ${formatPercent(c.method.runVariance)}, drift, contention).`;
  }
  return `Reports: each side was measured in its own run; intervals are widened for what separate runs cannot show (run-to-run allowance ${formatPercent(c.method.runVariance)}, drift, contention, spread between repetitions). For a gate on a shared runner, compare the two models instead (paired).`;
}

/** "paired: 412 blocks × 10 iterations a side (base first in 201), 9.87 s, stopped: …", or null. */
export function pairedLine(trial: TrialComparison): string | null {
  const p = trial.paired;
  if (p === undefined) return null;
  const p50 = trial.stages.find((x) => x.stage === 'inference')?.metrics.find((m) => m.metric === 'p50');
  const ratio = p50 === undefined ? '' : `inference p50 head/base ${formatPreciseRatio(1 + p50.change)} (${formatLevel(p50.level)} CI ${formatPreciseRatio(1 + p50.ci[0])} … ${formatPreciseRatio(1 + p50.ci[1])}); `;
  return `${ratio}paired (${p.mode}): ${formatCount(p.blocks)} blocks × ${formatCount(p.iterationsPerBlock)} iteration${p.iterationsPerBlock === 1 ? '' : 's'} a side${p.epochs > 1 ? ` in ${p.epochs} epochs (p50 ratios ${p.epochP50Ratios.map((r) => formatPreciseRatio(r)).join(', ')})` : ''} (base ${p.mode === 'duet' ? 'in the first child' : 'ran first'} in ${formatCount(p.baseFirstBlocks)}), ${formatMs(p.durationMs)} measured, stopped: ${STOP_WORDS[p.stopReason] ?? p.stopReason}`;
}

const STOP_WORDS: Record<string, string> = {
  iterations: 'the requested -n per side',
  duration: 'the requested --duration',
  'auto-target': 'the interval reached a quarter of the threshold',
  'auto-time-budget': 'the 10 s budget',
  'max-iterations': 'the iteration cap',
  interrupted: 'interrupted',
};

/** "regressed: 1 of 3 trials regressed; 2 metrics inconclusive; 1 of 3 budget checks failed (threshold 5%, 95% bootstrap CI, B = 1,000)". */
export function headline(c: Comparison): string {
  const regressed = `${formatCount(c.regressions)} of ${formatCount(c.trials.length)} trials regressed`;
  const budgets = c.budgets.length === 0 ? 'no budgets' : `${formatCount(c.budgetViolations)} of ${formatCount(c.budgets.length)} budget checks failed`;
  const overrides = Object.entries(c.method.overrides).map(([k, v]) => `${k} ${formatPercent(v)}`);
  const threshold = [`threshold ${formatPercent(c.method.defaultThreshold)}`, ...overrides].join(', ');
  const inconclusive = c.trials.reduce((n, t) => n + (t.inconclusiveMetrics ?? 0), 0);
  const unresolved = inconclusive > 0 ? `; ${formatCount(inconclusive)} ${inconclusive === 1 ? 'metric' : 'metrics'} inconclusive` : '';
  const method = c.path === 'paired' ? 'paired bootstrap CI' : 'bootstrap CI';
  return `${c.verdict}: ${regressed}${unresolved}; ${budgets} (${threshold}; ${formatLevel(c.method.level)} ${method}, B = ${formatCount(c.method.resamples)})`;
}

/** "reports/base.json (mlp.onnx, inferbench 0.1.0, 2025-01-31 14:05:09 UTC, host ci-1)". */
export function sideLine(side: Comparison['base']): string {
  const model = side.model.split(/[\\/]/).pop() ?? side.model;
  return `${side.label} (${model}, inferbench ${side.toolVersion}, ${side.startedAt.slice(0, 19).replace('T', ' ')} UTC, host ${side.hostname})`;
}
