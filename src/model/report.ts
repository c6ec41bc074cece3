// The report: what `profile` returns and every exporter renders.
import type { BudgetCheck } from './budget.js';
import type { BatchingAdvice, KneeSearch } from './knee.js';
import type { MergeInfo, ShardInfo } from './merge.js';
import type { OutputCheck } from './output-check.js';
import type { SampleSeries } from './samples.js';
import type { ServingOverhead } from './serving-overhead.js';
import type { ModelInfo } from './spec.js';
import type { TrialResult } from './trial.js';

export interface Environment {
  hostname: string;
  cpu: { model: string; logicalCores: number; physicalCores: number; speedMHz: number };
  memoryBytes: number;
  os: { platform: string; distro: string; release: string; kernel: string; arch: string };
  node: string;
  runtimes: { name: string; version: string; executionProviders: string[] }[];
  gpus: { name: string; driver: string; memoryBytes: number }[];
  /** Why GPU information is absent, when it is. */
  gpuNote?: string;
}

export interface BudgetSummary {
  checks: BudgetCheck[];
  /** The best trial among those passing every budget, by the objective (src/budget/best.ts); null if none passes. */
  best: BestChoice | null;
}

/**
 * "Which configuration is best?", decided on the paired speed-up (interleaved with the baseline,
 * so both sides saw the same load) where every candidate has one, else on the sequential figure.
 */
export interface BestChoice {
  trialId: string;
  /** The trial's items/s (sequential, wall time), for reference. */
  itemsPerSec: number;
  /** What was ranked: 'throughput' (items/s, higher wins) or a latency '[stage.]pNN' (lower wins). */
  objective: string;
  /** How the ranked figure was measured. */
  measuredBy: 'paired' | 'sequential';
  /** The ranked figure of the winner (speed-up vs the baseline, items/s, or ms) and its interval. */
  value: number;
  ci: [number, number] | null;
  /** Other candidates whose interval overlaps the winner's: within noise of it. */
  tiedWith: string[];
  /** One sentence saying what was chosen and why, e.g. "X and Y are within noise; X has the lower p99". */
  reason: string;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'inferbench'; version: string };
  command: { argv: string[] };
  startedAt: string;
  finishedAt: string;
  environment: Environment;
  model: ModelInfo;
  /** Options as resolved (after defaults), so the run can be reproduced. */
  options: Record<string, unknown>;
  trials: TrialResult[];
  /** --budget: every check per ok trial, and the best configuration within all budgets. */
  budget?: BudgetSummary;
  /** A sweep without --budget: its best configuration by --objective (with --budget it is budget.best). */
  best?: BestChoice;
  /** Raw utilisation samples over the whole run, tagged by trial and phase (absent with --no-sample or --isolate). */
  samples?: SampleSeries;
  /**
   * True when a signal stopped the run (the trials present are complete, the rest are absent),
   * and in every partial report rewritten while the sweep still runs.
   */
  interrupted?: boolean;
  /** --check-outputs: the model's outputs on the shipped ONNX test data sets against output_K.pb. */
  outputCheck?: OutputCheck;
  /** --shard I/N: this report measured one shard of the plan (`inferbench merge` joins the shards). */
  shard?: ShardInfo;
  /** Made by `inferbench merge`: the reports it joined. */
  merge?: MergeInfo;
  /** --rate auto: the highest rate within the latency budget, per serving setting, and the probes behind it (model/knee.ts). */
  knee?: KneeSearch[];
  /** --advise-batching: S(b), the predicted knee of each batching setting, the replays and the checked recommendation. */
  batchingAdvice?: BatchingAdvice;
  /** --serve: the model in process against the same model behind a local `inferbench serve`, per protocol (model/serving-overhead.ts). */
  servingOverhead?: ServingOverhead;
}
