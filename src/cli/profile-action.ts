// `inferbench profile <model>`, loaded when the command runs: options → profile() → reports.
import { dirname } from 'node:path';
import { ExitCode, InferbenchError } from '../errors.js';
import { checkedPlan, plan, profile, type ProfileHooks } from '../profile.js';
import { emptyShardMessage } from '../merge/shard.js';
import { resolveProfileOptions, type ProfileOptions } from '../profile-options.js';
import { splitNote } from '../merge/load-split.js';
import { exporterFor } from '../report/exporters.js';
import { renderConsole } from '../report/console.js';
import { renderJson } from '../report/json.js';
import type { CommandContext } from './frame.js';
import { ReportSaver } from './report-saver.js';
import { renderPlan } from '../report/plan.js';
import type { BudgetCheck, Report } from '../types.js';
import type { DeclaredOptions } from '../options/declarations.js';
import { parseList } from '../options/parse.js';
import type { Terminal } from './terminal.js';
import { sweepProgress } from './progress.js';

/** The flags profile-command.ts declares besides the profile options. */
export interface ProfileCliFlags {
  dryRun: boolean;
  out: string;
  format: string;
  save: boolean;
  json: boolean;
}

export async function runProfile(models: string[], declared: DeclaredOptions, context: CommandContext<ProfileCliFlags>): Promise<number> {
  const { flags, terminal } = context;
  const model = oneModel(models);
  const formats = parseList(flags.format);
  formats.forEach(exporterFor); // unknown formats fail before measuring anything
  if (formats.length === 0 && flags.save) {
    throw new InferbenchError('usage', `--format '${flags.format}' names no format`, 'use json, md, csv or console (comma-separated), or --no-save to write no report file');
  }
  const options: ProfileOptions = { ...declared, model, signal: context.signal, argv: ['inferbench', ...process.argv.slice(2)] };

  const split = options.shard === undefined ? null : resolveProfileOptions(options).loadSplit;
  if (split) terminal.info(splitNote(split));
  if (flags.dryRun) {
    const specs = await checkedPlan(options); // validates the model and devices as a real run does
    const { unavailableDeviceWarnings } = await import('./dry-run-devices.js');
    for (const warning of await unavailableDeviceWarnings([model], specs)) terminal.warn(warning);
    if (options.serve) terminal.info((await import('../sweep/serve-overhead.js')).servedPlanNote(options, specs.length));
    process.stdout.write(flags.json ? `${JSON.stringify(specs, null, 2)}\n` : renderPlan(specs));
    return ExitCode.ok;
  }
  if (options.shard !== undefined && plan(options).length === 0) {
    // More shards than trials: this one has nothing to do, which is not an error (a matrix of N jobs).
    terminal.info(emptyShardMessage(options.shard, plan({ ...options, shard: undefined }).length));
    return ExitCode.ok;
  }

  const saver = new ReportSaver(flags.out, formats);
  let told = '';
  let lost = false;
  const save = (report: Report): string[] => {
    if (!flags.save) return [];
    const outcome = saver.save(report);
    lost = outcome.lost !== undefined;
    const warning = lost
      ? `warning: ${outcome.fellBack}; ${outcome.lost}: the JSON report is printed to stdout instead`
      : outcome.fellBack !== undefined ? `warning: ${outcome.fellBack}; reports are written to ${outcome.paths.map((p) => dirname(p))[0]} instead` : '';
    if (warning !== '' && warning !== told) terminal.warn(warning);
    told = warning;
    return outcome.paths;
  };
  const progress = sweepProgress(terminal, options);
  const hooks: ProfileHooks = {
    ...progress,
    onTrialEnd: (result, partial) => {
      progress.onTrialEnd(result);
      save(partial); // nothing measured is lost if a later trial crashes the process
    },
  };

  const report = options.serve ? await (await import('../sweep/serve-overhead.js')).profileServed(options, hooks) : await profile(options, hooks);
  terminal.clearStatus();
  emit(report, flags, terminal); // first: --json still prints if every write fails
  const written = save(report);
  for (const path of written) terminal.info(`report written: ${path}`);
  if (lost && !flags.json) process.stdout.write(renderJson(report)); // the last resort: results are never dropped
  return exitCodeFor(report, terminal); // the frame makes it 128 + n when a stop signal ended the run
}

/** Why a budget could not be decided, in a few words. */
function inconclusiveWhy(check: BudgetCheck): string {
  const s = check.samples;
  if (s !== undefined && s.toPass !== null) return `${s.over} of ${s.count} samples beyond the limit; ${s.toPass} more within it would pass`;
  return 'the limit lies inside the interval';
}

/** Several models would be several reports: refuse rather than silently profile the first. */
function oneModel(models: string[]): string {
  if (models.length > 1) {
    throw new InferbenchError('usage', `profile takes one model, got ${models.length} (${models.slice(0, 3).join(', ')}${models.length > 3 ? ', ...' : ''})`, 'profile each in turn: for m in models/*.onnx; do inferbench profile "$m"; done');
  }
  return models[0]!;
}

function emit(report: Report, flags: ProfileCliFlags, terminal: Terminal): void {
  if (flags.json) {
    process.stdout.write(renderJson(report));
    return;
  }
  // A terminal's width (COLUMNS when piped, e.g. in CI logs) narrows the sweep table to fit.
  const width = process.stdout.columns || Number(process.env.COLUMNS) || undefined;
  process.stdout.write(renderConsole(report, { color: terminal.color, ...(width && { width }) }));
}

function exitCodeFor(report: Report, terminal: Terminal): number {
  if (report.interrupted) return ExitCode.interrupted;
  if (report.trials.some((t) => t.status === 'ok')) {
    const failed = report.budget?.checks.filter((c) => c.verdict === 'fail') ?? [];
    for (const check of failed) terminal.warn(`budget violated: ${check.budget.source} on ${check.trialId}`);
    // Inconclusive (the limit inside the interval): a warning, or a failure with --fail-on-inconclusive.
    const undecided = report.budget?.checks.filter((c) => c.verdict === 'inconclusive') ?? [];
    const strict = report.options.failOnInconclusive === true;
    for (const check of undecided) terminal.warn(`${strict ? 'error' : 'warning'}: budget inconclusive: ${check.budget.source} on ${check.trialId} (${inconclusiveWhy(check)})`);
    if (strict && undecided.length > 0) failed.push(...undecided);
    const crashed = report.trials.filter((t) => t.status === 'failed');
    for (const trial of crashed) terminal.warn(`error: ${trial.spec.id} failed: ${trial.status === 'failed' ? trial.error.message : ''}`);
    if (crashed.length > 0) return ExitCode.someTrialsFailed;
    if (report.outputCheck && report.outputCheck.status !== 'match') {
      terminal.warn('error: --check-outputs: the outputs do not match the test data sets\' output_*.pb (see the report)');
      return ExitCode.budget;
    }
    return failed.length > 0 ? ExitCode.budget : ExitCode.ok;
  }
  for (const trial of report.trials) {
    if (trial.status === 'failed') {
      terminal.warn(`error: ${trial.spec.id}: ${trial.error.message}`);
      if (trial.error.hint) terminal.warn(`hint: ${trial.error.hint}`);
    } else if (trial.status === 'skipped') {
      terminal.warn(`error: ${trial.spec.id}: ${trial.reason}`);
    }
  }
  if (report.trials.length === 0) throw new InferbenchError('all-trials-failed', 'no trial ran');
  return ExitCode.trialsFailed;
}
