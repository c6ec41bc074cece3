// compare(base, head) → Comparison: match trials, judge every stage and metric of every pair,
// check budgets on head, and reduce it all to one verdict and exit code. Plain data: the
// exporters (render-*.ts) print it.
import { evaluateBudgets, type Budget, type BudgetCheck } from '../budget/budget.js';
import { ExitCode, InferbenchError } from '../errors.js';
import { formatPercent } from '../report/format.js';
import { decodeHistogram, type Histogram } from '../measure/histogram.js';
import { TIMED_STAGES, type Report, type TimedStage, type TrialOk, type TrialResult, type TrialSpec } from '../types.js';
import { matchReports, type MatchField, type Matching, type MatchedPair } from './match.js';
import { compareStage, DEFAULT_SIGNIFICANCE, MEAN_MAX_CV, type MetricChange, type SignificanceOptions, type StageInput, type Verdict } from './significance.js';
import { DEFAULT_THRESHOLD, thresholdFor, type Thresholds } from './threshold.js';

export interface CompareOptions {
  thresholds?: Thresholds;
  budgets?: readonly Budget[];
  significance?: Partial<SignificanceOptions>;
  /** Configuration fields to ignore when pairing trials (compare across configurations). */
  ignore?: readonly MatchField[];
  /** Names shown for the two sides (file paths); default 'base' and 'head'. */
  labels?: { base: string; head: string };
}

export interface StageComparison {
  stage: TimedStage;
  /** p50, p90, p99, mean (latencies, ms). */
  metrics: MetricChange[];
}

export interface TrialComparison {
  key: string;
  spec: TrialSpec;
  /** Stage comparisons; empty when a side did not run ok (see `note`). */
  stages: StageComparison[];
  throughput: MetricChange | null;
  /** Number of repetitions a side (1 without --repeat). */
  repetitions: { base: number; head: number };
  verdict: Verdict;
  /** Why there are no numbers, e.g. "failed in head: …". */
  note?: string;
  /** Full configurations when the pair differs in ignored fields (--ignore). */
  differs?: { base: string; head: string };
  /** Widening applied to every interval for within-run drift (max |driftRatio| of both runs). */
  driftAllowance?: number;
  /** The profile warnings (drift, not-converged, too-noisy) of either run, in words. */
  instability?: string;
}

export interface SideSummary {
  label: string;
  model: string;
  sha256: string;
  toolVersion: string;
  startedAt: string;
  hostname: string;
}

export interface Comparison {
  base: SideSummary;
  head: SideSummary;
  matching: Omit<Matching, 'pairs'>;
  trials: TrialComparison[];
  /** Budgets checked on head's ok trials. */
  budgets: BudgetCheck[];
  verdict: Verdict;
  regressions: number;
  budgetViolations: number;
  /** 0 nothing regressed and every budget met, 1 otherwise. */
  exitCode: number;
  method: SignificanceOptions & { defaultThreshold: number; overrides: Record<string, number> };
}

/** Optional per-repetition stage histograms (what `--repeat N` is expected to add to a trial). */
interface RepetitionLike {
  stages?: Partial<Record<TimedStage, { histogram?: string }>>;
}

function decode(encoded: string, where: string): Histogram {
  try {
    return decodeHistogram(encoded);
  } catch (error) {
    throw new InferbenchError('usage', `${where}: the stage histogram cannot be decoded (${error instanceof Error ? error.message : String(error)})`, 'the report is corrupt or was not written by inferbench; re-run profile');
  }
}

/**
 * A stage's histograms, one per repetition. Reports written with `--repeat N` may carry
 * `trial.repetitions[i].stages[stage].histogram`; otherwise the trial's own histogram is the one
 * repetition.
 */
export function stageHistograms(trial: TrialOk, stage: TimedStage, where: string): Histogram[] {
  const reps = (trial as TrialOk & { repetitions?: RepetitionLike[] }).repetitions;
  const encoded = Array.isArray(reps) && reps.length >= 2 ? reps.map((r) => r.stages?.[stage]?.histogram) : [];
  if (encoded.length >= 2 && encoded.every((e): e is string => typeof e === 'string')) {
    return encoded.map((e, i) => decode(e, `${where} repetition ${i + 1} ${stage}`));
  }
  return [decode(trial.stages[stage].histogram, `${where} ${stage}`)];
}

const RANK: Record<Verdict, number> = { unchanged: 0, inconclusive: 1, improved: 2, regressed: 3 };

/** regressed > improved > inconclusive > unchanged: the headline of a set of verdicts. */
export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((worst, v) => (RANK[v] > RANK[worst] ? v : worst), 'unchanged');
}

