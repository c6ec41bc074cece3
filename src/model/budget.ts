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

export interface BudgetCheck {
  budget: Budget;
  trialId: string;
  /** Measured value: ms for latency, per second for throughput. */
  measured: number;
  pass: boolean;
  /**
   * Room left as a fraction of the limit: +0.2 = 20% under a latency limit (or over a throughput
   * floor); negative = violated by that much.
   */
  headroom: number;
}
