// The public, JSON-friendly options of profile() and their validation. The CLI parses strings into
// this shape; library users write it directly. Every default comes from options/declarations.ts.
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import type { RemoteClientOptions } from './adapters/adapter.js';
import { InferbenchError } from './errors.js';
import { packagePath } from './package-paths.js';
import { checkOneFillPerInput, emptyPins, type InputPins } from './inputs/pins.js';
import { defaultOf, type DeclaredOptions } from './options/declarations.js';
import { checkOutputHandling } from './options/parse.js';
import { checkShard, type Shard } from './merge/shard.js';
import { loadSplitFor, type LoadSplit } from './merge/load-split.js';
import { isRemoteTarget } from './adapters/remote-url.js';
import { parseBudgets, type Budget } from './budget/budget.js';
import { parseObjective, type Objective } from './budget/best.js';
import { checkPipelineFlags, pipelineForData } from './pipeline/resolve.js';
import { resolveServiceOptions, type ResolvedService } from './load/service-options.js';
import { GRAPH_OPTIMIZATIONS, PRECISIONS, type GraphOptimization, type OutputHandling, type PhaseBound, type Precision } from './types.js';

/**
 * The options of profile(). Every field but these three is declared, with its flag, help, default
 * and config key, in options/declarations.ts (docs/options.md lists them).
 */
export type ProfileOptions = DeclaredOptions & {
  /** Path to the model: .onnx, a TensorFlow.js model.json (or its directory), or a SavedModel directory. */
  model: string;
  /** Aborting stops the measurement; the report keeps what was measured and says interrupted. */
  signal?: AbortSignal;
  /** The command line to record in the report; default process.argv. */
  argv?: string[];
};

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
  /** Open-loop service trials (--rate and the serving knobs); null = closed loop. */
  service: ResolvedService | null;
  isolate: boolean;
  variantCacheDir: string | null;
  pipeline: { name: string; data: string | null; dataCache: boolean; options: Record<string, string>; postprocess: string | null; labels: string | null };
  repeat: number;
  budgets: Budget[];
  /** What "best" ranks by (--objective). */
  objective: Objective;
  /** ms a trial may measure past its bound while a budget is undecided; 0 = never. */
  budgetTimeCapMs: number;
  /** The CLI exits 1 on an inconclusive budget too (recorded here so the report says how it was gated). */
  failOnInconclusive: boolean;
  sample: boolean;
  sampleIntervalMs: number;
  opProfile: boolean;
  pairedSpeedUp: boolean;
  /** Directory holding test_data_set_N/ to check outputs against, or null (off). */
  checkOutputs: string | null;
  /** A URL target's client: encoding, headers (with --token), TLS, timeout; never reported as given. */
  remote: RemoteClientOptions;
  /** A URL target's model file: the first request's outputs are compared with it in process; null = none. */
  reference: string | null;
  calibrationCache: string | null;
  pins: InputPins;
  /** --shard I/N: measure only this shard's part of the plan; null = the whole plan. */
  shard: Shard | null;
  /** --rate R --shard I/N against a URL: every trial of the plan at R/N with this shard's seed (merge/load-split.ts); null = --shard splits the plan. */
  loadSplit: LoadSplit | null;
  seed: number;
  warmup: PhaseBound;
  measure: PhaseBound;
  signal: AbortSignal | undefined;
  argv: string[];
}


