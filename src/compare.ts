// compare(base, head, options) → Comparison: the library form of `inferbench compare`. Takes
// reports or paths to report files (read and validated as the CLI does), and never prints;
// render the result with the compare exporters, or read its verdicts and exit code.
import { readReport } from './compare/load.js';
import { InferbenchError } from './errors.js';
import { compareReports, type ArrivalsOffered, type CompareOptions, type Comparison } from './compare/verdict.js';
import type { Report } from './types.js';
import { runPaired, type PairedHooks, type PairedOptions } from './paired/run-paired.js';
import { pairedComparison, type PairedCompareOptions } from './paired/paired-comparison.js';
import { checkedPlan, profile, type ProfileHooks, type ProfileOptions } from './profile.js';

export type { CompareOptions, Comparison } from './compare/verdict.js';
export type { PairedOptions, PairedHooks } from './paired/run-paired.js';
export type { PairedCompareOptions } from './paired/paired-comparison.js';

/**
 * compareModels({ base, head, ...profile options }) → Comparison: the paired path of
 * `inferbench compare BASE HEAD` with two models. Both are loaded in this process, fed the same
 * inputs and measured interleaved in short blocks for every configuration the options plan; the
 * verdict comes from a bootstrap over the pairs of blocks. `threshold` (default 5%) is the
 * practical threshold the auto bound measures to; pass the same in `thresholds.default`.
 */
export async function compareModels(options: PairedOptions & Omit<PairedCompareOptions, 'labels'>, hooks: PairedHooks = {}): Promise<Comparison> {
  const { thresholds, budgets, significance, failOnInconclusive, ...run } = options;
  const threshold = run.threshold ?? thresholds?.default;
  const result = await runPaired({ ...run, ...(threshold !== undefined && { threshold }) }, hooks);
  return pairedComparison(result, {
    ...(thresholds !== undefined && { thresholds }),
    ...(budgets !== undefined && { budgets }),
    ...(significance !== undefined && { significance }),
    labels: { base: options.base, head: options.head },
    ...(failOnInconclusive !== undefined && { failOnInconclusive }),
  });
}

/** What compareModelsUnderLoad takes: the profile options (with `rate`, one or a list), base and head, and the verdict's options. */
export interface ServiceCompareOptions extends Omit<ProfileOptions, 'model' | 'repeat' | 'variants' | 'opProfile' | 'concurrency' | 'budgets'>, Omit<CompareOptions, 'labels' | 'ignore'> {
  base: string;
  head: string;
}

export interface ServiceCompareHooks {
  /** Before each side's profile at a rate: base then head at rates[0], base then head at rates[1], … */
  onSide?: (side: 'base' | 'head', rate: number, index: number, total: number) => void;
  /** Passed to each side's profile() (its trials' progress). */
  profile?: ProfileHooks;
}

/**
 * compareModelsUnderLoad({ base, head, rate, ...profile options }) → Comparison: `inferbench compare
 * BASE HEAD --rate R[,R2…]`. Both models are offered the same arrival sequence (the same seed) at
 * each rate, measured through profile()'s service trials INTERLEAVED BY RATE — base at R1, head at
 * R1, base at R2, … — one server on the machine at a time (two would queue on each other's cores);
 * then judged by compareReports on the `total` stage (latency from the intended arrival), like two
 * saved reports: a regression at a rate exits 1. `rate: 'auto'` is a usage error (a knee per side
 * is two searches, not a paired judgement).
 */
