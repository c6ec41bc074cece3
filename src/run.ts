// run(options) → RunResult: the library form of `inferbench run`. Profiles every model a config
// declares, writes `<output.dir>/<model-name>.<ext>`, checks budgets (profile() does, as for
// --budget), and compares with `<baseline>/<model-name>.json`, or, with `paired`, measures each
// model interleaved with its base version. Writes the files the config names; never prints (hooks
// say what happens). Exit code: 0 all good, 1 a regression or a budget violated, 4 every trial of
// a model failed.
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseBudgets } from './budget/budget.js';
import { compareModels } from './compare.js';
import { readReport } from './compare/load.js';
import { renderCompareJson } from './compare/render-json.js';
import { renderCompareMarkdown } from './compare/render-markdown.js';
import { parseRunVariance, parseThresholds, type Thresholds } from './compare/threshold.js';
import { compareReports, nothingCompared, type Comparison } from './compare/verdict.js';
import { loadConfig, type InferbenchConfig } from './config/config.js';
import { profileOptionsFor } from './config/profile-options.js';
import { ExitCode, InferbenchError } from './errors.js';
import { FallbackWriter } from './io/fallback-dir.js';
import { checkOutput } from './io/output-dir.js';
import { writeFileAtomic } from './io/write-atomic.js';
import type { DeclaredOptions } from './options/declarations.js';
import { baseModelFor, type BaseSource } from './paired/base-model.js';
import { plan, profile } from './profile.js';
import { checkShard, shardLabel } from './merge/shard.js';
import type { ProfileOptions } from './profile-options.js';
import { reportStem, writeReports } from './report/write-reports.js';
import type { Budget, Report, TrialSpec } from './types.js';

export interface RunOptions {
  /** The config file (default inferbench.config.json) or a loaded config. */
  config?: string | InferbenchConfig;
  /** Profile options that win over the file (`inferbench run -n 500 --warmup 2s`). Budgets replace the file's. */
  overrides?: DeclaredOptions;
  /** Report directory; default output.dir. */
  outDir?: string;
  /** Markdown comparison file; default output.comparison. */
  comparisonFile?: string;
  /** Directory of baseline reports; default the config's baseline. */
  baseline?: string;
  /** false: profile and check budgets only, no comparison. Default true. */
  compare?: boolean;
  /** Thresholds applied after the config's (--threshold). */
  thresholds?: string[];
  /** compare's run-to-run allowance for a side measured once, e.g. "10%"; default the config's. */
  runVariance?: string;
  /** Paired comparison with each model's base version; default the config's `paired`. */
  paired?: BaseSource;
  /** The command line recorded in the reports. */
  argv?: string[];
  /** Aborting it stops the run after the current measurement: what was measured is written, no further model starts. */
  signal?: AbortSignal;
}

/** What happened to one model of the config. */
export interface ModelRun {
  path: string;
  /** profile()'s report (absent in paired mode). */
  report?: Report;
  /** Files written for this model: reports, or the paired comparison's JSON. */
  written: string[];
  comparison?: Comparison;
  /** Why the model was not compared (no baseline report, no base version, a shard). */
  notCompared?: string;
  /** --shard: this shard has no trial of this model (nothing measured, nothing written). */
  notInShard?: string;
}

export interface RunResult {
  models: ModelRun[];
  /** The Markdown comparison file, when one was written. */
  comparisonFile?: string;
  /** 0 all good, 1 a regression or a budget violated, 4 every trial of a model failed. */
  exitCode: number;
  /** Set when a write to the output directory failed after measuring: why, and the temp directory the files went to instead. */
  fellBack?: { reason: string; dir: string };
}

export interface RunHooks {
  /** A model starts: profiled, or compared with its base version interleaved (paired). */
  onModelStart?(path: string, mode: 'profile' | 'paired', base?: string): void;
  onTrialStart?(spec: TrialSpec, index: number, total: number): void;
  /** A model is done (its files written and its comparison made). */
  onModelEnd?(run: ModelRun): void;
}

interface Plan {
  path: string;
  stem: string;
  options: ProfileOptions;
  /** --shard: 'I/N' when that shard has no trial of this model. */
  empty?: string;
}

/**
 * --shard over a config: the run's plan is every model's plan in config order, and each shard
 * takes its part of that (a model's trials may spread over several shards). Each model's profile
 * gets the shard and the offset of its first trial.
 */
