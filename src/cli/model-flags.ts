// The flags that say how to run a model — devices, precisions, threads, batch, inputs, data
// pipelines, warm-up and measurement bounds — declared once, for every command that runs models:
// `profile`, and `compare` when it is given two models (paired mode).
import { Option, type Command } from 'commander';
import { collectPins } from '../inputs/pins.js';
import { checkOutputHandling, GRAPH_OPTIMIZATIONS, type ProfileOptions } from '../profile-options.js';
import { parseBatchList, parsePrecisionList } from '../sweep/plan.js';
import type { GraphOptimization } from '../types.js';
import { InferbenchError } from '../errors.js';
import { collect, measureBound, parseDurationMs, parseList, parsePositiveInt, parseWarmup } from '../options/parse.js';

export interface ModelFlags {
  device: string;
  precision: string;
  threads?: string;
  interThreads?: number;
  graphOpt: GraphOptimization;
  batch?: string;
  batchDim?: string;
  outputs?: string;
  isolate: boolean;
  dryRun: boolean;
  data?: string;
  dataCache: boolean;
  pipeline?: string;
  pipelineOpt?: string[];
  postprocess?: string;
  labels?: string;
  shape?: string[];
  dim?: string[];
  value?: string[];
  range?: string[];
  inputFile?: string[];
  warmup: string;
  iterations?: number;
  duration?: number;
}

/** Adds the model flags to `command`; `measureHelp` says what -n and --duration bound there. */
export function addModelFlags(command: Command, measureHelp = { iterations: 'measured iterations (default: auto, ≥1000 samples and ≥2 s within 10 s)', duration: 'measure for this long instead, e.g. 10s' }): Command {
  return command
    .option('-d, --device <list>', 'execution device(s): cpu, cuda, tensorrt, webgpu; for TensorFlow.js also wasm, tensorflow, tfjs-cpu (see `inferbench devices`)', 'cpu')
    .option('-p, --precision <list>', 'precision(s): fp32, fp16, int8 (dynamic), int8-static (QDQ, calibrated on --data or synthetic inputs); variants found or generated', 'fp32')
    .option('-t, --threads <list>', 'intra-op threads, one or a list (default: the runtime decides)')
    .option('--inter-threads <n>', 'inter-op threads (turns on parallel execution)', (v) => parsePositiveInt(v, '--inter-threads'))
    .addOption(new Option('--graph-opt <level>', 'graph optimisation level').choices(GRAPH_OPTIMIZATIONS).default('all'))
    .option('-b, --batch <list>', 'batch size(s): 8, 1,2,4 or a range 1..64:x2')
    .option('--batch-dim <name>', 'the symbolic dim --batch sets, when it is not axis 0 or batch-like (e.g. N in [seq, N])')
    .option('--outputs <list>', 'what happens to each request\'s outputs: drop (default, released at once), dispose, reuse (previous outputs stay alive), fetches (preallocated, ONNX); a list sweeps')
    .option('--isolate', 'run each trial in its own process (a crash or OOM loses one trial only)', false)
    .option('--dry-run', 'print the plan and exit', false)
    .option('--data <path>', 'real inputs: a file, a directory or a quoted glob; timed as the load stage')
    .option('--data-cache', 'keep loaded and decoded inputs in memory (separates I/O from compute)', false)
    .option('--pipeline <name|path>', 'image, text, tensors, none, or your module ./pipeline.mjs|.ts (default: from --data)')
    .option('--pipeline-opt <key=value>', 'pipeline option, e.g. tokenizer=tokenizer.json, interpolation=bicubic (repeatable)', collect)
    .option('--postprocess <steps>', 'built-in postprocess steps: softmax, argmax, topk=5 (comma-separated)')
    .option('--labels <file>', 'class labels, one per line, for topk')
    .option('--shape <name=AxBxC>', 'full shape of an input (repeatable)', collect)
    .option('--dim <name=size>', 'size of a symbolic dim, e.g. sequence=128 (repeatable)', collect)
    .option('--value <name=number>', 'fill an input with a constant (repeatable)', collect)
    .option('--range <name=lo:hi>', 'uniform values in [lo, hi) for an input (repeatable)', collect)
    .option('--input-file <name=path>', 'read an input from a .npy or raw .bin file (repeatable)', collect)
    .option('-w, --warmup <n|time|auto>', 'warm-up: iterations (20), a duration (2s) or auto (until steady)', 'auto')
    .option('-n, --iterations <n>', measureHelp.iterations, (v) => parsePositiveInt(v, '-n'))
    .option('--duration <time>', measureHelp.duration, (v) => parseDurationMs(v, '--duration'));
}

/** The model flags as library options (every value parsed; the model path is the caller's). */
export function modelOptionsFrom(flags: ModelFlags): Omit<ProfileOptions, 'model'> {
  const pins = collectPins({ shape: flags.shape, dim: flags.dim, value: flags.value, range: flags.range, inputFile: flags.inputFile });
  return {
    device: parseList(flags.device),
    precision: parsePrecisionList(flags.precision),
    threads: flags.threads === undefined ? null : parseList(flags.threads).map((t) => parsePositiveInt(t, '--threads')),
    interThreads: flags.interThreads ?? null,
    graphOptimization: flags.graphOpt,
    batch: flags.batch === undefined ? null : parseBatchList(flags.batch),
    ...(flags.batchDim !== undefined && { batchDim: flags.batchDim }),
    ...(flags.outputs !== undefined && { outputs: parseList(flags.outputs).map(checkOutputHandling) }),
    isolate: flags.isolate,
    ...(flags.data !== undefined && { data: flags.data }),
    dataCache: flags.dataCache,
    ...(flags.pipeline !== undefined && { pipeline: flags.pipeline }),
    pipelineOptions: parseKeyValues(flags.pipelineOpt ?? [], '--pipeline-opt'),
    ...(flags.postprocess !== undefined && { postprocess: flags.postprocess }),
    ...(flags.labels !== undefined && { labels: flags.labels }),
    shapes: Object.fromEntries(pins.shapes),
    dims: Object.fromEntries(pins.dims),
    values: Object.fromEntries(pins.values),
    ranges: Object.fromEntries(pins.ranges),
    inputFiles: Object.fromEntries(pins.files),
    warmup: parseWarmup(flags.warmup),
    measure: measureBound(flags.iterations, flags.duration),
  };
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

/** The model flags a user actually set (not left at their defaults), by their flag names. */
export function modelFlagsGiven(command: Command): string[] {
  const names = ['device', 'precision', 'threads', 'interThreads', 'graphOpt', 'batch', 'batchDim', 'outputs', 'isolate', 'dryRun', 'data', 'dataCache', 'pipeline', 'pipelineOpt', 'postprocess', 'labels', 'shape', 'dim', 'value', 'range', 'inputFile', 'warmup', 'iterations', 'duration'];
  return names.filter((name) => command.getOptionValueSource(name) === 'cli').map((name) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
}
