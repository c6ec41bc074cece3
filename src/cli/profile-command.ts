// `inferbench profile <model>`: flags → ProfileOptions → profile() → reports. Translation only.
import { Command, Option } from 'commander';
import { ExitCode, InferbenchError } from '../errors.js';
import { collectPins } from '../inputs/pins.js';
import { plan, profile, type ProfileHooks } from '../profile.js';
import { GRAPH_OPTIMIZATIONS, type ProfileOptions } from '../profile-options.js';
import { exporterFor } from '../report/exporter.js';
import { renderConsole } from '../report/console.js';
import { renderJson } from '../report/json.js';
import { reportBaseName, writeReports } from '../report/write-atomic.js';
import { renderPlan } from '../report/plan.js';
import type { GraphOptimization, Precision, Report } from '../types.js';
import { collect, measureBound, parseDurationMs, parseList, parsePositiveInt, parseNonNegativeInt, parseWarmup } from './parse.js';
import { createTerminal, type Terminal } from './terminal.js';
import { sweepProgress } from './progress.js';
import { parseBatchList, parsePrecisionList } from '../sweep/plan.js';
import type { GlobalFlags } from './main.js';

interface ProfileFlags {
  device: string;
  precision: string;
  variant?: string[];
  threads?: string;
  interThreads?: number;
  graphOpt: GraphOptimization;
  batch?: string;
  batchDim?: string;
  concurrency?: string;
  isolate: boolean;
  dryRun: boolean;
  opProfile: boolean;
  data?: string;
  dataCache: boolean;
  pipeline?: string;
  pipelineOpt?: string[];
  postprocess?: string;
  labels?: string;
  budget?: string[];
  repeat: number;
  sample: boolean;
  sampleInterval: number;
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
  $ inferbench profile model.onnx --batch 1..32:x2 --precision fp32,fp16,int8 --threads 1,2
  $ inferbench profile model.onnx --device cpu,cuda --batch 1,8 --isolate --dry-run
  $ inferbench profile model.onnx --batch 8 --threads 4 -n 1000
  $ inferbench profile bert.onnx --dim sequence=256 --range input_ids=0:30000
  $ inferbench profile detector.onnx --shape images=1x3x640x640 --warmup 2s --duration 20s
  $ inferbench profile model.onnx --batch 1..64:x2 --budget "p99<=20ms"   # best batch within the budget
  $ inferbench profile model.onnx --repeat 5 -n 1000 --op-profile
  $ inferbench profile cnn.onnx --data images/ --pipeline image --postprocess softmax,topk=5 --batch 4
  $ inferbench profile bert.onnx --data texts.txt --pipeline text --pipeline-opt tokenizer=tokenizer.json
  $ inferbench profile model.onnx --json > report.json`;

export function profileCommand(globals: () => GlobalFlags): Command {
  return new Command('profile')
    .description('measure a model: cold start, then per-stage latency (preprocess, inference, postprocess)')
    .argument('<model>', 'the model: .onnx, a TensorFlow.js model.json, or a SavedModel directory')
    .option('-d, --device <list>', 'execution device(s): cpu, cuda, tensorrt, webgpu; for TensorFlow.js also wasm, tensorflow, tfjs-cpu (see `inferbench devices`)', 'cpu')
    .option('-p, --precision <list>', 'precision(s): fp32, fp16, int8 (dynamic), int8-static (QDQ, calibrated on --data or synthetic inputs); variants found or generated', 'fp32')
    .option('--variant <precision=path>', 'a precision variant file, e.g. int8=model.int8.onnx (repeatable)', collect)
    .option('-t, --threads <list>', 'intra-op threads, one or a list (default: the runtime decides)')
    .option('--inter-threads <n>', 'inter-op threads (turns on parallel execution)', (v) => parsePositiveInt(v, '--inter-threads'))
    .addOption(new Option('--graph-opt <level>', 'graph optimisation level').choices(GRAPH_OPTIMIZATIONS).default('all'))
    .option('-b, --batch <list>', "batch size(s): 8, 1,2,4 or a range 1..64:x2")
    .option('--isolate', 'run each trial in its own process (a crash or OOM loses one trial only)', false)
    .option('--dry-run', 'print the sweep plan and exit', false)
    .option('--repeat <n>', 'measure every trial n times, interleaved across trials (run-to-run variance)', (v) => parsePositiveInt(v, '--repeat'), 1)
    .option('--budget <expr>', 'latency/throughput budget, e.g. "inference.p99<=15ms", "throughput>=200/s" (repeatable)', collect)
    .option('--op-profile', 'per-operator profile (ORT profiler, outside the timed runs), FLOPs and roofline', false)
    .option('--sample-interval <ms>', 'utilisation sampling interval', (v) => parsePositiveInt(v, '--sample-interval'), 100)
    .option('--no-sample', 'do not sample CPU / memory / disk / GPU utilisation')
    .option('--data <path>', 'real inputs: a file, a directory or a quoted glob; timed as the load stage')
    .option('--data-cache', 'keep loaded and decoded inputs in memory (separates I/O from compute)', false)
    .option('--pipeline <name|path>', 'image, text, tensors, none, or your module ./pipeline.mjs|.ts (default: from --data)')
    .option('--pipeline-opt <key=value>', 'pipeline option, e.g. tokenizer=tokenizer.json, interpolation=bicubic (repeatable)', collect)
    .option('--postprocess <steps>', 'built-in postprocess steps: softmax, argmax, topk=5 (comma-separated)')
    .option('--labels <file>', 'class labels, one per line, for topk')
    .option('--shape <name=AxBxC>', 'full shape of an input (repeatable)', collect)
    .option('--dim <name=size>', 'size of a symbolic dim, e.g. sequence=128 (repeatable)', collect)
    .option('-c, --concurrency <list>', 'requests in flight at once, each on its own session in a worker thread (throughput under load); a list sweeps')
    .option('--batch-dim <name>', 'the symbolic dim --batch sets, when it is not axis 0 or batch-like (e.g. N in [seq, N])')
    .option('--value <name=number>', 'fill an input with a constant (repeatable)', collect)
    .option('--range <name=lo:hi>', 'uniform values in [lo, hi) for an input (repeatable)', collect)
    .option('--input-file <name=path>', 'read an input from a .npy or raw .bin file (repeatable)', collect)
    .option('--seed <n>', 'seed of the synthetic inputs', (v) => parseNonNegativeInt(v, '--seed'), 42)
    .option('-w, --warmup <n|time|auto>', 'warm-up: iterations (20), a duration (2s) or auto (until steady)', 'auto')
    .option('-n, --iterations <n>', 'measured iterations (default: auto, ≥1000 samples and ≥2 s within 10 s)', (v) => parsePositiveInt(v, '-n'))
    .option('--duration <time>', 'measure for this long instead, e.g. 10s', (v) => parseDurationMs(v, '--duration'))
    .option('-o, --out <dir>', 'directory for report files', 'reports')
    .option('-f, --format <list>', 'report file formats: json, md, csv, console (comma-separated)', 'json,md')
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

  const options: ProfileOptions = {
    model,
    device: parseList(flags.device),
    precision: parsePrecisionList(flags.precision),
    variants: parseVariants(flags.variant ?? []),
    threads: flags.threads === undefined ? null : parseList(flags.threads).map((t) => parsePositiveInt(t, '--threads')),
    interThreads: flags.interThreads ?? null,
    graphOptimization: flags.graphOpt,
    batch: flags.batch === undefined ? null : parseBatchList(flags.batch),
    ...(flags.batchDim !== undefined && { batchDim: flags.batchDim }),
    ...(flags.concurrency !== undefined && { concurrency: parseList(flags.concurrency).map((c) => parsePositiveInt(c, '--concurrency')) }),
    isolate: flags.isolate,
    opProfile: flags.opProfile,
    repeat: flags.repeat,
    ...(flags.data !== undefined && { data: flags.data }),
    dataCache: flags.dataCache,
    ...(flags.pipeline !== undefined && { pipeline: flags.pipeline }),
    pipelineOptions: parseKeyValues(flags.pipelineOpt ?? [], '--pipeline-opt'),
    ...(flags.postprocess !== undefined && { postprocess: flags.postprocess }),
    ...(flags.labels !== undefined && { labels: flags.labels }),
    budgets: flags.budget ?? [],
    sample: flags.sample,
    sampleIntervalMs: flags.sampleInterval,
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

  if (flags.dryRun) {
    const specs = plan(options);
    process.stdout.write(flags.json ? `${JSON.stringify(specs, null, 2)}\n` : renderPlan(specs));
    return ExitCode.ok;
  }

  // One base name per run, so each partial rewrite replaces the previous file atomically.
  let baseName: string | undefined;
  const save = (report: Report): string[] => {
    if (!flags.save) return [];
    baseName ??= reportBaseName(report);
    return writeReports(report, { outDir: flags.out, formats, baseName });
  };
  const progress = sweepProgress(terminal, options);
  const hooks: ProfileHooks = {
    ...progress,
    onTrialEnd: (result, partial) => {
      progress.onTrialEnd(result);
      save(partial); // nothing measured is lost if a later trial crashes the process
    },
  };

  process.on('SIGINT', onSigint);
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
  if (report.trials.some((t) => t.status === 'ok')) {
    const failed = report.budget?.checks.filter((c) => !c.pass) ?? [];
    for (const check of failed) terminal.warn(`budget violated: ${check.budget.source} on ${check.trialId}`);
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

/** `key=value` pairs (repeatable flag) → a record; a key given twice is an error. */
function parseKeyValues(raw: string[], flag: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const entry of raw) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new InferbenchError('usage', `${flag} '${entry}' is not key=value`, `e.g. ${flag} tokenizer=tokenizer.json`);
    const key = entry.slice(0, at);
    if (key in pairs) throw new InferbenchError('usage', `${flag} ${key} is given twice`);
    pairs[key] = entry.slice(at + 1);
  }
  return pairs;
}
