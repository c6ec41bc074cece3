// The public, JSON-friendly options of profile() and their validation. The CLI parses strings into
// this shape; library users write it directly. Every default lives here.
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { InferbenchError } from './errors.js';
import { packagePath } from './package-paths.js';
import { emptyPins, type InputPins } from './inputs/pins.js';
import { parseBudgets, type Budget } from './budget/budget.js';
import { checkPipelineFlags, pipelineForData } from './pipeline/resolve.js';
import { DEFAULT_SAMPLE_INTERVAL_MS } from './sample/sampler.js';
import { PRECISIONS } from './sweep/plan.js';
import { DEFAULT_OUTPUT_HANDLING, OUTPUT_HANDLINGS, type GraphOptimization, type OutputHandling, type PhaseBound, type Precision } from './types.js';

export interface ProfileOptions {
  /** Path to the model: .onnx, a TensorFlow.js model.json (or its directory), or a SavedModel directory. */
  model: string;
  /** Execution device(s): cpu (default), cuda, tensorrt, webgpu, ... A list sweeps them. */
  device?: string | string[];
  /** Precision(s): fp32 (default), fp16, int8 (dynamic), int8-static (QDQ, calibrated). Variants come from --variant files, siblings, or are generated. */
  precision?: Precision | Precision[];
  /** Files for precision variants, e.g. { int8: 'model.int8.onnx' }. */
  variants?: Partial<Record<Precision, string>>;
  /** Intra-op threads; default: the runtime's choice (usually one per physical core). A list sweeps them. */
  threads?: number | null | (number | null)[];
  /** Inter-op threads (enables ORT's parallel execution mode); default: runtime's choice. */
  interThreads?: number | null;
  /** Graph optimisation level; default 'all'. */
  graphOptimization?: GraphOptimization;
  /** Value of the model's batch dim; default: the model's own or 1 for a symbolic batch dim. A list sweeps them. */
  batch?: number | null | number[];
  /** Run each trial in its own child process, so a crash or OOM kill loses one trial only. */
  isolate?: boolean;
  /**
   * Requests in flight at once (closed loop), each on its own session in a worker thread; default 1.
   * A list sweeps them. ONNX models with synthetic inputs only.
   */
  concurrency?: number | number[];
  /**
   * What happens to each request's outputs: 'drop' (default: released at once, as a server
   * does), 'dispose', 'reuse' (the previous outputs stay alive), 'fetches' (preallocated output
   * tensors, ONNX only). A list sweeps them. docs/large-outputs.md says what each costs.
   */
  outputs?: OutputHandling | OutputHandling[];
  /** Real input data: a file, a directory or a glob (--data). */
  data?: string;
  /** Keep loaded (and decoded) items in memory, separating I/O from compute (--data-cache). */
  dataCache?: boolean;
  /** 'image' | 'text' | 'tensors' | 'none' or a module path; default: guessed from `data`, else 'none'. */
  pipeline?: string;
  /** Pipeline options (--pipeline-opt key=value), e.g. { tokenizer: 'tokenizer.json' }. */
  pipelineOptions?: Record<string, string>;
  /** Built-in postprocess steps, e.g. 'softmax,topk=5' (--postprocess). */
  postprocess?: string;
  /** Labels file for topk (--labels). */
  labels?: string;
  /** Measure every trial this many times, interleaved across trials; default 1. */
  repeat?: number;
  /** Latency / throughput budgets checked per trial, e.g. 'inference.p99<=15ms', 'throughput>=200/s'. */
  budgets?: string[];
  /** Sample CPU / memory / disk / GPU utilisation during each trial; default true. */
  sample?: boolean;
  /** Sampling interval, ms; default 100. */
  sampleIntervalMs?: number;
  /**
   * After a sweep, measure each trial's speed-up against the baseline trial interleaved with it
   * (paired), so machine drift cancels and the speed-up gets an interval; default true.
   */
  pairedSpeedUp?: boolean;
  /**
   * Per-operator profile (ORT's profiler or tf.profile(), after the timed runs), FLOPs and roofline
   * position; default true. The first run on a machine also calibrates its peaks (cached).
   */
  opProfile?: boolean;
  /**
   * Compare the outputs with the ONNX test data sets' output_K.pb (numpy assert_allclose, rtol
   * 1e-3, atol 1e-7 as the ONNX backend tests): true looks in --data, else the model's
   * directory; a string names the directory holding test_data_set_N/. Default: off.
   */
  checkOutputs?: boolean | string;
  /** Calibration cache file for the roofline's peaks; default under $XDG_CACHE_HOME or ~/.cache. */
  calibrationCache?: string;
  /** Where generated fp16/int8 variants are cached; default node_modules/.cache/inferbench or $XDG_CACHE_HOME. */
  variantCacheDir?: string;
  /** Full shapes per input name, e.g. { image: [1, 3, 224, 224] }. */
  shapes?: Record<string, number[]>;
  /** Sizes of symbolic dims by name, e.g. { sequence: 128 }. */
  dims?: Record<string, number>;
  /** The symbolic dim that `batch` sets (--batch-dim), when the heuristic (axis 0, or a batch-like name) is wrong. */
  batchDim?: string;
  /** Constant value per input, e.g. { sr: 16000 }. */
  values?: Record<string, number>;
  /** Uniform range [lo, hi) per input, e.g. { input_ids: [0, 30000] }. */
  ranges?: Record<string, [number, number]>;
  /** .npy or raw .bin file per input. */
  inputFiles?: Record<string, string>;
  /** Seed of the synthetic inputs; default 42. */
  seed?: number;
  /** Warm-up bound; default auto (until latency is steady). */
  warmup?: PhaseBound;
  /** Measurement bound; default auto (≥1000 samples and ≥2 s, or a 10 s budget). */
  measure?: PhaseBound;
  /** Aborting stops the measurement; the report keeps what was measured and says interrupted. */
  signal?: AbortSignal;
  /** The command line to record in the report; default process.argv. */
  argv?: string[];
}