function shardPlans(plans: Plan[]): Plan[] {
  let offset = 0;
  return plans.map((p) => {
    if (p.options.shard === undefined) return p;
    const shard = { ...checkShard(p.options.shard), offset };
    const { shard: _whole, ...unsharded } = p.options;
    const size = plan(unsharded).length;
    offset += size;
    // plan() with the shard: its part of this model's trials, or all of them for a split load (a URL at --rate).
    const empty = plan({ ...p.options, shard }).length === 0;
    return { ...p, options: { ...p.options, shard }, ...(empty && { empty: shardLabel(shard) }) };
  });
}

interface Settings {
  outDir: string;
  thresholds: Thresholds;
  budgets: Budget[];
  runVariance: number | undefined;
  argv: string[];
  signal: AbortSignal | undefined;
  /** Every file of the run is written through it: a late failure moves the rest to a temp directory. */
  writer: FallbackWriter;
}

export async function run(options: RunOptions = {}, hooks: RunHooks = {}): Promise<RunResult> {
  const config = typeof options.config === 'object' ? options.config : loadConfig(options.config);
  const overrides = options.overrides ?? {};
  // Every model's options are checked before the first one is measured.
  const plans: Plan[] = shardPlans(config.models.map((model) => ({ path: model.path, stem: reportStem(model.path), options: profileOptionsFor(config, model, overrides) })));
  const settings: Settings = {
    outDir: options.outDir ?? config.output.dir,
    thresholds: parseThresholds(options.thresholds ?? [], config.thresholds),
    budgets: overrides.budgets === undefined ? config.budgets : parseBudgets(overrides.budgets),
    runVariance: options.runVariance === undefined ? config.runVariance : parseRunVariance(options.runVariance),
    argv: options.argv ?? ['inferbench', 'run'],
    signal: options.signal,
    writer: new FallbackWriter(options.outDir ?? config.output.dir),
  };
  const comparing = options.compare ?? true;
  // --base-ref / --base-dir replace the config's base; its epochs stay.
  const pairedBase = options.paired === undefined ? config.paired : { ...(config.paired?.epochs !== undefined && { epochs: config.paired.epochs }), ...options.paired };
  const comparisonFile = options.comparisonFile ?? config.output.comparison;
  const baseline = comparing ? (options.baseline ?? config.baseline) : undefined;
  const paired = comparing && pairedBase !== undefined;
  if (paired && overrides.shard !== undefined) {
    throw new InferbenchError('usage', '--shard splits the profile sweeps of a config; a paired comparison (paired, --base-ref, --base-dir) is not sharded', 'run the shards with --no-compare, merge them (inferbench merge), then compare the merged reports');
  }
  if (paired && pairedBase.baseDir !== undefined && !existsSync(pairedBase.baseDir)) {
    throw new InferbenchError('usage', `base directory ${pairedBase.baseDir} not found`, 'pass the directory that holds the base versions of the models (--base-dir, paired.baseDir)');
  }
  // Before minutes of measuring, not after: results are never lost to an output path.
  checkOutput(options.outDir !== undefined ? '--out' : 'output.dir', settings.outDir, 'dir');
  if ((paired || baseline !== undefined) && comparisonFile !== undefined) checkOutput(options.comparisonFile !== undefined ? '--comparison' : 'output.comparison', comparisonFile, 'file');

  const models: ModelRun[] = [];
  for (const plan of plans) {
    if (settings.signal?.aborted) break;
    if (plan.empty) {
      const skipped = { path: plan.path, written: [], notInShard: `shard ${plan.empty} has no trial of ${plan.stem}` };
      models.push(skipped);
      hooks.onModelEnd?.(skipped);
      continue;
    }
    const result = paired ? await runPaired(plan, pairedBase, settings, hooks) : await runProfile(plan, config, baseline, settings, hooks);
    models.push(result);
    hooks.onModelEnd?.(result);
  }
  const written = (paired || baseline !== undefined) && comparisonFile !== undefined ? writeComparison(comparisonFile, models, settings.writer) : undefined;
  return { models, ...(written !== undefined && { comparisonFile: written }), exitCode: exitCodeOf(models, paired), ...(settings.writer.fellBack !== undefined && { fellBack: { reason: settings.writer.fellBack, dir: settings.writer.dir } }) };
}

