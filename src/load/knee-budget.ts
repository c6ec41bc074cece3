// The budget `--rate auto` searches under: the first latency budget on a percentile
// ("p99<=50ms", "inference.p99.9<=2ms"); without one the search has nothing to meet (exit 2).
import { InferbenchError } from '../errors.js';
import type { Budget } from '../types.js';

/** The latency budget a knee search meets: a percentile of one stage under a target. */
export interface KneeBudget {
  source: string;
  stage: string;
  /** 0.99 for p99. */
  percentile: number;
  targetMs: number;
}

export const PERCENTILE_OF: Record<string, number> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99, p999: 0.999 };

/** The first latency budget on a percentile; `--rate auto` without one is a usage error. */
export function kneeBudget(budgets: readonly Budget[]): KneeBudget {
  const latency = budgets.filter((b): b is Extract<Budget, { kind: 'latency' }> => b.kind === 'latency');
  const usable = latency.find((b) => PERCENTILE_OF[b.metric] !== undefined);
  if (usable === undefined) {
    const given = budgets.map((b) => `"${b.source}"`).join(', ');
    throw new InferbenchError(
      'usage',
      budgets.length === 0 ? '--rate auto searches for the highest rate within a latency budget, and none was given' : `--rate auto needs a latency budget on a percentile (p50, p90, p95, p99, p99.9); ${given} ${budgets.length === 1 ? 'is' : 'are'} not one`,
      'add e.g. --budget "p99<=50ms" (the knee is the highest rate whose p99, from each request\'s intended arrival, meets it)',
    );
  }
  return { source: usable.source, stage: usable.stage, percentile: PERCENTILE_OF[usable.metric]!, targetMs: usable.limitMs };
}
