// `inferbench run [--config inferbench.config.json]`: profile every model the config declares,
// write `<output.dir>/<model-name>.<ext>`, check budgets, and compare with `<baseline>/<model-name>.json`
// when a baseline is configured (`output.comparison` gets the Markdown, and says which models had
// no baseline yet). Flags override the file. Exit 0 all good, 1 a regression or a budget
// violation, 2 a bad config, 4 every trial of a model failed.
import { existsSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { compareModels } from '../compare.js';
import { renderCompareJson } from '../compare/render-json.js';
import { baseModelFor, type BaseSource } from '../paired/base-model.js';
import type { ProfileOptions } from '../profile-options.js';
import { Command } from 'commander';
import { describeBudget, evaluateBudgets, formatMeasured } from '../budget/budget.js';
import { renderCompareConsole } from '../compare/render-console.js';
import { renderCompareMarkdown } from '../compare/render-markdown.js';
import { compareReports, type Comparison } from '../compare/verdict.js';
import { readReport } from '../compare/load.js';
import { parseRunVariance, parseThresholds } from '../compare/threshold.js';
import { loadConfig, DEFAULT_CONFIG_FILE, type InferbenchConfig, type ModelEntry } from '../config/config.js';
import { profileOptionsFor } from '../config/profile-options.js';
import { parseBudgets } from '../budget/budget.js';
import { ExitCode } from '../errors.js';
import { profile } from '../profile.js';
import { formatChange } from '../compare/rows.js';
import { writeFileAtomic } from '../io/write-atomic.js';
import { writeReports } from '../report/write-reports.js';
import type { Report } from '../types.js';
import { collect, parseDurationMs, parsePositiveInt } from '../options/parse.js';
import { createTerminal, type Terminal } from './terminal.js';
import type { GlobalFlags } from './terminal.js';

interface RunFlags {
  config: string;
  out?: string;
  comparison?: string;
  baseline?: string;
  compare: boolean;
  budget?: string[];
  threshold?: string[];
  iterations?: number;
  duration?: number;
  warmup?: string;
  repeat?: number;
  runVariance?: string;
  baseRef?: string;
  baseDir?: string;
}

export function runCommand(globals: () => GlobalFlags = () => ({ quiet: false, verbose: false, color: true })): Command {
  return new Command('run')
    .description('run what a config file declares: profile its models, check budgets, compare with a baseline')
    .option('-c, --config <file>', 'config file', DEFAULT_CONFIG_FILE)
    .option('-o, --out <dir>', 'report directory (overrides output.dir)')
    .option('--comparison <file>', 'Markdown comparison with the baseline (overrides output.comparison)')
    .option('--baseline <dir>', 'directory of baseline reports <model-name>.json (overrides baseline)')
    .option('--no-compare', 'do not compare with the baseline')
    .option('--budget <expr>', 'budget (repeatable; replaces the config budgets)', collect)
    .option('--threshold <pct>', 'compare threshold (repeatable; applied after the config thresholds)', collect)
    .option('-n, --iterations <n>', 'measured iterations (overrides measure)', (v) => parsePositiveInt(v, '-n'))
    .option('--duration <time>', 'measure for this long (overrides measure)', (v) => parseDurationMs(v, '--duration'))
    .option('-w, --warmup <n|time|auto>', 'warm-up (overrides measure.warmup)')
    .option('--repeat <n>', 'measure every trial n times, interleaved (overrides measure.repeat)', (v) => parsePositiveInt(v, '--repeat'))
    .option('--run-variance <pct>', 'compare: run-to-run allowance for a side measured once (overrides runVariance)')
    .option('--base-ref <ref>', 'paired: compare each model with its version at this git ref, measured interleaved (overrides paired)')
    .option('--base-dir <dir>', 'paired: compare each model with the same-named model in this directory, measured interleaved (overrides paired)')
    .action(async (flags: RunFlags) => {
      process.exitCode = await runConfig(flags, globals());
    });
}

/** `<dir>/<model-name>` without extension: stable names, so a CI job can find last run's report. */
function reportStem(modelPath: string): string {
  const file = basename(modelPath);
  return file.slice(0, file.length - extname(file).length) || file;
}

async function runConfig(flags: RunFlags, globals: GlobalFlags): Promise<number> {
  const terminal = createTerminal(globals);
  const config = loadConfig(flags.config);
  const outDir = flags.out ?? config.output.dir;
  const baseline = flags.compare ? (flags.baseline ?? config.baseline) : undefined;
  const budgets = flags.budget === undefined ? config.budgets : parseBudgets(flags.budget);
  const thresholds = parseThresholds(flags.threshold ?? [], config.thresholds);
  const runVariance = flags.runVariance === undefined ? config.runVariance : parseRunVariance(flags.runVariance);
  const overrides = {
    ...(flags.iterations !== undefined && { iterations: flags.iterations }),
    ...(flags.duration !== undefined && { durationMs: flags.duration }),
    ...(flags.warmup !== undefined && { warmup: flags.warmup }),
    ...(flags.repeat !== undefined && { repeat: flags.repeat }),
  };
  // Every model's options are checked before the first one is measured.
  const plans = config.models.map((model) => ({ model, options: profileOptionsFor(config, model, overrides) }));
  const pairedBase = flags.baseRef !== undefined ? { baseRef: flags.baseRef } : flags.baseDir !== undefined ? { baseDir: resolve(flags.baseDir) } : config.paired;
  if (pairedBase !== undefined && flags.compare) return runPairedConfig(plans, pairedBase, { outDir, thresholds, budgets, comparisonFile: flags.comparison ?? config.output.comparison }, terminal);

  let exit: number = ExitCode.ok;
  const comparisons: Comparison[] = [];
  const missing: string[] = [];
  for (const { model, options } of plans) {
    terminal.info(`profiling ${model.path}`);
    const report = await profile({ ...options, argv: ['inferbench', ...process.argv.slice(2)] }, { onTrialStart: (spec, i, n) => terminal.info(`[${i + 1}/${n}] ${spec.id}`) });
    const stem = reportStem(model.path);
    for (const path of writeReports(report, { outDir, formats: withJson(config.output.formats), baseName: stem })) terminal.info(`report written: ${path}`);
    if (!report.trials.some((t) => t.status === 'ok')) exit = Math.max(exit, ExitCode.trialsFailed);
    if (budgetsFail(report, budgets, terminal)) exit = Math.max(exit, ExitCode.budget);
    const basePath = baseline === undefined ? undefined : join(baseline, `${stem}.json`);
    if (basePath === undefined) continue;
    if (!existsSync(basePath)) {
      terminal.warn(`no baseline for ${stem} (${basePath} is missing): not compared`);
      missing.push(`${stem} (${basePath})`);
      continue;
    }
    const comparison = compareReports(readReport(basePath), report, {
      thresholds,
      budgets,
      labels: { base: basePath, head: join(outDir, `${stem}.json`) },
      ...(runVariance !== undefined && { significance: { runVariance } }),
    });
    comparisons.push(comparison);
    process.stdout.write(renderCompareConsole(comparison, { color: terminal.color }));
    if (comparison.exitCode !== ExitCode.ok) exit = Math.max(exit, ExitCode.budget);
  }
  const comparisonFile = flags.comparison ?? config.output.comparison;
  if (baseline !== undefined && comparisonFile !== undefined) writeComparison(comparisonFile, comparisons, missing, terminal);
  return exit;
}

interface PairedRunSettings {
  outDir: string;
  thresholds: ReturnType<typeof parseThresholds>;
  budgets: InferbenchConfig['budgets'];
  comparisonFile: string | undefined;
}

/**
 * `paired` in the config (or --base-ref / --base-dir): each model is measured interleaved with its
 * base version (compare BASE HEAD) instead of profiled and compared with a baseline report. The
 * comparison is written as JSON to <output.dir>/<model-name>.compare.json.
 */
async function runPairedConfig(plans: { model: ModelEntry; options: ProfileOptions }[], source: BaseSource, settings: PairedRunSettings, terminal: Terminal): Promise<number> {
  let exit: number = ExitCode.ok;
  const comparisons: Comparison[] = [];
  const missing: string[] = [];
  for (const { model, options } of plans) {
    const base = baseModelFor(source, model.path);
    const stem = reportStem(model.path);
    if (base === null) {
      terminal.warn(`no base version of ${model.path} (${source.baseRef === undefined ? `not in ${source.baseDir}` : `not at ${source.baseRef}`}): not compared`);
      missing.push(stem);
      continue;
    }
    terminal.info(`comparing ${model.path} with its base version (${source.baseRef ?? base}), interleaved`);
    const { model: _model, repeat: _repeat, concurrency: _concurrency, budgets: _budgets, ...rest } = options;
    const comparison = await compareModels(
      { ...rest, base, head: model.path, threshold: settings.thresholds.default, thresholds: settings.thresholds, budgets: settings.budgets },
      { onTrialStart: (spec, i, n) => terminal.info(`[${i + 1}/${n}] ${spec.id}: base and head interleaved`) },
    );
    const file = join(settings.outDir, `${stem}.compare.json`);
    writeFileAtomic(file, renderCompareJson(comparison));
    terminal.info(`comparison written: ${file}`);
    comparisons.push(comparison);
    process.stdout.write(renderCompareConsole(comparison, { color: terminal.color }));
    if (comparison.exitCode !== ExitCode.ok) exit = Math.max(exit, ExitCode.budget);
  }
  if (settings.comparisonFile !== undefined) writeComparison(settings.comparisonFile, comparisons, missing, terminal);
  return exit;
}

/** Print each budget check; true when one failed. */
function budgetsFail(report: Report, budgets: InferbenchConfig['budgets'], terminal: Terminal): boolean {
  const checks = evaluateBudgets(report.trials, budgets);
  for (const c of checks) {
    const line = `  budget ${describeBudget(c.budget)} on ${c.trialId}: ${formatMeasured(c)}, headroom ${formatChange(c.headroom)} — ${c.pass ? 'pass' : 'FAIL'}`;
    if (c.pass) terminal.info(line);
    else terminal.warn(line);
  }
  return checks.some((c) => !c.pass);
}

/** output.comparison: every model's Markdown comparison, and the models that had no baseline (a first run). */
function writeComparison(file: string, comparisons: readonly Comparison[], missing: readonly string[], terminal: Terminal): void {
  const parts = comparisons.map(renderCompareMarkdown);
  if (missing.length > 0) parts.push(`> ℹ️ No baseline yet, not compared: ${missing.join(', ')}.\n`);
  writeFileAtomic(file, parts.join('\n'));
  terminal.info(`comparison written: ${file}`);
}

/** The JSON report is always written: it is what the next run compares with. */
function withJson(formats: readonly string[]): string[] {
  return formats.includes('json') ? [...formats] : ['json', ...formats];
}