export function resolveProfileOptions(options: ProfileOptions): ResolvedProfileOptions {
  if (!options.model) throw new InferbenchError('usage', 'no model given', `pass a model path, e.g. inferbench profile ${packagePath('fixtures/cnn.onnx')}`);
  const graphOptimization = options.graphOptimization ?? defaultOf('graphOptimization')!;
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
  const service = resolveServiceOptions(options);
  const shard = options.shard === undefined ? null : checkShard(options.shard);
  return {
    model: options.model,
    devices: nonEmpty(listOf(options.device ?? defaultOf('device')!), 'device'),
    precisions: nonEmpty(listOf(options.precision ?? defaultOf('precision')!), 'precision').map(checkPrecision),
    variants: options.variants ?? {},
    threads: nonEmpty(listOf(options.threads ?? null), 'threads').map((t) => boundedThreads(positiveIntOrNull(t, 'threads'), 'threads')),
    interThreads: boundedThreads(positiveIntOrNull(options.interThreads, 'interThreads'), 'interThreads'),
    graphOptimization,
    batches: nonEmpty(listOf(options.batch ?? null), 'batch').map((b) => positiveIntOrNull(b, 'batch')),
    concurrency: concurrencyOf(options),
    outputs: nonEmpty(listOf(options.outputs ?? defaultOf('outputs')!), 'outputs').map(checkOutputHandling),
    service,
    isolate: options.isolate ?? defaultOf('isolate')!,
    variantCacheDir: options.variantCacheDir ?? null,
    pipeline: {
      name: options.pipeline ?? (options.data ? pipelineForData(options.data) ?? 'none' : 'none'),
      data: options.data ?? null,
      dataCache: options.dataCache ?? defaultOf('dataCache')!,
      options: options.pipelineOptions ?? {},
      postprocess: options.postprocess ?? null,
      labels: options.labels ?? null,
    },
    repeat: positiveIntOrNull(options.repeat, 'repeat') ?? defaultOf('repeat')!,
    budgets: parseBudgets(options.budgets ?? []),
    objective: parseObjective(options.objective ?? defaultOf('objective')!),
    budgetTimeCapMs: nonNegativeMs(options.budgetTimeCap ?? defaultOf('budgetTimeCap')!, 'budgetTimeCap'),
    failOnInconclusive: options.failOnInconclusive ?? defaultOf('failOnInconclusive')!,
    sample: options.sample ?? defaultOf('sample')!,
    sampleIntervalMs: positiveIntOrNull(options.sampleIntervalMs, 'sampleIntervalMs') ?? defaultOf('sampleIntervalMs')!,
    opProfile: options.opProfile ?? defaultOf('opProfile')!,
    pairedSpeedUp: options.pairedSpeedUp ?? defaultOf('pairedSpeedUp')!,
    checkOutputs: checkOutputsDir(options),
    remote: remoteOptionsOf(options),
    reference: options.reference ?? null,
    calibrationCache: options.calibrationCache ?? null,
    pins: toPins(options),
    shard,
    loadSplit: loadSplitFor({ shard, remote: isRemoteTarget(options.model), service }),
    seed: options.seed ?? defaultOf('seed')!,
    warmup: checkBound(options.warmup ?? defaultOf('warmup')!, 'warmup', 0),
    measure: checkBound(options.measure ?? defaultOf('measure')!, 'measure', 1),
    signal: options.signal,
    argv: options.argv ?? process.argv.slice(1),
  };
}

function nonNegativeMs(value: number, name: string): number {
  if (!(value >= 0) || !Number.isFinite(value)) throw new InferbenchError('usage', `${name} must be a duration of 0 or more (ms), got ${value}`, 'e.g. 10000 (10 s), or 0 for off');
  return value;
}

/** The client side of a URL target; --token becomes an Authorization header (INFERBENCH_TOKEN: adapters/remote.ts). */
function remoteOptionsOf(options: ProfileOptions): RemoteClientOptions {
  const headers = { ...options.headers, ...(options.token !== undefined && { authorization: `Bearer ${options.token}` }) };
  return { encoding: options.encoding ?? defaultOf('encoding')!, headers, timeoutMs: nonNegativeMs(options.requestTimeout ?? defaultOf('requestTimeout')!, 'requestTimeout'), tlsCa: options.tlsCa ?? null, insecure: options.insecure ?? defaultOf('insecure')! };
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
  checkOneFillPerInput(pins);
  return pins;
}


/** Concurrency > 1 runs synthetic feeds in worker threads: a data pipeline stays in this thread. */
function concurrencyOf(options: ProfileOptions): number[] {
  const values = nonEmpty(listOf(options.concurrency ?? defaultOf('concurrency')!), 'concurrency').map((c) => positiveIntOrNull(c, 'concurrency') ?? 1);
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
