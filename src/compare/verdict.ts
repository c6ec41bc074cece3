// compare(base, head) → Comparison: match trials, judge every stage and metric of every pair,
// check budgets on head, and reduce it all to one verdict and exit code. Plain data: the
// exporters (render-*.ts) print it.
import { evaluateBudgets, type Budget, type BudgetCheck } from '../budget/budget.js';
import { ExitCode, InferbenchError } from '../errors.js';
import { formatPercent } from '../report/format.js';
import { decodeHistogram, type Histogram } from '../measure/histogram.js';
import { TIMED_STAGES, type Report, type StopReason, type TimedStage, type TrialOk, type TrialSpec } from '../types.js';
import { contentionLimit, contentionOf, CONTENTION_LIMIT, isContended } from './contention.js';
import { matchReports, type MatchField, type Matching, type MatchedPair } from './match.js';
import { compareStage, DEFAULT_SIGNIFICANCE, MEAN_MAX_CV, MIN_RANK_REPETITIONS, type MetricChange, type SignificanceOptions, type StageInput, type Verdict } from './significance.js';
import { DEFAULT_THRESHOLD, thresholdFor, type Thresholds } from './threshold.js';

export interface CompareOptions {
  thresholds?: Thresholds;
  budgets?: readonly Budget[];
  significance?: Partial<SignificanceOptions>;
  /** Configuration fields to ignore when pairing trials (compare across configurations). */
  ignore?: readonly MatchField[];
  /** Names shown for the two sides (file paths); default 'base' and 'head'. */
  labels?: { base: string; head: string };
  /** Exit 1 when the verdict is inconclusive too (strict gates); default false. */
  failOnInconclusive?: boolean;
}

/** How a paired comparison measured one configuration (src/paired/). */
export interface PairedTrialInfo {
  /**
   * in-process: both sessions in one process, alternating blocks; child-processes: both in one
   * child process, alternating (--isolate); duet: both in each of two children, each block's halves
   * at once, the children swapped per block (--duet).
   */
  mode: 'in-process' | 'child-processes' | 'duet';
  /** Logical cores this process could run on (its affinity), for duet's note. */
  cores: number;
  /** Epochs (fresh session pairs) the measurement was split into, and inference p50 head/base in each (none with one). */
  epochs: number;
  epochP50Ratios: number[];
  /** Pairs of blocks measured, and iterations per side in each. */
  blocks: number;
  iterationsPerBlock: number;
  /** Blocks in which base ran first (duet: in the first child); drawn per block. */
  baseFirstBlocks: number;
  /** Wall time of the measured blocks, both sides. */
  durationMs: number;
  stopReason: StopReason;
  /** The per-side block length the block size aims at. */
  blockTargetMs: number;
  /** Each side's own numbers (stages, throughput, cold start) as trial results. */
  sides: { base: TrialOk; head: TrialOk };
  /** Set when base and head take different inputs (each was fed inputs built for it): what differs. */
  inputsDiffer?: string;
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
  /** Widening applied to every interval for within-run drift (half the |driftRatio| of each side measured once, summed). */
  driftAllowance?: number;
  /** The profile warnings (drift, not-converged, too-noisy, unstable) of either run, in words. */
  instability?: string;
  /** CPU share (0–1) other processes took while each side was measured; null where the report has no CPU samples. */
  contention?: { base: number | null; head: number | null };
  /** Inference p50 (ms) of each repetition, per side: the run-to-run spread. */
  repetitionP50?: { base: number[]; head: number[] };
  /** Metrics judged inconclusive (tails and means included). */
  inconclusiveMetrics?: number;
  /** Present when the pair was measured interleaved (paired path). */
  paired?: PairedTrialInfo;
}

