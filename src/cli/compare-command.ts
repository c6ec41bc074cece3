// `inferbench compare <base> <head>`: flags → compareReports() → the chosen exporter. Exit code 0
// when nothing regressed and every budget holds, 1 otherwise, 2 for unreadable input.
import { Command } from 'commander';
import { parseBudgets } from '../budget/budget.js';
import { compareExporterFor, compareExporters } from '../compare/exporter.js';
import { MATCH_FIELDS, type MatchField } from '../compare/match.js';
import { readReport } from '../compare/load.js';
import { renderCompareConsole } from '../compare/render-console.js';
import { parseRunVariance, parseThresholds } from '../compare/threshold.js';
import { compareReports, type Comparison } from '../compare/verdict.js';
import { InferbenchError } from '../errors.js';
import { writeFileAtomic } from '../report/write-atomic.js';
import { collect, parseList, parseNonNegativeInt, parsePositiveInt } from './parse.js';
import { createTerminal } from './terminal.js';
import type { GlobalFlags } from './main.js';

export interface CompareFlags {
  threshold?: string[];
  budget?: string[];
  format: string;
  out?: string;
  json: boolean;
  strict: boolean;
  ignore?: string;
  seed?: number;
  resamples?: number;
  runVariance?: string;
}

const EXAMPLES = `
Examples:
  $ inferbench compare baseline.json head.json
  $ inferbench compare base.json head.json --threshold 5% --threshold p99=10%
  $ inferbench compare base.json head.json --budget "inference.p99<=15ms" --budget "throughput>=200/s"
  $ inferbench compare base.json head.json --format md >> "$GITHUB_STEP_SUMMARY"
  $ inferbench compare threads4.json threads1.json --ignore threads,graph-opt

A metric regresses only when its whole 95% bootstrap confidence interval of head/base lies above
the threshold, the runs had the CPU to themselves, and (with --repeat ≥ 4 on both sides) a
Mann–Whitney test across repetitions agrees. A side measured once is assumed to be within
--run-variance (10%) of a rerun. Exit codes: 0 no regression, 1 regression or budget violation,
2 unreadable input.`;

export function compareCommand(globals: () => GlobalFlags = () => ({ quiet: false, verbose: false, color: true })): Command {
  return new Command('compare')
    .description('compare two reports: per-stage change with confidence intervals, regressions, budgets')
    .argument('<base>', 'baseline report (JSON)')
    .argument('<head>', 'report to judge (JSON)')
    .option('--threshold <pct>', 'practical threshold: 5% (all), p99=10% or inference.p99=10% (repeatable)', collect)
    .option('--budget <expr>', 'budget on head, e.g. "inference.p99<=15ms", "throughput>=200/s" (repeatable)', collect)
    .option('-f, --format <name>', `output format: ${compareExporters.map((e) => e.format).join(', ')}`, 'console')
    .option('-o, --out <file>', 'write the output to a file instead of stdout (stdout then gets the console summary)')
    .option('--json', 'print the JSON comparison to stdout (same as --format json)', false)
    .option('--strict', 'treat reports from different machines or inferbench versions as an input error (exit 2)', false)
    .option('--ignore <fields>', `configuration fields to ignore when pairing trials: ${MATCH_FIELDS.join(', ')} (comma-separated)`)
    .option('--seed <n>', 'bootstrap seed (results are deterministic for a seed)', (v) => parseNonNegativeInt(v, '--seed'))
    .option('--resamples <n>', 'bootstrap resamples (default 1000)', (v) => parsePositiveInt(v, '--resamples'))
    .option('--run-variance <pct>', 'how far two runs of the same code may differ, assumed for a side measured once (default 10%; --repeat measures it instead)')
    .addHelpText('after', EXAMPLES)
    .action((base: string, head: string, flags: CompareFlags) => {
      process.exitCode = runCompare(base, head, flags, globals());
    });
}

/** Everything but printing, for `run` to reuse. */
export function compareFiles(basePath: string, headPath: string, flags: Pick<CompareFlags, 'threshold' | 'budget' | 'strict' | 'ignore' | 'seed' | 'resamples' | 'runVariance'>): Comparison {
  const thresholds = parseThresholds(flags.threshold ?? []);
  const ignore = parseIgnore(flags.ignore);
  const budgets = parseBudgets(flags.budget ?? []);
  const runVariance = flags.runVariance === undefined ? undefined : parseRunVariance(flags.runVariance, '--run-variance');
  const base = readReport(basePath);
  const head = readReport(headPath);
  const comparison = compareReports(base, head, {
    thresholds,
    budgets,
    labels: { base: basePath, head: headPath },
    ignore,
    significance: { ...(flags.seed !== undefined && { seed: flags.seed }), ...(flags.resamples !== undefined && { resamples: flags.resamples }), ...(runVariance !== undefined && { runVariance }) },
  });
  const { environment, toolVersions } = comparison.matching;
  if (flags.strict && (environment.length > 0 || toolVersions !== null)) {
    const what = [...environment.map((d) => `${d.field}: ${d.base} → ${d.head}`), ...(toolVersions ? [`inferbench ${toolVersions.base} → ${toolVersions.head}`] : [])];
    throw new InferbenchError('usage', `the reports are not like for like (--strict): ${what.join('; ')}`, 'run base and head on the same machine type and inferbench version, or drop --strict');
  }
  if (comparison.trials.length === 0 && base.trials.length > 0 && head.trials.length > 0) {
    throw new InferbenchError('usage', 'no trial of head matches a trial of base (model, device, precision, batch, threads, graph opt)', 'compare reports of the same configurations; see --format json for the keys of each side');
  }
  return comparison;
}

function parseIgnore(raw: string | undefined): MatchField[] {
  const fields = parseList(raw ?? '');
  for (const field of fields) {
    if (!(MATCH_FIELDS as readonly string[]).includes(field)) {
      throw new InferbenchError('usage', `--ignore: unknown field '${field}'`, `use any of: ${MATCH_FIELDS.join(', ')}`);
    }
  }
  return fields as MatchField[];
}

function runCompare(basePath: string, headPath: string, flags: CompareFlags, globals: GlobalFlags): number {
  const terminal = createTerminal(globals);
  const exporter = compareExporterFor(flags.json ? 'json' : flags.format);
  const comparison = compareFiles(basePath, headPath, flags);
  const text = exporter.render(comparison, { color: flags.out === undefined && terminal.color });
  if (flags.out !== undefined) {
    writeFileAtomic(flags.out, text);
    if (!globals.quiet) process.stdout.write(renderCompareConsole(comparison, { color: terminal.color }));
    terminal.info(`comparison written: ${flags.out}`);
  } else {
    process.stdout.write(text);
  }
  return comparison.exitCode;
}