async function runProfile(plan: Plan, config: InferbenchConfig, baseline: string | undefined, settings: Settings, hooks: RunHooks): Promise<ModelRun> {
  hooks.onModelStart?.(plan.path, 'profile');
  const report = await profile({ ...plan.options, argv: settings.argv, ...(settings.signal !== undefined && { signal: settings.signal }) }, hooks.onTrialStart ? { onTrialStart: hooks.onTrialStart } : {});
  const written = settings.writer.inDir((outDir) => writeReports(report, { outDir, formats: withJson(config.output.formats), baseName: plan.stem }));
  if (baseline !== undefined && report.shard !== undefined) return { path: plan.path, report, written, notCompared: `a shard's report is compared once the shards are merged (inferbench merge, then compare ${join(baseline, `${plan.stem}.json`)})` };
  const basePath = baseline === undefined ? undefined : join(baseline, `${plan.stem}.json`);
  if (basePath === undefined) return { path: plan.path, report, written };
  if (!existsSync(basePath)) return { path: plan.path, report, written, notCompared: `no baseline for ${plan.stem} (${basePath} is missing)` };
  const comparison = compareReports(readReport(basePath), report, {
    thresholds: settings.thresholds,
    budgets: settings.budgets,
    labels: { base: basePath, head: join(settings.writer.dir, `${plan.stem}.json`) },
    ...(settings.runVariance !== undefined && { significance: { runVariance: settings.runVariance } }),
  });
  return { path: plan.path, report, written, comparison };
}

/**
 * `paired` in the config (or --base-ref / --base-dir): the model is measured interleaved with its
 * base version (compare BASE HEAD) instead of profiled and compared with a baseline report. The
 * comparison is written as JSON to <output.dir>/<model-name>.compare.json.
 */
async function runPaired(plan: Plan, source: BaseSource, settings: Settings, hooks: RunHooks): Promise<ModelRun> {
  const base = baseModelFor(source.baseDir === undefined ? source : { ...source, baseDir: resolve(source.baseDir) }, plan.path);
  if (base === null) {
    return { path: plan.path, written: [], notCompared: `no base version of ${plan.path} (${source.baseRef === undefined ? `not in ${source.baseDir}` : `not at ${source.baseRef}`})` };
  }
  hooks.onModelStart?.(plan.path, 'paired', source.baseRef ?? base);
  // Options a paired comparison does not take: it measures one stream per side, once.
  const { model: _model, repeat: _repeat, concurrency: _concurrency, budgets: _budgets, ...rest } = plan.options;
  let comparison: Comparison;
  try {
    comparison = await compareModels(
      { ...rest, base, head: plan.path, threshold: settings.thresholds.default, thresholds: settings.thresholds, budgets: settings.budgets, ...(source.epochs !== undefined && { epochs: source.epochs }), ...(settings.signal !== undefined && { signal: settings.signal }) },
      hooks.onTrialStart ? { onTrialStart: hooks.onTrialStart } : {},
    );
  } finally {
    // A base taken from a git ref is a temporary copy: remove it (and its directory) once measured.
    if (source.baseDir === undefined) rmSync(dirname(base), { recursive: true, force: true });
  }
  const file = settings.writer.atFile(join(settings.outDir, `${plan.stem}.compare.json`), (path) => writeFileAtomic(path, renderCompareJson(comparison)));
  return { path: plan.path, written: [file], comparison };
}

function exitCodeOf(models: readonly ModelRun[], paired: boolean): number {
  let exit: number = ExitCode.ok;
  // A gate that compared nothing is not green: every model lacked a base version.
  if (paired && models.length > 0 && models.every((m) => m.comparison === undefined)) exit = ExitCode.trialsFailed;
  for (const m of models) {
    if (m.report !== undefined && !m.report.trials.some((t) => t.status === 'ok')) exit = Math.max(exit, ExitCode.trialsFailed);
    if (m.report?.budget?.checks.some((c) => !c.pass)) exit = Math.max(exit, ExitCode.budget);
    if (m.comparison !== undefined && m.comparison.exitCode !== ExitCode.ok) exit = Math.max(exit, ExitCode.budget);
    // A comparison whose every configuration failed measured nothing: not a pass (skipped for a missing device stays as it is).
    else if (m.comparison !== undefined && nothingCompared(m.comparison)?.skippedOnly === false) exit = Math.max(exit, ExitCode.trialsFailed);
  }
  return exit;
}

/** output.comparison: every model's Markdown comparison, and the models not compared (a first run). */
function writeComparison(file: string, models: readonly ModelRun[], writer: FallbackWriter): string {
  const parts = models.flatMap((m) => (m.comparison ? [renderCompareMarkdown(m.comparison)] : []));
  const missing = models.filter((m) => m.notCompared !== undefined).map((m) => reportStem(m.path));
  if (missing.length > 0) parts.push(`> ℹ️ No baseline yet, not compared: ${missing.join(', ')}.\n`);
  return writer.atFile(file, (path) => writeFileAtomic(path, parts.join('\n')));
}

/** The JSON report is always written: it is what the next run compares with. */
function withJson(formats: readonly string[]): string[] {
  return formats.includes('json') ? [...formats] : ['json', ...formats];
}
