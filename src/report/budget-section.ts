// --budget in a profile report: one row per (trial, budget) check and the best configuration
// within every budget. Shared by the console and Markdown exporters.
import { describeBudget, formatMeasured } from '../budget/budget.js';
import type { BudgetSummary } from '../types.js';
import { formatHeadroom, formatRate } from './format.js';

export const BUDGET_HEADER: readonly string[] = ['trial', 'budget', 'measured', 'headroom', 'result'];

export function budgetRows(summary: BudgetSummary): string[][] {
  return summary.checks.map((c) => [c.trialId, describeBudget(c.budget), formatMeasured(c), formatHeadroom(c.headroom), c.pass ? 'pass' : 'FAIL']);
}

/** "best within budget: cpu fp32 batch=8 threads=2 (3,256 items/s)", or why there is none. */
export function bestLine(summary: BudgetSummary): string {
  if (!summary.best) return 'no trial meets every budget';
  return `best within budget: ${summary.best.trialId} (${formatRate(summary.best.itemsPerSec, 'items/s')})`;
}