export interface ResolvedProfileOptions {
  model: string;
  devices: string[];
  precisions: Precision[];
  variants: Partial<Record<Precision, string>>;
  threads: (number | null)[];
  interThreads: number | null;
  graphOptimization: GraphOptimization;
  batches: (number | null)[];
  concurrency: number[];
  outputs: OutputHandling[];
  isolate: boolean;
  variantCacheDir: string | null;
  pipeline: { name: string; data: string | null; dataCache: boolean; options: Record<string, string>; postprocess: string | null; labels: string | null };
  repeat: number;
  budgets: Budget[];
  sample: boolean;
  sampleIntervalMs: number;
  opProfile: boolean;
  pairedSpeedUp: boolean;
  /** Directory holding test_data_set_N/ to check outputs against, or null (off). */
  checkOutputs: string | null;
  calibrationCache: string | null;
  pins: InputPins;
  seed: number;
  warmup: PhaseBound;
  measure: PhaseBound;
  signal: AbortSignal | undefined;
  argv: string[];
}

export const GRAPH_OPTIMIZATIONS: readonly GraphOptimization[] = ['disabled', 'basic', 'extended', 'all'];
export const DEFAULT_SEED = 42;

export function resolveProfileOptions(options: ProfileOptions): ResolvedProfileOptions {
  if (!options.model) throw new InferbenchError('usage', 'no model given', `pass a model path, e.g. inferbench profile ${packagePath('fixtures/cnn.onnx')}`);
  const graphOptimization = options.graphOptimization ?? 'all';
  if (!GRAPH_OPTIMIZATIONS.includes(graphOptimization)) {
    throw new InferbenchError('usage', `unknown graph optimisation level '${graphOptimization}'`, `use one of: ${GRAPH_OPTIMIZATIONS.join(', ')}`);
  }
  if (options.data && (options.pipeline ?? pipelineForData(options.data)) === null) {
    throw new InferbenchError('usage', `--data ${options.data}: cannot tell which pipeline reads these files`, 'pass --pipeline image|text|tensors or --pipeline ./my-pipeline.mjs');
  }
  if (options.data && options.pipeline === 'none') {
    throw new InferbenchError('usage', '--data needs a pipeline to turn the files into model inputs, not --pipeline none', 'pass --pipeline image|text|tensors or a module path');
  }
  checkPipelineFlags(options);
  return {
    model: options.model,
    devices: nonEmpty(listOf(options.device ?? 'cpu'), 'device'),
    precisions: nonEmpty(listOf(options.precision ?? 'fp32'), 'precision').map(checkPrecision),
    variants: options.variants ?? {},
    threads: nonEmpty(listOf(options.threads ?? null), 'threads').map((t) => boundedThreads(positiveIntOrNull(t, 'threads'), 'threads')),
    interThreads: boundedThreads(positiveIntOrNull(options.interThreads, 'interThreads'), 'interThreads'),
    graphOptimization,
    batches: nonEmpty(listOf(options.batch ?? null), 'batch').map((b) => positiveIntOrNull(b, 'batch')),
    concurrency: concurrencyOf(options),
    outputs: nonEmpty(listOf(options.outputs ?? DEFAULT_OUTPUT_HANDLING), 'outputs').map(checkOutputHandling),
    isolate: options.isolate ?? false,
    variantCacheDir: options.variantCacheDir ?? null,
    pipeline: {
      name: options.pipeline ?? (options.data ? pipelineForData(options.data) ?? 'none' : 'none'),
      data: options.data ?? null,
      dataCache: options.dataCache ?? false,
      options: options.pipelineOptions ?? {},
      postprocess: options.postprocess ?? null,
      labels: options.labels ?? null,
    },
    repeat: positiveIntOrNull(options.repeat, 'repeat') ?? 1,
    budgets: parseBudgets(options.budgets ?? []),
    sample: options.sample ?? true,
    sampleIntervalMs: positiveIntOrNull(options.sampleIntervalMs, 'sampleIntervalMs') ?? DEFAULT_SAMPLE_INTERVAL_MS,
    opProfile: options.opProfile ?? true,
    pairedSpeedUp: options.pairedSpeedUp ?? true,
    checkOutputs: checkOutputsDir(options),
    calibrationCache: options.calibrationCache ?? null,
    pins: toPins(options),
    seed: options.seed ?? DEFAULT_SEED,
    warmup: checkBound(options.warmup ?? { kind: 'auto' }, 'warmup', 0),
    measure: checkBound(options.measure ?? { kind: 'auto' }, 'measure', 1),
    signal: options.signal,
    argv: options.argv ?? process.argv.slice(1),
  };
}