export async function compareModelsUnderLoad(options: ServiceCompareOptions, hooks: ServiceCompareHooks = {}): Promise<Comparison> {
  const { base, head, thresholds, budgets, significance, failOnInconclusive, ...run } = options;
  const rates = underLoadRates(run.rate);
  // Every check a run makes first, on both sides, before either is measured.
  for (const model of [base, head]) await checkedPlan({ ...run, model });
  const sides = { base: [] as Report[], head: [] as Report[] };
  let step = 0;
  for (const rate of rates) {
    for (const side of ['base', 'head'] as const) {
      if (run.signal?.aborted) break;
      hooks.onSide?.(side, rate, step++, rates.length * 2);
      // No per-operator profile: the comparison reads the trials only.
      sides[side].push(await profile({ ...run, model: side === 'base' ? base : head, rate: [rate], opProfile: false }, hooks.profile ?? {}));
    }
  }
  // Stopped before head's first rate (a signal): base alone, nothing paired, interrupted.
  const baseReport = joined(sides.base);
  if (baseReport === null) throw new InferbenchError('usage', 'stopped before anything was measured', 'run compare again without interrupting it');
  const headReport = joined(sides.head) ?? { ...baseReport, trials: [] };
  const comparison = compareReports(baseReport, headReport, {
    ...(thresholds !== undefined && { thresholds }),
    ...(budgets !== undefined && { budgets }),
    ...(significance !== undefined && { significance }),
    ...(failOnInconclusive !== undefined && { failOnInconclusive }),
    // The two sides are different files by design: pair by configuration and serving setting.
    ignore: ['model'],
    labels: { base, head },
  });
  const interrupted = run.signal?.aborted === true || baseReport.interrupted === true || headReport.interrupted === true;
  // Ignoring the model is by design (base and head are different files): no "compared across configurations".
  const trials = comparison.trials.map(({ differs: _differs, ...trial }) => trial);
  const underLoad = { interleaving: 'by-rate' as const, rates, arrivals: { base: arrivalsOf(baseReport), head: arrivalsOf(headReport) } };
  return { ...comparison, trials, underLoad, ...(interrupted && { interrupted: true }) };
}

/** The distinct arrival processes a side's service trials were offered. */
function arrivalsOf(report: Report): ArrivalsOffered[] {
  const seen = new Map<string, ArrivalsOffered>();
  for (const { spec } of report.trials) {
    if (!spec.service) continue;
    const { rate, arrivals, seed } = spec.service;
    seen.set(`${rate} ${arrivals} ${seed}`, { rate, arrivals, seed });
  }
  return [...seen.values()];
}

/** The rates of a comparison under load; `auto` and none are usage errors. */
export function underLoadRates(rate: ProfileOptions['rate']): number[] {
  if (rate === 'auto') {
    throw new InferbenchError('usage', 'compare does not take --rate auto: each side would search its own knee, so no two trials would share a rate to judge', 'compare at fixed rates (e.g. --rate 200,400), or run profile --rate auto --budget "p99<=50ms" on each model');
  }
  if (rate === undefined) throw new InferbenchError('usage', 'compareModelsUnderLoad needs rate', 'e.g. rate: [200]');
  return Array.isArray(rate) ? rate : [rate];
}

/** One side's per-rate reports as one report: the first's header, every trial, the last's finish. */
function joined(reports: readonly Report[]): Report | null {
  const first = reports[0];
  if (first === undefined) return null;
  // The raw samples cover the first rate only: each trial's own utilisation summary stands in (contention.ts).
  const { interrupted: _interrupted, samples: _samples, ...header } = first;
  const interrupted = reports.some((r) => r.interrupted === true);
  return { ...header, finishedAt: reports.at(-1)!.finishedAt, trials: reports.flatMap((r) => r.trials), ...(interrupted && { interrupted: true }) };
}

export interface CompareReportsOptions extends CompareOptions {
  /** Reports from different machines or inferbench versions are an input error (InferbenchError 'usage'); default false. */
  strict?: boolean;
}

/**
 * compare(base, head) → Comparison for two reports (or paths to report files). Throws
 * InferbenchError('usage') when no trial of head matches one of base (nothing could be judged),
 * and with `strict` when the reports are not like for like.
 */
export function compare(base: Report | string, head: Report | string, options: CompareReportsOptions = {}): Comparison {
  const read = (side: Report | string): Report => (typeof side === 'string' ? readReport(side) : side);
  const labels = options.labels ?? { base: typeof base === 'string' ? base : 'base', head: typeof head === 'string' ? head : 'head' };
  const [baseReport, headReport] = [read(base), read(head)];
  const { strict, ...compareOptions } = options;
  const comparison = compareReports(baseReport, headReport, { ...compareOptions, labels });
  const { environment, toolVersions } = comparison.matching;
  if (strict && (environment.length > 0 || toolVersions !== null)) {
    const what = [...environment.map((d) => `${d.field}: ${d.base} → ${d.head}`), ...(toolVersions ? [`inferbench ${toolVersions.base} → ${toolVersions.head}`] : [])];
    throw new InferbenchError('usage', `the reports are not like for like (--strict): ${what.join('; ')}`, 'run base and head on the same machine type and inferbench version, or drop --strict');
  }
  if (comparison.trials.length === 0 && baseReport.trials.length > 0 && headReport.trials.length > 0) {
    throw new InferbenchError('usage', 'no trial of head matches a trial of base (model, device, precision, batch, threads, graph opt)', 'compare reports of the same configurations; see --format json for the keys of each side');
  }
  return comparison;
}
