// Latency and throughput budgets: "inference.p99<=15ms", "total.p50<8ms", "throughput>=200/s".
//
// Grammar: [stage.]metric op value unit
//   stage   preprocess | inference | postprocess | total — default total: the end-to-end time of
//           one iteration is what a caller of the model waits for, so an SLO is about it
//   metric  p50 p90 p95 p99 p999 (or p99.9) mean max, or throughput (no stage)
//   op      <= < for latency (upper bounds), >= > for throughput (lower bounds); ≤ ≥ work too
//   unit    us µs ms s for latency; /s or inf/s (inferences per second) or items/s
//           (inferences × batch per second) for throughput
// Each budget is checked per ok trial, with the measured value, its interval, a verdict (pass,
// fail, inconclusive) and the headroom left.
import { InferbenchError } from '../errors.js';
import { formatMs, formatRate } from '../report/format.js';
import { LOADGEN_CONFIDENCE } from '../load/early-stopping.js';
import { decodeHistogram } from '../measure/histogram.js';
import { normalQuantile } from '../measure/quantile-ci.js';
import { PERCENTILE_FRACTIONS } from '../measure/sample-rules.js';
import { BUDGET_LATENCY_METRICS, PERCENTILE_FIELD, DEFAULT_BUDGET_STAGE, TIMED_STAGES, type Budget, type BudgetCheck, type BudgetLatencyMetric, type BudgetOp, type BudgetVerdict, type PercentileKey, type StageStats, type TimedStage, type TrialOk, type TrialResult } from '../types.js';
import { boundRanks, judgePercentile, type PercentileVerdict } from './percentile-verdict.js';

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

/** One-sided confidence of each side of a budget's interval: LoadGen's 99%, for every metric alike. */
export const BUDGET_CONFIDENCE = LOADGEN_CONFIDENCE;

type Judged = Pick<BudgetCheck, 'verdict' | 'interval' | 'samples'>;

const VERDICT: Record<PercentileVerdict, BudgetVerdict> = { pass: 'pass', fail: 'fail', undecided: 'inconclusive' };

/**
 * A percentile against its limit, judged on the count of samples beyond the limit (LoadGen's
 * early-stopping rule and its mirror, percentile-verdict.ts), never on the point estimate: a p99
 * of 20.6 ms from 150 samples against 20 ms is 2 samples over, which cannot tell.
 */
function judgeLatencyPercentile(stats: StageStats, key: PercentileKey, limitMs: number, strict: boolean): Judged {
  const n = stats.count;
  if (n === 0) return { verdict: 'inconclusive', samples: { count: 0, over: 0, toPass: null } };
  const histogram = decodeHistogram(stats.histogram);
  // The k-th largest sample (ms), as the histogram holds it (within its 0.1% precision).
  const kth = (k: number): number => histogram.getValueAtPercentile((100 * (n - k + 1)) / n) / 1000;
  const beyond = (ms: number): boolean => (strict ? ms >= limitMs : ms > limitMs);
  // Samples beyond the limit: the largest k whose k-th largest sample is beyond it (bisect).
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (beyond(kth(mid))) lo = mid;
    else hi = mid - 1;
  }
  const p = PERCENTILE_FRACTIONS[key];
  const judged = judgePercentile(n, lo, p, BUDGET_CONFIDENCE);
  const ranks = boundRanks(n, p, BUDGET_CONFIDENCE);
  return {
    verdict: VERDICT[judged.verdict],
    interval: { lower: ranks.lower === null ? null : kth(ranks.lower), upper: ranks.upper === null ? null : kth(ranks.upper), level: BUDGET_CONFIDENCE, method: 'early-stopping' },
    samples: { count: n, over: lo, toPass: judged.samplesToPass },
  };
}

/** The mean against its limit: a one-sided 99% normal interval on each side (mean ± z·sd/√n). */
function judgeMean(stats: StageStats, limitMs: number): Judged {
  if (stats.count < 2) return { verdict: 'inconclusive' };
  const half = normalQuantile(BUDGET_CONFIDENCE) * (stats.stddevMs / Math.sqrt(stats.count));
  const interval = { lower: stats.meanMs - half, upper: stats.meanMs + half, level: BUDGET_CONFIDENCE, method: 'normal-mean' as const };
  return { verdict: interval.upper <= limitMs ? 'pass' : interval.lower > limitMs ? 'fail' : 'inconclusive', interval };
}

/** A throughput floor against the trial's items/s interval (batch means), scaled to inferences when the budget counts those. */
function judgeThroughput(trial: TrialOk, per: 'inference' | 'item', limit: number, measured: number): Judged {
  const interval = trial.throughput.interval;
  if (interval === undefined) return { verdict: measured >= limit ? 'pass' : 'fail' };
  const scale = per === 'item' ? 1 : 1 / (trial.spec.batch ?? 1);
  const [lower, upper] = [interval.itemsPerSec[0] * scale, interval.itemsPerSec[1] * scale];
  return { verdict: lower >= limit ? 'pass' : upper < limit ? 'fail' : 'inconclusive', interval: { lower, upper, level: interval.level, method: 'batch-means' } };
}

function latencyJudgement(trial: TrialOk, budget: Extract<Budget, { kind: 'latency' }>, measured: number): Judged {
  const stats = trial.stages[budget.stage];
  if (budget.metric === 'mean') return judgeMean(stats, budget.limitMs);
  if (budget.metric === 'max') return { verdict: (budget.op === '<=' ? measured <= budget.limitMs : measured < budget.limitMs) ? 'pass' : 'fail' };
  return judgeLatencyPercentile(stats, budget.metric, budget.limitMs, budget.op === '<');
}

/**
 * One budget against one trial, judged with its uncertainty: 'pass' when the metric's interval
 * lies within the limit, 'fail' when beyond it, 'inconclusive' when the limit lies inside it.
 * `max` is observed, not estimated, so it is judged as measured; so is a throughput without an interval.
 */
export function evaluateBudget(trial: TrialOk, budget: Budget): BudgetCheck {
  if (budget.kind === 'latency') {
    const measured = trial.stages[budget.stage][STAT_FIELD[budget.metric]];
    const judged = latencyJudgement(trial, budget, measured);
    return { budget, trialId: trial.spec.id, measured, ...judged, pass: judged.verdict !== 'fail', headroom: (budget.limitMs - measured) / budget.limitMs };
  }
  const measured = budget.per === 'item' ? trial.throughput.itemsPerSec : trial.throughput.inferencesPerSec;
  const judged = judgeThroughput(trial, budget.per, budget.limitPerSec, measured);
  // A strict floor (>) at exactly the limit is no pass.
  const verdict = judged.verdict === 'pass' && budget.op === '>' && (judged.interval?.lower ?? measured) <= budget.limitPerSec ? 'inconclusive' : judged.verdict;
  return { budget, trialId: trial.spec.id, measured, ...judged, verdict, pass: verdict !== 'fail', headroom: (measured - budget.limitPerSec) / budget.limitPerSec };
}

/** Every budget against every ok trial (failed and skipped trials have nothing to check). */
export function evaluateBudgets(trials: readonly TrialResult[], budgets: readonly Budget[]): BudgetCheck[] {
  return trials.filter((t): t is TrialOk => t.status === 'ok').flatMap((trial) => budgets.map((b) => evaluateBudget(trial, b)));
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
