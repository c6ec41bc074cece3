// `inferbench profile <model>`: flags → ProfileOptions → profile() → reports. Translation only.
import { Command, Option } from 'commander';
import { ExitCode, InferbenchError } from '../errors.js';
import { collectPins } from '../inputs/pins.js';
import { profile, type ProfileHooks } from '../profile.js';
import { GRAPH_OPTIMIZATIONS, type ProfileOptions } from '../profile-options.js';
import { exporterFor } from '../report/exporter.js';
import { renderConsole } from '../report/console.js';
import { renderJson } from '../report/json.js';
import { reportBaseName, writeReports } from '../report/write-atomic.js';
import { formatMs } from '../report/format.js';
import type { GraphOptimization, Report, TrialResult } from '../types.js';
import { collect, measureBound, parseDurationMs, parseList, parsePositiveInt, parseNonNegativeInt, parseWarmup } from './parse.js';
import { bar, createTerminal, type Terminal } from './terminal.js';
import type { GlobalFlags } from './main.js';

interface ProfileFlags {
  device: string;
  threads?: number;
  interThreads?: number;
  graphOpt: GraphOptimization;
  batch?: number;
  shape?: string[];
  dim?: string[];
  value?: string[];
  range?: string[];
  inputFile?: string[];
  seed: number;
  warmup: string;
  iterations?: number;
  duration?: number;
  out: string;
  format: string;
  save: boolean;
  json: boolean;
}

const EXAMPLES = `
Examples:
  $ inferbench profile fixtures/cnn.onnx
  $ inferbench profile model.onnx --batch 8 --threads 4 -n 1000
  $ inferbench profile bert.onnx --dim sequence=256 --range input_ids=0:30000
  $ inferbench profile detector.onnx --shape images=1x3x640x640 --warmup 2s --duration 20s
  $ inferbench profile model.onnx --json > report.json`;

export function profileCommand(globals: () => GlobalFlags): Command {
  return new Command('profile')
    .description('measure a model: cold start, then per-stage latency (preprocess, inference, postprocess)')
    .argument('<model>', 'path to the model (.onnx)')
    .option('-d, --device <name>', 'execution device: cpu, cuda, tensorrt, webgpu (see `inferbench devices`)', 'cpu')
    .option('-t, --threads <n>', 'intra-op threads (default: the runtime decides)', (v) => parsePositiveInt(v, '--threads'))
    .option('--inter-threads <n>', 'inter-op threads (turns on parallel execution)', (v) => parsePositiveInt(v, '--inter-threads'))
    .addOption(new Option('--graph-opt <level>', 'graph optimisation level').choices(GRAPH_OPTIMIZATIONS).default('all'))
    .option('-b, --batch <n>', "size of the model's batch dim", (v) => parsePositiveInt(v, '--batch'))
    .option('--shape <name=AxBxC>', 'full shape of an input (repeatable)', collect)
    .option('--dim <name=size>', 'size of a symbolic dim, e.g. sequence=128 (repeatable)', collect)
    .option('--value <name=number>', 'fill an input with a constant (repeatable)', collect)
    .option('--range <name=lo:hi>', 'uniform values in [lo, hi) for an input (repeatable)', collect)
    .option('--input-file <name=path>', 'read an input from a .npy or raw .bin file (repeatable)', collect)
    .option('--seed <n>', 'seed of the synthetic inputs', (v) => parseNonNegativeInt(v, '--seed'), 42)
    .option('-w, --warmup <n|time|auto>', 'warm-up: iterations (20), a duration (2s) or auto (until steady)', 'auto')
    .option('-n, --iterations <n>', 'measured iterations (default: auto, ≥1000 samples and ≥2 s within 10 s)', (v) => parsePositiveInt(v, '-n'))
    .option('--duration <time>', 'measure for this long instead, e.g. 10s', (v) => parseDurationMs(v, '--duration'))
    .option('-o, --out <dir>', 'directory for report files', 'reports')
    .option('-f, --format <list>', 'report file formats: json, md, console (comma-separated)', 'json,md')
    .option('--no-save', 'do not write report files')
    .option('--json', 'print the JSON report to stdout (nothing else goes to stdout)', false)
    .addHelpText('after', EXAMPLES)
    .action(async (model: string, flags: ProfileFlags) => {
      process.exitCode = await runProfile(model, flags, globals());
    });
}