function comparePair(pair: MatchedPair, thresholds: Thresholds, options: SignificanceOptions): TrialComparison {
  const { base, head } = pair;
  const empty = { key: pair.key, spec: head.spec, stages: [], throughput: null, repetitions: { base: 0, head: 0 }, ...(pair.differs && { differs: pair.differs }) };
  if (head.status !== 'ok') {
    const why = head.status === 'failed' ? head.error.message : head.reason;
    // A configuration that ran before and does not now is a regression of the worst kind.
    if (base.status === 'ok') return { ...empty, verdict: 'regressed', note: `${head.status} in head (ran in base): ${why}` };
    return { ...empty, verdict: 'inconclusive', note: `${head.status} on both sides: ${why}` };
  }
  if (base.status !== 'ok') return { ...empty, verdict: 'inconclusive', note: `${base.status} in base, nothing to compare against: ${base.status === 'failed' ? base.error.message : base.reason}` };

  const driftAllowance = Math.max(Math.abs(base.measure.driftRatio), Math.abs(head.measure.driftRatio));
  const stages: StageComparison[] = [];
  let throughput: MetricChange | null = null;
  let repetitions = { base: 1, head: 1 };
  TIMED_STAGES.forEach((stage, index) => {
    if (base.stages[stage].count === 0 || head.stages[stage].count === 0) return;
    const baseHists = stageHistograms(base, stage, `base trial ${base.spec.id}`);
    const headHists = stageHistograms(head, stage, `head trial ${head.spec.id}`);
    repetitions = { base: baseHists.length, head: headHists.length };
    const withThroughput = stage === 'total' && base.throughput.inferencesPerSec > 0 && head.throughput.inferencesPerSec > 0;
    const metrics = compareStage(
      { base: baseHists, head: headHists, driftAllowance, caps: capsFor(base, head, stage), ...(withThroughput && { throughput: { base: base.throughput.inferencesPerSec, head: head.throughput.inferencesPerSec } }) },
      (metric) => thresholdFor(thresholds, stage, metric),
      options,
      index,
    );
    throughput = metrics.find((m) => m.metric === 'throughput') ?? throughput;
    stages.push({ stage, metrics: metrics.filter((m) => m.metric !== 'throughput') });
  });
  const all = [...stages.flatMap((s) => s.metrics), ...(throughput === null ? [] : [throughput])];
  const instability = [describeInstability('base', base), describeInstability('head', head)].filter((s): s is string => s !== null);
  return {
    key: pair.key,
    spec: head.spec,
    ...(pair.differs && { differs: pair.differs }),
    stages,
    throughput,
    repetitions,
    verdict: worstVerdict(all.map((m) => m.verdict)),
    driftAllowance,
    ...(instability.length > 0 && { instability: instability.join('; ') }),
  };
}

/** Metrics of `stage` that the runs' own diagnostics cannot back (see significance.ts). */
function capsFor(base: TrialOk, head: TrialOk, stage: TimedStage): StageInput['caps'] {
  const caps: NonNullable<StageInput['caps']> = {};
  for (const key of ['p50', 'p90', 'p99'] as const) {
    if (base.stages[stage].insufficient.includes(key) || head.stages[stage].insufficient.includes(key)) caps[key] = 'few-samples';
  }
  if (Math.max(base.stages[stage].cv, head.stages[stage].cv) > MEAN_MAX_CV) {
    caps.mean = 'heavy-tail';
    caps.throughput = 'heavy-tail';
  }
  return caps;
}

/** Warnings that make a run's numbers less trustworthy, in words; null when there are none. */
const INSTABILITY_CODES = new Set(['drift', 'not-converged', 'too-noisy']);

function describeInstability(side: string, trial: TrialOk): string | null {
  const codes = trial.warnings.filter((w) => INSTABILITY_CODES.has(w.code)).map((w) => w.code);
  if (codes.length === 0) return null;
  return `${side} run warned ${codes.join(', ')} (median moved ${formatPercent(trial.measure.driftRatio)} within the run)`;
}

function summary(report: Report, label: string): SideSummary {
  return { label, model: report.model.path, sha256: report.model.sha256, toolVersion: report.tool.version, startedAt: report.startedAt, hostname: report.environment.hostname };
}

export function compareReports(base: Report, head: Report, options: CompareOptions = {}): Comparison {
  const thresholds = options.thresholds ?? { default: DEFAULT_THRESHOLD, overrides: {} };
  const significance = { ...DEFAULT_SIGNIFICANCE, ...options.significance };
  const { pairs, ...matching } = matchReports(base, head, { ignore: options.ignore ?? [] });
  const trials = pairs.map((pair) => comparePair(pair, thresholds, significance));
  const budgets = evaluateBudgets(head.trials, options.budgets ?? []);
  const regressions = trials.filter((t) => t.verdict === 'regressed').length;
  const budgetViolations = budgets.filter((b) => !b.pass).length;
  return {
    base: summary(base, options.labels?.base ?? 'base'),
    head: summary(head, options.labels?.head ?? 'head'),
    matching,
    trials,
    budgets,
    verdict: worstVerdict(trials.map((t) => t.verdict)),
    regressions,
    budgetViolations,
    exitCode: regressions > 0 || budgetViolations > 0 ? ExitCode.budget : ExitCode.ok,
    method: { ...significance, defaultThreshold: thresholds.default, overrides: thresholds.overrides },
  };
}

/** Lines that must head any rendering: what makes this comparison less than like for like. */
export function caveats(c: Comparison): string[] {
  const lines: string[] = [];
  if (c.matching.environment.length > 0) {
    lines.push(`Different machines: ${c.matching.environment.map((d) => `${d.field} ${d.base} → ${d.head}`).join('; ')}. Differences may come from the machine, not the change.`);
  }
  if (c.matching.toolVersions !== null) {
    lines.push(`Different inferbench versions: ${c.matching.toolVersions.base} → ${c.matching.toolVersions.head}. The measurement itself may have changed.`);
  }
  for (const m of c.matching.modelChanges) lines.push(`Model ${m.model} changed: SHA-256 ${m.baseSha256.slice(0, 12)} → ${m.headSha256.slice(0, 12)}.`);
  if (c.matching.baseOnly.length > 0) lines.push(`Only in base (not compared): ${c.matching.baseOnly.map((t) => t.key).join('; ')}.`);
  if (c.matching.headOnly.length > 0) lines.push(`Only in head (not compared): ${c.matching.headOnly.map((t) => t.key).join('; ')}.`);
  for (const t of c.trials) if (t.differs) lines.push(`Compared across configurations (--ignore): ${t.differs.base} → ${t.differs.head}.`);
  if (c.trials.length === 0) lines.push('No trial matched: nothing was compared.');
  return lines;
}
