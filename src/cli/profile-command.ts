// `inferbench profile <model>`: flags → ProfileOptions → profile() → reports. Translation only.
import { dirname } from 'node:path';
import { Command } from 'commander';
import { ExitCode, InferbenchError } from '../errors.js';
import { checkedPlan, profile, type ProfileHooks } from '../profile.js';
import type { ProfileOptions } from '../profile-options.js';
import { exporterFor } from '../report/exporters.js';
import { renderConsole } from '../report/console.js';
import { renderJson } from '../report/json.js';
import { checkOutputDir, ReportSaver } from './report-saver.js';
import { exitCodeForSignal, onStopSignals } from './signals.js';
import { renderPlan } from '../report/plan.js';
import type { Precision, Report } from '../types.js';
import { collect, parseList, parsePositiveInt, parseNonNegativeInt } from '../options/parse.js';
import { addModelFlags, modelOptionsFrom, type ModelFlags } from './model-flags.js';
import { createTerminal, type Terminal } from './terminal.js';
import { sweepProgress } from './progress.js';
import { parsePrecisionList } from '../sweep/plan.js';
import type { GlobalFlags } from './terminal.js';

interface ProfileFlags extends ModelFlags {
  variant?: string[];
  concurrency?: string;
  opProfile: boolean;
  checkOutputs?: boolean | string;
  budget?: string[];
  repeat: number;
  sample: boolean;
  pairedSpeedup: boolean;
  sampleInterval: number;
  seed: number;
  out: string;
  format: string;
  save: boolean;
  json: boolean;
}

const EXAMPLES = `
Examples:
  $ inferbench profile fixtures/cnn.onnx
  $ inferbench profile model.onnx --batch 1..32:x2 --precision fp32,fp16,int8 --threads 1,2
  $ inferbench profile model.onnx --device cpu,cuda --batch 1,8 --isolate --dry-run
  $ inferbench profile model.onnx --batch 8 --threads 4 -n 1000
  $ inferbench profile bert.onnx --dim sequence=256 --range input_ids=0:30000
  $ inferbench profile detector.onnx --shape images=1x3x640x640 --warmup 2s --duration 20s
  $ inferbench profile model.onnx --batch 1..64:x2 --budget "p99<=20ms"   # best batch within the budget
  $ inferbench profile model.onnx --repeat 5 -n 1000 --no-op-profile
  $ inferbench profile cnn.onnx --data images/ --pipeline image --postprocess softmax,topk=5 --batch 4
  $ inferbench profile bert.onnx --data texts.txt --pipeline text --pipeline-opt tokenizer=tokenizer.json
  $ inferbench profile model.onnx --json > report.json`;

export function profileCommand(globals: () => GlobalFlags): Command {
  const command = new Command('profile')
    .description('measure a model: cold start, then per-stage latency (preprocess, inference, postprocess)')
    .argument('<model...>', 'the model: .onnx, a TensorFlow.js model.json, or a SavedModel directory (one per run)');
  return addModelFlags(command)
    .option('--variant <precision=path>', 'a precision variant file, e.g. int8=model.int8.onnx (repeatable)', collect)
    .option('-c, --concurrency <list>', 'requests in flight at once, each on its own session in a worker thread (throughput under load); a list sweeps')
    .option('--repeat <n>', 'measure every trial n times, interleaved across trials (run-to-run variance)', (v) => parsePositiveInt(v, '--repeat'), 1)
    .option('--budget <expr>', 'latency/throughput budget, e.g. "inference.p99<=15ms", "throughput>=200/s" (repeatable)', collect)
    .option('--op-profile', 'per-operator profile after the timed runs, FLOPs and roofline (the default)', true)
    .option('--no-op-profile', 'skip the per-operator profile and roofline (and the first-run calibration)')
    .option('--check-outputs [dir]', 'also run the ONNX test data sets (DIR/test_data_set_N/input_K.pb; default: --data, else the model\'s directory) and compare with output_K.pb (rtol 1e-3, atol 1e-7, as ONNX\'s backend tests); a mismatch exits 1')
    .option('--sample-interval <ms>', 'utilisation sampling interval', (v) => parsePositiveInt(v, '--sample-interval'), 100)
    .option('--no-sample', 'do not sample CPU / memory / disk / GPU utilisation')
    .option('--no-paired-speedup', 'sweeps: do not re-measure each trial interleaved with the baseline for its speed-up interval')
    .option('--seed <n>', 'seed of the synthetic inputs', (v) => parseNonNegativeInt(v, '--seed'), 42)
    .option('-o, --out <dir>', 'directory for report files', 'reports')
    .option('-f, --format <list>', 'report file formats: json, md, csv, html, console (comma-separated)', 'json,md')
    .option('--no-save', 'do not write report files')
    .option('--json', 'print the JSON report to stdout (nothing else goes to stdout)', false)
    .addHelpText('after', EXAMPLES)
    .action(async (models: string[], flags: ProfileFlags) => {
      process.exitCode = await runProfile(oneModel(models), flags, globals());
    });
}

