// Latency and throughput budgets (`--budget`) and the result of checking one against a trial.
import type { TimedStage } from './spec.js';

export const BUDGET_LATENCY_METRICS = ['p50', 'p90', 'p95', 'p99', 'p999', 'mean', 'max'] as const;

export type BudgetLatencyMetric = (typeof BUDGET_LATENCY_METRICS)[number];

export type BudgetOp = '<=' | '<' | '>=' | '>';

/** Stage a budget without a stage prefix applies to. */
export const DEFAULT_BUDGET_STAGE: TimedStage = 'total';

export type Budget =
  | { kind: 'latency'; source: string; stage: TimedStage; metric: BudgetLatencyMetric; op: '<=' | '<'; limitMs: number }
  | { kind: 'throughput'; source: string; per: 'inference' | 'item'; op: '>=' | '>'; limitPerSec: number };

export type BudgetVerdict = 'pass' | 'fail' | 'inconclusive';

/**
 * How a check's interval was made: LoadGen's early-stopping rule on the count beyond the limit
 * (percentiles), a normal interval of the mean, or batch means of the measured phase's
 * throughput (throughput; `paired` when the paired speed-up's interval scaled it).
 */
export type BudgetIntervalMethod = 'early-stopping' | 'normal-mean' | 'batch-means';

export interface BudgetCheck {
  budget: Budget;
  trialId: string;
  /** Measured value: ms for latency, per second for throughput. */
  measured: number;
  /**
   * 'pass': within the limit at the interval's confidence; 'fail': beyond it; 'inconclusive':
   * the limit lies inside the interval (or the samples cannot bound the metric): see `interval`.
   */
  verdict: BudgetVerdict;
  /** false only when the budget is violated (verdict 'fail'): an inconclusive check is not a violation. */
  pass: boolean;
  /**
   * The interval the verdict rests on, in the measured unit: a side is null when the samples
   * cannot bound it (a p99 from fewer than 459 samples has no upper bound). Absent for `max`,
   * which is observed, not estimated.
   */
  interval?: { lower: number | null; upper: number | null; level: number; method: BudgetIntervalMethod };
  /** Latency percentiles: samples behind the check, how many lay beyond the limit, and how many more (all within) would pass it. */
  samples?: { count: number; over: number; toPass: number | null };
  /**
   * Room left as a fraction of the limit: +0.2 = 20% under a latency limit (or over a throughput
   * floor); negative = violated by that much.
   */
  headroom: number;
}
