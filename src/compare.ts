// compare(base, head, options) → Comparison: the library form of `inferbench compare`. Takes
// reports or paths to report files (read and validated as the CLI does), and never prints;
// render the result with the compare exporters, or read its verdicts and exit code.
import { readReport } from './compare/load.js';
import { InferbenchError } from './errors.js';
import { compareReports, type CompareOptions, type Comparison } from './compare/verdict.js';
import type { Report } from './types.js';
import { runPaired, type PairedHooks, type PairedOptions } from './paired/run-paired.js';
import { pairedComparison, type PairedCompareOptions } from './paired/paired-comparison.js';

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