/** One serving setting's arrival process, as a side's trials record it. */
export interface ArrivalsOffered {
  rate: number;
  arrivals: string;
  seed: number;
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
  /**
   * Which path produced the verdict: 'paired' (both models measured interleaved in one run, the
   * verdict from the pairs) or 'reports' (two runs measured separately, compared from their reports).
   */
  path: 'paired' | 'reports';
  base: SideSummary;
  head: SideSummary;
  matching: Omit<Matching, 'pairs'>;
  trials: TrialComparison[];
  /** Budgets checked on head's ok trials. */
  budgets: BudgetCheck[];
  verdict: Verdict;
  regressions: number;
  budgetViolations: number;
  /** 0 nothing regressed and every budget met, 1 otherwise (also when inconclusive with failOnInconclusive). */
  exitCode: number;
  /** The paired run was stopped (Ctrl-C, SIGTERM) before every configuration was measured. */
  interrupted?: boolean;
  /**
   * `compare BASE HEAD --rate`: both models measured under load in this run, interleaved by rate
   * (base then head at each rate), and the arrivals each side was offered (the same seed: the same sequence).
   */
  underLoad?: { interleaving: 'by-rate'; rates: number[]; arrivals: { base: ArrivalsOffered[]; head: ArrivalsOffered[] } };
  method: SignificanceOptions & { defaultThreshold: number; overrides: Record<string, number> };
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
  const reps = trial.repetitions;
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

/**
 * A trial's verdict: regressed if any metric regressed, else improved if any improved, else
 * inconclusive if a median (p50) could not be resolved, else unchanged. A tail percentile or a
 * mean that could not be resolved is listed and counted but does not by itself make the trial
 * inconclusive: it needs far more samples than a median (p99 has 1% of them above it), so on real
 * runs it is inconclusive nearly always, and a headline that is always yellow tells nothing.
 */
export function trialVerdict(stages: readonly StageComparison[], throughput: MetricChange | null): Verdict {
  const all = [...stages.flatMap((s) => s.metrics), ...(throughput === null ? [] : [throughput])];
  const decisive = worstVerdict(all.map((m) => m.verdict).filter((v) => v === 'regressed' || v === 'improved'));
  if (decisive !== 'unchanged') return decisive;
  return all.some((m) => m.metric === 'p50' && m.verdict === 'inconclusive') ? 'inconclusive' : 'unchanged';
}

interface Sides {
  base: Report;
  head: Report;
}

function comparePair(pair: MatchedPair, reports: Sides, thresholds: Thresholds, options: SignificanceOptions): TrialComparison {
  const { base, head } = pair;
  const empty = { key: pair.key, spec: head.spec, stages: [], throughput: null, repetitions: { base: 0, head: 0 }, ...(pair.differs && { differs: pair.differs }) };
  if (head.status !== 'ok') {
    const why = head.status === 'failed' ? head.error.message : head.reason;
    // A configuration that ran before and does not now is a regression of the worst kind.
    if (base.status === 'ok') return { ...empty, verdict: 'regressed', note: `${head.status} in head (ran in base): ${why}` };
    return { ...empty, verdict: 'inconclusive', note: `${head.status} on both sides: ${why}` };
  }
  if (base.status !== 'ok') return { ...empty, verdict: 'inconclusive', note: `${base.status} in base, nothing to compare against: ${base.status === 'failed' ? base.error.message : base.reason}` };

  const contention = { base: contentionOf(reports.base, base)?.share ?? null, head: contentionOf(reports.head, head)?.share ?? null };
  const stages: StageComparison[] = [];
  let throughput: MetricChange | null = null;
  let repetitions = { base: 1, head: 1 };
  let driftAllowance = 0;
  TIMED_STAGES.forEach((stage, index) => {
    if (base.stages[stage].count === 0 || head.stages[stage].count === 0) return;
    const baseHists = stageHistograms(base, stage, `base trial ${base.spec.id}`);
    const headHists = stageHistograms(head, stage, `head trial ${head.spec.id}`);
    repetitions = { base: baseHists.length, head: headHists.length };
    // A side measured once carries its drift into the interval; repetitions carry their spread.
    const drift = { base: baseHists.length === 1 ? base.measure.driftRatio : null, head: headHists.length === 1 ? head.measure.driftRatio : null };
    // Under open-loop load the achieved rate follows the offered one: latency is what is judged.
    const withThroughput = stage === 'total' && base.service === undefined && base.throughput.inferencesPerSec > 0 && head.throughput.inferencesPerSec > 0;
    const identical = sameSamples(base, head, stage);
    const metrics = compareStage(
      { base: baseHists, head: headHists, drift, contention, identical, caps: capsFor(base, head, stage), ...(withThroughput && { throughput: { base: base.throughput.inferencesPerSec, head: head.throughput.inferencesPerSec } }) },
      (metric) => thresholdFor(thresholds, stage, metric),
      options,
      index,
    );
    driftAllowance = metrics[0]?.driftAllowance ?? driftAllowance;
    throughput = metrics.find((m) => m.metric === 'throughput') ?? throughput;
    stages.push({ stage, metrics: metrics.filter((m) => m.metric !== 'throughput') });
  });
  const all = [...stages.flatMap((s) => s.metrics), ...(throughput === null ? [] : [throughput])];
  const instability = [describeInstability('base', base), describeInstability('head', head)].filter((s): s is string => s !== null);
  const overload = overloadChange(base, head);
  return {
    key: pair.key,
    spec: head.spec,
    ...(pair.differs && { differs: pair.differs }),
    stages,
    throughput,
    repetitions,
    verdict: overload?.verdict ?? trialVerdict(stages, throughput),
    ...(overload && { note: overload.note }),
    driftAllowance,
    contention,
    ...(repetitions.base > 1 || repetitions.head > 1 ? { repetitionP50: { base: repetitionP50(base), head: repetitionP50(head) } } : {}),
    inconclusiveMetrics: all.filter((m) => m.verdict === 'inconclusive').length,
    ...(instability.length > 0 && { instability: instability.join('; ') }),
  };
}

/** The same encoded histograms, repetition for repetition (and the same throughput): the same run. */
/**
 * An open-loop trial that became overloaded (its queue grew for as long as it ran) has regressed
 * whatever its percentiles say; one that stopped being overloaded has improved; overloaded on
 * both sides, no latency of either is stable enough to judge.
 */
function overloadChange(base: TrialOk, head: TrialOk): { verdict: Verdict; note: string } | null {
  const b = base.service?.overload.verdict;
  const h = head.service?.overload.verdict;
  if (b === undefined || h === undefined || (b === 'stable' && h === 'stable')) return null;
  const at = `at ${base.service!.settings.rate} req/s`;
  if (b === 'stable') return { verdict: 'regressed', note: `head is overloaded ${at} (achieved ${head.service!.achievedRate.toFixed(0)} req/s); base kept up` };
  if (h === 'stable') return { verdict: 'improved', note: `head keeps up ${at}; base was overloaded (achieved ${base.service!.achievedRate.toFixed(0)} req/s)` };
  return { verdict: 'inconclusive', note: `both sides overloaded ${at}: no stable latency to compare` };
}

function sameSamples(base: TrialOk, head: TrialOk, stage: TimedStage): boolean {
  const encoded = (t: TrialOk): string => JSON.stringify([t.stages[stage].histogram, t.throughput, (t.repetitions ?? []).map((r) => r.stages?.[stage]?.histogram)]);
  return encoded(base) === encoded(head);
}

function repetitionP50(trial: TrialOk): number[] {
  return (trial.repetitions ?? [trial]).map((r) => r.stages.inference.p50Ms);
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
const INSTABILITY_CODES = new Set(['drift', 'not-converged', 'too-noisy', 'unstable']);

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
  const trials = pairs.map((pair) => comparePair(pair, { base, head }, thresholds, significance));
  const budgets = evaluateBudgets(head.trials, options.budgets ?? []);
  return {
    path: 'reports',
    base: summary(base, options.labels?.base ?? 'base'),
    head: summary(head, options.labels?.head ?? 'head'),
    matching,
    trials,
    budgets,
    ...outcomeOf(trials, budgets, options.failOnInconclusive ?? false),
    method: { ...significance, defaultThreshold: thresholds.default, overrides: thresholds.overrides },
  };
}

/** The headline of a comparison from its trials and budgets: verdict, counts and exit code (both paths). */
export function outcomeOf(trials: readonly TrialComparison[], budgets: readonly BudgetCheck[], failOnInconclusive: boolean): Pick<Comparison, 'verdict' | 'regressions' | 'budgetViolations' | 'exitCode'> {
  const verdict = worstVerdict(trials.map((t) => t.verdict));
  const regressions = trials.filter((t) => t.verdict === 'regressed').length;
  const budgetViolations = budgets.filter((b) => !b.pass).length;
  // An inconclusive budget (its limit inside the interval) is not a violation: a warning by
  // default, exit 1 under --fail-on-inconclusive, exactly as `profile` judges it.
  const undecided = verdict === 'inconclusive' || budgets.some((b) => b.verdict === 'inconclusive');
  return { verdict, regressions, budgetViolations, exitCode: exitCodeOf(undecided, regressions, budgetViolations, failOnInconclusive) };
}

/** 1 when anything regressed or a budget failed (or, strict, the verdict or a budget is inconclusive); else 0. */
export function exitCodeOf(inconclusive: boolean, regressions: number, budgetViolations: number, failOnInconclusive: boolean): number {
  return regressions > 0 || budgetViolations > 0 || (failOnInconclusive && inconclusive) ? ExitCode.budget : ExitCode.ok;
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

/**
 * Why a comparison compared nothing (no trial has numbers on both sides), or null when it compared
 * something. A gate that is green because nothing ran is worse than a red one: the CLI exits 4 for
 * it, except when every configuration was skipped for a device this machine lacks (`skippedOnly`),
 * which keeps its documented exit code and is said on stderr.
 */
export function nothingCompared(c: Comparison): { reason: string; skippedOnly: boolean } | null {
  if (c.trials.some((t) => t.stages.length > 0 || t.throughput !== null)) return null;
  if (c.trials.length === 0) return { reason: 'no trial of base matched one of head', skippedOnly: false };
  const skippedOnly = c.trials.every((t) => t.note?.startsWith('skipped') === true);
  const first = c.trials.find((t) => t.note !== undefined);
  return { reason: `${c.trials.length === 1 ? 'the only configuration' : `all ${c.trials.length} configurations`} ${skippedOnly ? 'skipped' : 'failed'}${first?.note === undefined ? '' : ` (${first.key}: ${first.note})`}`, skippedOnly };
}

/**
 * Duet needs a core per side and one for the parent that coordinates them. On the 2-vCPU VM, duet's
 * p50 intervals were ±2.8–28% where --isolate's were ±0.8–1.9% (bench/paired-compare.mjs, 2026-12-02).
 */
export const DUET_MIN_CORES = 3;

/** What the method could not see in this comparison, in words (printed after the caveats). */
export function notes(c: Comparison): string[] {
  if (c.path === 'paired') {
    const lines = c.interrupted ? ['Interrupted: configurations not measured are missing, and the last one stopped early.'] : [];
    const differ = c.trials.find((t) => t.paired?.inputsDiffer !== undefined);
    if (differ !== undefined) lines.push(`${differ.paired!.inputsDiffer!.replace(/^base and head take/, 'Base and head take')} (${differ.key}). Each side was measured on inputs built from its own metadata: the comparison is of the two models as each is fed, not of the same data.`);
    const duet = c.trials.find((t) => t.paired?.mode === 'duet')?.paired;
    if (duet !== undefined && duet.cores < DUET_MIN_CORES) {
      lines.push(`Duet ran on ${duet.cores} core${duet.cores === 1 ? '' : 's'}: both sides and this process shared ${duet.cores === 1 ? 'it' : 'them'}, so each side was measured beside the other and the coordinator, with wider intervals than alternating blocks give. Without --duet, or on ${DUET_MIN_CORES} or more idle cores, the answer is sharper.`);
    }
    return lines;
  }
  const compared = c.trials.filter((t) => t.stages.length > 0);
  const lines: string[] = [];
  const fewest = Math.min(...compared.map((t) => Math.min(t.repetitions.base, t.repetitions.head)));
  if (compared.length > 0 && fewest === 1 && c.underLoad !== undefined) {
    lines.push('Each side ran once at each rate (--repeat does not apply to --rate): its intervals hold sampling noise and within-run drift, not run-to-run variance; contention from other processes is checked from the CPU samples.');
  } else if (compared.length > 0 && fewest < MIN_RANK_REPETITIONS) {
    lines.push(
      fewest === 1
        ? 'A side was measured once (no --repeat): its intervals hold sampling noise and within-run drift, not run-to-run variance; contention from other processes is checked from the CPU samples. For a gate on shared runners, profile both sides with --repeat 5.'
        : `Fewer than ${MIN_RANK_REPETITIONS} repetitions a side: the spread between them is in the intervals, but there is no rank test; use --repeat ${MIN_RANK_REPETITIONS + 1} for one.`,
    );
  }
  const unsampled = (['base', 'head'] as const).filter((side) => compared.some((t) => t.contention?.[side] === null));
  if (unsampled.length > 0) lines.push(`No CPU samples in ${unsampled.join(' and ')} (--no-sample, or a platform without /proc): contention from other processes was not checked.`);
  return lines;
}

/** "head shared the CPU: other processes took 57% of the machine …", or null when no metric was affected. */
export function contentionLine(t: TrialComparison): string | null {
  const strictest = contentionLimit('p99');
  const sides = (['base', 'head'] as const).filter((side) => isContended(t.contention?.[side], 'p99'));
  if (sides.length === 0) return null;
  const shares = sides.length === 1 ? formatPercent(t.contention?.[sides[0]!] ?? 0) : sides.map((side) => `${formatPercent(t.contention?.[side] ?? 0)} (${side})`).join(' and ');
  const heavy = sides.some((side) => isContended(t.contention?.[side], 'p50'));
  const what = heavy ? `over ${formatPercent(CONTENTION_LIMIT)}: no verdict in that direction stands` : `over ${formatPercent(strictest)}: p99 cannot be judged in that direction`;
  return `${sides.join(' and ')} shared the CPU: other processes took ${shares} of the machine's CPU from the trial (${what})`;
}