async function runProfile(model: string, flags: ProfileFlags, globals: GlobalFlags): Promise<number> {
  const terminal = createTerminal(globals);
  const formats = parseList(flags.format);
  formats.forEach(exporterFor); // unknown formats fail before measuring anything
  if (formats.length === 0 && flags.save) {
    throw new InferbenchError('usage', `--format '${flags.format}' names no format`, 'use json, md, csv or console (comma-separated), or --no-save to write no report file');
  }
  const controller = new AbortController();

  const options: ProfileOptions = {
    ...modelOptionsFrom(flags),
    model,
    variants: parseVariants(flags.variant ?? []),
    ...(flags.concurrency !== undefined && { concurrency: parseList(flags.concurrency).map((c) => parsePositiveInt(c, '--concurrency')) }),
    opProfile: flags.opProfile,
    ...(flags.checkOutputs !== undefined && { checkOutputs: flags.checkOutputs }),
    repeat: flags.repeat,
    budgets: flags.budget ?? [],
    sample: flags.sample,
    pairedSpeedUp: flags.pairedSpeedup,
    sampleIntervalMs: flags.sampleInterval,
    seed: flags.seed,
    signal: controller.signal,
    argv: ['inferbench', ...process.argv.slice(2)],
  };

  if (flags.dryRun) {
    const specs = await checkedPlan(options); // validates the model and devices as a real run does
    process.stdout.write(flags.json ? `${JSON.stringify(specs, null, 2)}\n` : renderPlan(specs));
    return ExitCode.ok;
  }

  if (flags.save) checkOutputDir(flags.out); // before minutes of measuring, not after
  const saver = new ReportSaver(flags.out, formats);
  let fallbackTold = false;
  const save = (report: Report): string[] => {
    if (!flags.save) return [];
    const outcome = saver.save(report);
    if (outcome.fellBack !== undefined && !fallbackTold) {
      fallbackTold = true;
      terminal.warn(`warning: ${outcome.fellBack}; reports are written to ${outcome.paths.map((p) => dirname(p))[0]} instead`);
    }
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

  const stop = onStopSignals((signal) => {
    terminal.warn(`interrupted by ${signal}: finishing the current measurement and writing the partial report (send it again to quit at once)`);
    controller.abort();
  });
  try {
    const report = await profile(options, hooks);
    terminal.clearStatus();
    emit(report, flags, terminal); // first: --json still prints if every write fails
    const written = save(report);
    for (const path of written) terminal.info(`report written: ${path}`);
    const stoppedBy = stop.received();
    if (report.interrupted && stoppedBy) return exitCodeForSignal(stoppedBy);
    return exitCodeFor(report, terminal);
  } finally {
    stop.dispose();
  }
}

/** Several models would be several reports: refuse rather than silently profile the first. */
function oneModel(models: string[]): string {
  if (models.length > 1) {
    throw new InferbenchError('usage', `profile takes one model, got ${models.length} (${models.slice(0, 3).join(', ')}${models.length > 3 ? ', ...' : ''})`, 'profile each in turn: for m in models/*.onnx; do inferbench profile "$m"; done');
  }
  return models[0]!;
}

function emit(report: Report, flags: ProfileFlags, terminal: Terminal): void {
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
    const failed = report.budget?.checks.filter((c) => !c.pass) ?? [];
    for (const check of failed) terminal.warn(`budget violated: ${check.budget.source} on ${check.trialId}`);
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

/** `--variant int8=model.int8.onnx` (repeatable). */
function parseVariants(raw: string[]): Partial<Record<Precision, string>> {
  const variants: Partial<Record<Precision, string>> = {};
  for (const entry of raw) {
    const at = entry.indexOf('=');
    const [precision] = parsePrecisionList(at > 0 ? entry.slice(0, at) : entry);
    if (at < 0 || !precision || at === entry.length - 1) {
      throw new InferbenchError('usage', `--variant '${entry}' is not precision=path`, 'e.g. --variant int8=model.int8.onnx');
    }
    variants[precision] = entry.slice(at + 1);
  }
  return variants;
}
