// Measure until the budgets can be decided. A trial whose latency budget is close (the limit
// inside the percentile's interval) keeps measuring past -n/--duration, up to --budget-time-cap,
// until LoadGen's early-stopping rule (or its mirror) decides it: MLPerf LoadGen's Server scenario
// runs until enough requests show the p99 within the target, and a CI gate would rather wait a few
// seconds than pass or fail on a coin toss. Only latency percentiles and means extend: a max is
// observed (more samples only raise it) and a throughput floor is judged from the whole phase.
import { judgePercentile } from '../budget/percentile-verdict.js';
import { BUDGET_CONFIDENCE } from '../budget/budget.js';
import type { StageRecorder } from '../measure/recorder.js';
import { normalQuantile } from '../measure/quantile-ci.js';
import { PERCENTILE_FRACTIONS } from '../measure/sample-rules.js';
import type { Budget, PercentileKey } from '../types.js';

type LatencyBudget = Extract<Budget, { kind: 'latency' }>;

/** A check that reads only the samples added since it last ran (a running count beyond the limit, running sums). */
function percentileCheck(budget: LatencyBudget & { metric: PercentileKey }): (r: StageRecorder) => boolean {
  const limitUs = budget.limitMs * 1000;
  const strict = budget.op === '<';
  const p = PERCENTILE_FRACTIONS[budget.metric];
  let scanned = 0;
  let over = 0;
  return (r) => {
    const samples = r.samplesOf(budget.stage);
    for (; scanned < r.count; scanned++) if (strict ? samples[scanned]! >= limitUs : samples[scanned]! > limitUs) over++;
    return judgePercentile(r.count, over, p, BUDGET_CONFIDENCE).verdict === 'undecided';
  };
}

function meanCheck(budget: LatencyBudget): (r: StageRecorder) => boolean {
  const limitUs = budget.limitMs * 1000;
  const z = normalQuantile(BUDGET_CONFIDENCE);
  let scanned = 0;
  let sum = 0;
  let squares = 0;
  return (r) => {
    const samples = r.samplesOf(budget.stage);
    for (; scanned < r.count; scanned++) {
      sum += samples[scanned]!;
      squares += samples[scanned]! ** 2;
    }
    const n = r.count;
    if (n < 2) return true;
    const mean = sum / n;
    const half = z * Math.sqrt(Math.max(0, (squares - n * mean * mean) / (n - 1)) / n);
    return mean - half <= limitUs && mean + half > limitUs;
  };
}

/**
 * The extension for runTrial (RunTrialOptions.extend): undecided while any latency budget is;
 * undefined when no budget can extend or the cap is 0.
 */
export function budgetExtension(budgets: readonly Budget[], capMs: number): { undecided: (r: StageRecorder) => boolean; capMs: number } | undefined {
  if (capMs <= 0) return undefined;
  const checks = budgets.flatMap((b) => {
    if (b.kind !== 'latency' || b.metric === 'max') return [];
    return [b.metric === 'mean' ? meanCheck(b) : percentileCheck({ ...b, metric: b.metric })];
  });
  if (checks.length === 0) return undefined;
  // Every check runs each time (each keeps its own running count), then any undecided one extends.
  return { capMs, undecided: (r) => checks.map((check) => check(r)).some(Boolean) };
}
