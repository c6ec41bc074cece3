// --budget in a profile report: one row per (trial, budget) check with the interval its verdict
// rests on, and the best configuration within every budget (or, without budgets, the sweep's best
// by --objective). Shared by the console, Markdown and HTML exporters, so all say the same.
import { describeBudget, formatMeasured } from '../budget/budget.js';
import type { BestChoice, BudgetCheck, BudgetSummary, Report } from '../types.js';
import { formatHeadroom, formatMs, formatRate } from './format.js';

export const BUDGET_HEADER: readonly string[] = ['trial', 'budget', 'measured', '99% bounds', 'beyond limit', 'headroom', 'result'];

const RESULT: Record<BudgetCheck['verdict'], string> = { pass: 'pass', fail: 'FAIL', inconclusive: 'inconclusive' };

function value(check: BudgetCheck, v: number | null): string {
  if (v === null) return '–';
  const b = check.budget;
  return b.kind === 'latency' ? formatMs(v) : formatRate(v, b.per === 'item' ? 'items/s' : 'inf/s');
}

/** "4.10 ms – 4.62 ms"; "≥ 4.10 ms" or "≤ 4.62 ms" when the samples bound one side only; "observed" for a max. */
export function formatBounds(check: BudgetCheck): string {
  if (check.interval === undefined) return check.budget.kind === 'latency' && check.budget.metric === 'max' ? 'observed' : '';
  const { lower, upper } = check.interval;
  if (lower === null && upper === null) return 'too few samples';
  if (upper === null) return `≥ ${value(check, lower)}`;
  if (lower === null) return `≤ ${value(check, upper)}`;
  return `${value(check, lower)} – ${value(check, upper)}`;
}

/** "2 of 150", with "(+309 to pass)" when more samples, all within the limit, would decide it. */
function beyond(check: BudgetCheck): string {
  const s = check.samples;
  if (s === undefined) return '';
  return `${s.over.toLocaleString('en-US')} of ${s.count.toLocaleString('en-US')}${s.toPass !== null ? ` (+${s.toPass.toLocaleString('en-US')} to pass)` : ''}`;
}

/** A report written before verdicts existed has only `pass`. */
const verdictOf = (c: BudgetCheck): BudgetCheck['verdict'] => c.verdict ?? (c.pass ? 'pass' : 'fail');

export function budgetRows(summary: BudgetSummary): string[][] {
  return summary.checks.map((c) => [c.trialId, describeBudget(c.budget), formatMeasured(c), formatBounds(c), beyond(c), formatHeadroom(c.headroom), RESULT[verdictOf(c)]]);
}

/** The chosen configuration and why, in one line. */
function choiceLine(prefix: string, best: BestChoice): string {
  // A report written before the choice carried its reason: the old line.
  if (best.reason === undefined) return `${prefix}: ${best.trialId} (${formatRate(best.itemsPerSec, 'items/s')})`;
  return `${prefix} (${best.objective}, ${best.measuredBy === 'paired' ? 'paired speed-up' : 'sequential'}): ${best.trialId} — ${best.reason}`;
}

/** "best within budget (throughput, paired speed-up): cpu int8-static batch=4 — …", or why there is none. */
export function bestLine(summary: BudgetSummary): string {
  if (summary.best) return choiceLine('best within budget', summary.best);
  const inconclusive = summary.checks.some((c) => verdictOf(c) === 'inconclusive');
  return inconclusive ? 'no trial is shown to meet every budget (some are inconclusive: see the table)' : 'no trial meets every budget';
}

/** A line for a sweep without budgets, or null. */
export function bestOverallLine(report: Report): string | null {
  return report.best ? choiceLine('best', report.best) : null;
}

/** Inconclusive checks, for a footnote. */
export function inconclusiveNote(summary: BudgetSummary): string | null {
  const n = summary.checks.filter((c) => c.verdict === 'inconclusive').length;
  if (n === 0) return null;
  return `${n} inconclusive: the limit lies inside the 99% bounds (LoadGen's early-stopping rule on the samples beyond it); a warning, exit 1 with --fail-on-inconclusive`;
}
