// A paired run (run-paired.ts) as a Comparison, the type every compare exporter renders: each
// configuration's stages judged from the pairs of blocks (paired-stats.ts), budgets checked on
// head, one verdict and exit code.
import { evaluateBudgets, type Budget } from '../budget/budget.js';
import { DEFAULT_SIGNIFICANCE, MEAN_MAX_CV, type SignificanceOptions } from '../compare/significance.js';
import { DEFAULT_THRESHOLD, thresholdFor, type Thresholds } from '../compare/threshold.js';
import { outcomeOf, trialVerdict, type Comparison, type SideSummary, type StageComparison, type TrialComparison } from '../compare/verdict.js';
import { hostname } from 'node:os';
import { TIMED_STAGES, type TrialResult } from '../types.js';
import { TOOL_VERSION } from '../version.js';
import { BLOCK_TARGET_MS } from './paired-loop.js';
import { comparePairedStage, comparePairedThroughput, cvOf, epochCount, perEpochRatios, type PairedStageSamples } from './paired-stats.js';
import type { PairedRun, PairedTrial } from './run-paired.js';

export interface PairedCompareOptions {
  thresholds?: Thresholds;
  budgets?: readonly Budget[];
  significance?: Partial<SignificanceOptions>;
  labels?: { base: string; head: string };
  /** Exit 1 when the verdict is inconclusive, for strict gates. */
  failOnInconclusive?: boolean;
}

export function pairedComparison(run: PairedRun, options: PairedCompareOptions = {}): Comparison {
  const thresholds = options.thresholds ?? { default: DEFAULT_THRESHOLD, overrides: {} };
  const significance = { ...DEFAULT_SIGNIFICANCE, ...options.significance };
  const trials = run.trials.map((t) => comparePairedTrial(t, thresholds, significance));
  const headTrials: TrialResult[] = run.trials.map((t) => (t.status === 'ok' ? t.head : { status: 'skipped', spec: t.spec, reason: t.message }));
  const budgets = evaluateBudgets(headTrials, options.budgets ?? []);
  return {
    path: 'paired',
    base: side(run, 'base', options.labels?.base ?? run.base.path),
    head: side(run, 'head', options.labels?.head ?? run.head.path),
    matching: { baseOnly: [], headOnly: [], environment: [], toolVersions: null, modelChanges: [] },
    trials,
    budgets,
    ...outcomeOf(trials, budgets, options.failOnInconclusive ?? false),
    method: { ...significance, defaultThreshold: thresholds.default, overrides: thresholds.overrides },
    ...(run.interrupted && { interrupted: true }),
  };
}

function side(run: PairedRun, name: 'base' | 'head', label: string): SideSummary {
  const s = run[name];
  return { label, model: s.path, sha256: s.info?.sha256 ?? '', toolVersion: TOOL_VERSION, startedAt: run.startedAt, hostname: hostname() };
}

function comparePairedTrial(t: PairedTrial, thresholds: Thresholds, options: SignificanceOptions): TrialComparison {
  const empty = { key: t.spec.id, spec: t.spec, stages: [], throughput: null, repetitions: { base: 0, head: 0 } };
  if (t.status !== 'ok') {
    // Head failing where base runs is a regression of the worst kind; anything else has no numbers.
    const verdict = t.status === 'failed' && t.side === 'head' ? 'regressed' : 'inconclusive';
    return { ...empty, verdict, note: `${t.status} (${t.side === 'both' ? 'both sides' : t.side}): ${t.message}` };
  }
  const m = t.measurement;
  const stages: StageComparison[] = [];
  TIMED_STAGES.forEach((stage, index) => {
    if (t.base.stages[stage].count === 0 || t.head.stages[stage].count === 0) return;
    const samples = stageSamples(t, stage);
    const metrics = comparePairedStage(samples, m.blocks, (metric) => thresholdFor(thresholds, stage, metric), options, options.seed + index * 7919);
    stages.push({ stage, metrics });
  });
  const total = stageSamples(t, 'total');
  const heavy = Math.max(cvOf(total.base), cvOf(total.head)) > MEAN_MAX_CV;
  const throughput = comparePairedThroughput(m.blocks, thresholdFor(thresholds, 'total', 'throughput'), options, options.seed + 104729, heavy);
  const all = [...stages.flatMap((s) => s.metrics), throughput];
  const baseFirst = m.blocks.baseFirst.filter(Boolean).length;
  return {
    ...empty,
    stages,
    throughput,
    repetitions: { base: 1, head: 1 },
    verdict: trialVerdict(stages, throughput),
    inconclusiveMetrics: all.filter((x) => x.verdict === 'inconclusive').length,
    paired: {
      mode: t.mode,
      cores: t.cores,
      epochs: epochCount(m.blocks),
      epochP50Ratios: perEpochRatios(stageSamples(t, 'inference'), m.blocks, 'p50'),
      blocks: m.blocks.baseEnds.length,
      iterationsPerBlock: m.iterationsPerBlock,
      baseFirstBlocks: baseFirst,
      durationMs: m.durationMs,
      stopReason: m.stopReason,
      blockTargetMs: BLOCK_TARGET_MS,
      sides: { base: t.base, head: t.head },
      ...(t.inputsDiffer !== undefined && { inputsDiffer: t.inputsDiffer }),
    },
  };
}

/** One stage's measured samples (µs) of each side. */
function stageSamples(t: Extract<PairedTrial, { status: 'ok' }>, stage: (typeof TIMED_STAGES)[number]): PairedStageSamples {
  return { base: t.samples.base.samplesOf(stage).subarray(0, t.samples.base.count), head: t.samples.head.samplesOf(stage).subarray(0, t.samples.head.count) };
}