async function runProfile(model: string, flags: ProfileFlags, globals: GlobalFlags): Promise<number> {
  const terminal = createTerminal(globals);
  const formats = parseList(flags.format);
  formats.forEach(exporterFor); // unknown formats fail before measuring anything
  const pins = collectPins({ shape: flags.shape, dim: flags.dim, value: flags.value, range: flags.range, inputFile: flags.inputFile });

  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted); // second Ctrl-C: leave now
    terminal.warn('interrupted: finishing the current measurement and writing the partial report (Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', onSigint);

  const options: ProfileOptions = {
    model,
    device: flags.device,
    threads: flags.threads ?? null,
    interThreads: flags.interThreads ?? null,
    graphOptimization: flags.graphOpt,
    batch: flags.batch ?? null,
    shapes: Object.fromEntries(pins.shapes),
    dims: Object.fromEntries(pins.dims),
    values: Object.fromEntries(pins.values),
    ranges: Object.fromEntries(pins.ranges),
    inputFiles: Object.fromEntries(pins.files),
    seed: flags.seed,
    warmup: parseWarmup(flags.warmup),
    measure: measureBound(flags.iterations, flags.duration),
    signal: controller.signal,
    argv: ['inferbench', ...process.argv.slice(2)],
  };

  // One base name per run, so each partial rewrite replaces the previous file atomically.
  let baseName: string | undefined;
  const save = (report: Report): string[] => {
    if (!flags.save) return [];
    baseName ??= reportBaseName(report);
    return writeReports(report, { outDir: flags.out, formats, baseName });
  };
  const hooks: ProfileHooks = {
    onTrialStart: (spec, index, total) => terminal.info(`[${index + 1}/${total}] ${spec.id} — ${model}`),
    onPhase: (_spec, phase, n, ms) => terminal.status(phaseLine(phase, n, ms, options)),
    onTrialEnd: (result, partial) => {
      terminal.clearStatus();
      terminal.debug(trialLine(result));
      save(partial); // nothing measured is lost if a later trial crashes the process
    },
  };

  try {
    const report = await profile(options, hooks);
    terminal.clearStatus();
    const written = save(report);
    emit(report, flags, terminal);
    for (const path of written) terminal.info(`report written: ${path}`);
    return exitCodeFor(report, terminal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function emit(report: Report, flags: ProfileFlags, terminal: Terminal): void {
  if (flags.json) {
    process.stdout.write(renderJson(report));
    return;
  }
  process.stdout.write(renderConsole(report, { color: terminal.color }));
}

function exitCodeFor(report: Report, terminal: Terminal): number {
  if (report.interrupted) return ExitCode.interrupted;
  if (report.trials.some((t) => t.status === 'ok')) return ExitCode.ok;
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

function phaseLine(phase: string, iterations: number, elapsedMs: number, options: ProfileOptions): string {
  const bound = phase === 'measure' ? options.measure : phase === 'warmup' ? options.warmup : undefined;
  const fraction =
    bound?.kind === 'count' ? iterations / bound.iterations : bound?.kind === 'time' ? elapsedMs / bound.ms : undefined;
  const progress = fraction === undefined ? '' : `${bar(fraction)} `;
  return `  ${phase} ${progress}${iterations} it, ${formatMs(elapsedMs)}`;
}

function trialLine(result: TrialResult): string {
  if (result.status === 'ok') return `  ${result.spec.id}: inference p50 ${formatMs(result.stages.inference.p50Ms)} (${result.measure.iterations} iterations)`;
  if (result.status === 'failed') return `  ${result.spec.id}: failed in ${result.phase}: ${result.error.message}`;
  return `  ${result.spec.id}: skipped: ${result.reason}`;
}