function checkOutputsDir(options: ProfileOptions): string | null {
  if (options.checkOutputs === undefined || options.checkOutputs === false) return null;
  if (typeof options.checkOutputs === 'string') return options.checkOutputs;
  return options.data ?? dirname(options.model);
}

function listOf<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? [...new Set(value)] : [value];
}

function nonEmpty<T>(values: T[], name: string): T[] {
  if (values.length === 0) throw new InferbenchError('usage', `${name}: the list is empty`);
  return values;
}

function checkPrecision(value: Precision): Precision {
  if (!PRECISIONS.includes(value)) {
    throw new InferbenchError('usage', `unknown precision '${String(value)}'`, `use one or more of: ${PRECISIONS.join(', ')}`);
  }
  return value;
}

function toPins(options: ProfileOptions): InputPins {
  const pins = emptyPins();
  const fill = <V>(target: Map<string, V>, source: Record<string, V> | undefined): void => {
    for (const [name, value] of Object.entries(source ?? {})) target.set(name, value);
  };
  fill(pins.shapes, options.shapes);
  fill(pins.dims, options.dims);
  fill(pins.values, options.values);
  fill(pins.ranges, options.ranges);
  fill(pins.files, options.inputFiles);
  if (options.batchDim !== undefined) pins.batchDim = options.batchDim;
  return pins;
}

export function checkOutputHandling(value: string): OutputHandling {
  if (OUTPUT_HANDLINGS.includes(value as OutputHandling)) return value as OutputHandling;
  throw new InferbenchError('usage', `unknown output handling '${value}'`, `use one or more of: ${OUTPUT_HANDLINGS.join(', ')} (docs/large-outputs.md)`);
}

/** Concurrency > 1 runs synthetic feeds in worker threads: a data pipeline stays in this thread. */
function concurrencyOf(options: ProfileOptions): number[] {
  const values = nonEmpty(listOf(options.concurrency ?? 1), 'concurrency').map((c) => positiveIntOrNull(c, 'concurrency') ?? 1);
  if (values.some((c) => c > MAX_CONCURRENCY)) throw new InferbenchError('usage', `concurrency must be at most ${MAX_CONCURRENCY}, got ${Math.max(...values)}`, 'each stream is a thread with its own session');
  if (values.some((c) => c > 1) && (options.data !== undefined || options.postprocess !== undefined || (options.pipeline !== undefined && options.pipeline !== 'none'))) {
    throw new InferbenchError('usage', '--concurrency above 1 runs synthetic inputs only, not --data, --pipeline or --postprocess', 'measure the pipeline at --concurrency 1, or the model alone under load');
  }
  return [...new Set(values)];
}

/** Threads with a session each; beyond this a sweep is more likely a typo than a plan. */
const MAX_CONCURRENCY = 256;

/**
 * Oversubscription bound: ORT starts one OS thread per requested thread before the first run,
 * so `--threads 9999` spends minutes creating threads (2,296 after 71 s) and then measures the
 * scheduler. Four threads per logical core still lets a sweep show what oversubscription costs.
 */
export const MAX_THREADS_PER_CORE = 4;

function boundedThreads(value: number | null, name: string): number | null {
  const cores = availableParallelism();
  const max = MAX_THREADS_PER_CORE * cores;
  if (value !== null && value > max) {
    throw new InferbenchError('usage', `${name} must be at most ${max} (${MAX_THREADS_PER_CORE} per logical core, ${cores} cores here), got ${value}`, 'more threads than that only measures the OS scheduler; the runtime default is one per physical core');
  }
  return value;
}

function positiveIntOrNull(value: number | null | undefined, name: string): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isInteger(value) || value < 1) {
    throw new InferbenchError('usage', `${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function checkBound(bound: PhaseBound, name: string, minCount: number): PhaseBound {
  if (bound.kind === 'count' && (!Number.isInteger(bound.iterations) || bound.iterations < minCount)) {
    throw new InferbenchError('usage', `${name} iterations must be an integer ≥ ${minCount}, got ${bound.iterations}`);
  }
  if (bound.kind === 'time' && !(bound.ms > 0)) {
    throw new InferbenchError('usage', `${name} duration must be positive, got ${bound.ms} ms`);
  }
  return bound;
}
