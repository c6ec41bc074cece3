// Every option of profile() declared once: the library field, its command-line flag, help, default,
// parser and config-file key. Derived from this table: `ProfileOptions` (the library's type),
// commander's options (cli/declared-flags.ts), resolveProfileOptions' defaults, the config file's
// mapping (config/profile-options.ts) and JSON Schema (config-schema.ts), and the option table in
// docs/options.md (scripts/gen-options.mjs; a test checks both generated files are current).
// Adding an option is one entry here plus its behaviour. Light on purpose: `--help` loads it.
import { InferbenchError } from '../errors.js';
import { addDimPin, addFilePin, addRangePin, addShapePin, addValuePin } from '../inputs/pins.js';
import { DEFAULT_OUTPUT_HANDLING, DEFAULT_SAMPLE_INTERVAL_MS, GRAPH_OPTIMIZATIONS, OUTPUT_HANDLINGS, PRECISIONS, type GraphOptimization, type OutputHandling, type PhaseBound, type Precision } from '../types.js';
import { parseShard, type Shard } from '../merge/shard.js';
import { DEFAULT_ARRIVALS } from '../load/service-id.js';
import { parseRateList } from '../load/rate-list.js';
import { BATCHING_POLICIES, type BatchingPolicy } from '../model/service.js';
import { checkOutputHandling, parseBatchList, parseBoundedInt, parseDurationMs, parseKeyValue, parseList, parseNonNegativeInt, parsePositiveInt, parsePrecisionList, parseVariant, parseWarmup } from './parse.js';

/** Where the option sits in --help and docs/options.md. */
export type OptionGroup = 'sweep' | 'service' | 'endpoint' | 'inputs' | 'data' | 'measure' | 'analysis';

/** `--header 'Name: value'` (repeatable) added to the headers so far. */
function parseHeader(raw: string, previous: Record<string, string> | undefined): Record<string, string> {
  const at = raw.indexOf(':');
  const name = raw.slice(0, at).trim();
  if (at <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new InferbenchError('usage', `--header '${raw.slice(0, 40)}' is not 'Name: value'`, 'e.g. --header "Authorization: Bearer TOKEN"');
  return { ...previous, [name]: raw.slice(at + 1).trim() };
}

/**
 * Where a config file (inferbench.config.json) sets the option: `sweep.<name>` (a list: an axis),
 * `measure.<name>`, `pipeline.<name>` (top level, overridden field by field by a model's own),
 * `model.<name>` (in a models[] entry) or a top-level `<name>`.
 */
export interface ConfigKey<T> {
  at: string;
  /** JSON Schema of the value in the file. */
  schema: Record<string, unknown>;
  /** File value (schema-valid) → library value; default: as is. `where` names the file and field for messages. */
  read?: (value: never, where: string) => T;
}

export interface OptionDeclaration<K extends string = string, T = unknown> {
  /** The profile() option (ProfileOptions field). Two declarations may share one (-n, --duration). */
  key: K;
  /** commander flags, e.g. '-d, --device <list>'; absent for library-only options. */
  flags?: string;
  help: string;
  group: OptionGroup;
  /** The library default (resolveProfileOptions applies it); absent = unset. */
  default?: T;
  /** How --help and the docs show the default, when not the value itself. */
  defaultText?: string;
  /** Command-line text → library value; `previous` is what earlier copies gave (repeatable flags). */
  parse?: (raw: string, previous: T | undefined) => T;
  /** The value a boolean flag sets (`--no-sample` sets false). */
  flagValue?: T;
  choices?: readonly string[];
  /** Also a flag of `compare BASE HEAD` (how to run the models); otherwise `profile` only. */
  paired?: boolean;
  /** Also a flag of `inferbench run`, overriding the config file. */
  run?: boolean;
  config?: ConfigKey<T>;
}

function single<T>(values: readonly T[], where: string, name: string): T {
  if (values.length > 1) {
    throw new InferbenchError('usage', `${where} lists ${values.length} values, but ${name} is one setting per run, not a sweep axis`, `keep one value in sweep.${name}, or write one config per value`);
  }
  return values[0]!;
}

/** --max-delay: a duration (2ms, 0.5ms, 1s) or 0. */
function parseDelayMs(raw: string): number {
  return raw.trim() === '0' ? 0 : parseDurationMs(raw, '--max-delay');
}

/** A duration ("10s"), a bare number of milliseconds, or 0 for off. */
function parseCap(raw: string, where: string): number {
  return /^\s*\d+\s*$/.test(raw) ? Number(raw) : parseDurationMs(raw, where);
}

const declare = <T>() => <K extends string>(d: OptionDeclaration<K, T>): OptionDeclaration<K, T> => d;

const list = { type: 'array', minItems: 1 } as const;
const text = { type: 'string', minLength: 1 } as const;
const DURATION_SCHEMA = { type: 'string', pattern: '^\\d+(\\.\\d+)?(ms|s|m)$' } as const;

export const OPTION_DECLARATIONS = [
  // --- the sweep: what is measured ------------------------------------------------------------
  declare<string | string[]>()({
    key: 'device', flags: '-d, --device <list>', group: 'sweep', paired: true, default: 'cpu',
    help: 'execution device(s): cpu, cuda, tensorrt, webgpu; for TensorFlow.js also wasm, tensorflow, tfjs-cpu (see `inferbench devices`); a list sweeps',
    parse: parseList,
    config: { at: 'sweep.device', schema: { ...list, items: text } },
  }),
  declare<Precision | Precision[]>()({
    key: 'precision', flags: '-p, --precision <list>', group: 'sweep', paired: true, default: 'fp32',
    help: 'precision(s): fp32, fp16, int8 (dynamic), int8-static (QDQ, calibrated on --data or synthetic inputs); variants found or generated (docs/precision-variants.md)',
    parse: parsePrecisionList,
    config: { at: 'sweep.precision', schema: { ...list, items: { enum: PRECISIONS } } },
  }),
  declare<Partial<Record<Precision, string>>>()({
    key: 'variants', flags: '--variant <precision=path>', group: 'sweep',
    help: 'a precision variant file, e.g. int8=model.int8.onnx (repeatable)',
    parse: parseVariant,
  }),
  declare<number | null | (number | null)[]>()({
    key: 'threads', flags: '-t, --threads <list>', group: 'sweep', paired: true, default: null, defaultText: 'the runtime decides',
    help: 'intra-op threads, one or a list (a list sweeps)',
    parse: (raw) => parseList(raw).map((t) => parsePositiveInt(t, '--threads')),
    config: { at: 'sweep.threads', schema: { ...list, items: { oneOf: [{ type: 'integer', minimum: 1 }, { const: 'auto' }] } }, read: (v: (number | 'auto')[]) => v.map((t) => (t === 'auto' ? null : t)) },
  }),
  declare<number | null>()({
    key: 'interThreads', flags: '--inter-threads <n>', group: 'sweep', paired: true, default: null, defaultText: 'the runtime decides',
    help: 'inter-op threads (turns on parallel execution)',
    parse: (raw) => parsePositiveInt(raw, '--inter-threads'),
  }),
  declare<GraphOptimization>()({
    key: 'graphOptimization', flags: '--graph-opt <level>', group: 'sweep', paired: true, default: 'all', choices: GRAPH_OPTIMIZATIONS,
    help: 'graph optimisation level',
    parse: (raw) => raw as GraphOptimization,
    // One setting per run, not a sweep axis: a list keeps the file's shape like the axes', and more
    // than one value is refused with a message that says so (never silently reduced to the first).
    config: { at: 'sweep.graphOptimization', schema: { ...list, items: { enum: GRAPH_OPTIMIZATIONS } }, read: (v: GraphOptimization[], where) => single(v, where, 'graphOptimization') },
  }),
  declare<number | null | number[]>()({
    key: 'batch', flags: '-b, --batch <list>', group: 'sweep', paired: true, default: null, defaultText: "the model's own, or 1 for a symbolic batch dim",
    help: 'batch size(s): 8, 1,2,4 or a range 1..64:x2',
    parse: parseBatchList,
    config: { at: 'sweep.batch', schema: { ...list, items: { type: 'integer', minimum: 1 } } },
  }),
  declare<number | number[]>()({
    key: 'concurrency', flags: '-c, --concurrency <list>', group: 'sweep', default: 1,
    help: 'requests in flight at once, each on its own session in a worker thread (throughput under load); a list sweeps',
    parse: (raw) => parseList(raw).map((c) => parsePositiveInt(c, '--concurrency')),
    config: { at: 'sweep.concurrency', schema: { ...list, items: { type: 'integer', minimum: 1 } } },
  }),
  declare<OutputHandling | OutputHandling[]>()({
    key: 'outputs', flags: '--outputs <list>', group: 'sweep', paired: true, default: DEFAULT_OUTPUT_HANDLING,
    help: "what happens to each request's outputs: drop (released at once), dispose, reuse (previous outputs stay alive), fetches (preallocated, ONNX); a list sweeps (docs/large-outputs.md)",
    parse: (raw) => parseList(raw).map(checkOutputHandling),
    config: { at: 'sweep.outputs', schema: { ...list, items: { enum: OUTPUT_HANDLINGS } } },
  }),
  declare<boolean>()({
    key: 'isolate', flags: '--isolate', group: 'sweep', paired: true, default: false, flagValue: true,
    help: 'run each trial in its own process (a crash or OOM loses one trial only)',
  }),
  declare<Shard>()({
    key: 'shard', flags: '--shard <i/n>', group: 'sweep', run: true,
    help: 'measure shard I of N of the plan (every N-th trial from the I-th), for N machines; with --rate and an endpoint URL, every trial at 1/N of its rate instead (one load split over N clients); job/N takes I from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); join the reports with `inferbench merge` (docs/scale-out.md)',
    // The CLI's environment: a Kubernetes Indexed Job sets JOB_COMPLETION_INDEX in each pod.
    parse: (raw) => parseShard(raw, process.env),
  }),

  // --- service latency: open-loop arrivals, the batcher, instances (docs/service-latency.md) --------
  declare<number[] | 'auto'>()({
    key: 'rate', flags: '--rate <list>', group: 'service', paired: true,
    help: 'open-loop load: requests/s, one, a list or a range (100..800:x2), each a trial timed from the intended arrival through a queue, batcher and instances; a list sweeps; auto finds the highest rate within --budget (the knee)',
    parse: parseRateList,
    config: { at: 'sweep.rate', schema: { oneOf: [{ ...list, items: { type: 'number', exclusiveMinimum: 0 } }, { const: 'auto', description: 'the knee search: the highest rate within the latency budget' }] } },
  }),
  declare<string>()({
    key: 'arrivals', flags: '--arrivals <kind|file>', group: 'service', paired: true, default: DEFAULT_ARRIVALS,
    help: 'with --rate: constant, poisson (seeded by --seed) or a file of arrival offsets in ms, one per line, replayed at --rate',
    parse: (raw) => raw,
    config: { at: 'sweep.arrivals', schema: { ...list, items: text }, read: (v: string[], where) => single(v, where, 'arrivals') },
  }),
  declare<number>()({
    key: 'maxBatch', flags: '--max-batch <n>', group: 'service', paired: true, default: 1, defaultText: '1 (no batching)',
    help: "with --rate: the dynamic batcher's largest batch, in items along the batch dim (Triton max_batch_size, TorchServe batch_size, Ray max_batch_size)",
    parse: (raw) => parsePositiveInt(raw, '--max-batch'),
    config: { at: 'sweep.maxBatch', schema: { ...list, items: { type: 'integer', minimum: 1 } }, read: (v: number[], where) => single(v, where, 'maxBatch') },
  }),
  declare<number>()({
    key: 'maxDelayMs', flags: '--max-delay <time>', group: 'service', paired: true, default: 0, defaultText: '0 (no wait)',
    help: 'with --rate: how long the batcher may hold requests for a fuller batch, e.g. 2ms (Triton max_queue_delay_microseconds, TorchServe max_batch_delay, Ray batch_wait_timeout_s)',
    parse: (raw) => parseDelayMs(raw),
    config: { at: 'sweep.maxDelay', schema: { ...list, items: { type: 'string', pattern: '^(0|\\d+(\\.\\d+)?(ms|s))$' } }, read: (v: string[], where) => parseDelayMs(single(v, where, 'maxDelay')) },
  }),
  declare<BatchingPolicy>()({
    key: 'batching', flags: '--batching <policy>', group: 'service', paired: true, default: 'triton', choices: BATCHING_POLICIES,
    help: 'with --rate: triton (hold only while a full batch cannot form, up to the delay since the oldest request) or timeout (TorchServe/Ray: the delay runs from the first request a free instance picks)',
    parse: (raw) => raw as BatchingPolicy,
    config: { at: 'sweep.batching', schema: { ...list, items: { enum: BATCHING_POLICIES } }, read: (v: BatchingPolicy[], where) => single(v, where, 'batching') },
  }),
  declare<number>()({
    key: 'instances', flags: '--instances <n>', group: 'service', paired: true, default: 1,
    help: 'with --rate: model instances, each a session in its own worker thread running one batch at a time (intra-op threads each: --threads, else (cores − 1) ÷ instances)',
    parse: (raw) => parsePositiveInt(raw, '--instances'),
    config: { at: 'sweep.instances', schema: { ...list, items: { type: 'integer', minimum: 1 } }, read: (v: number[], where) => single(v, where, 'instances') },
  }),
  declare<number>()({
    key: 'queueLimit', flags: '--queue-limit <n>', group: 'service', paired: true, defaultText: 'unbounded',
    help: 'with --rate: requests that may wait; arrivals beyond it are dropped and counted (never left out silently)',
    parse: (raw) => parsePositiveInt(raw, '--queue-limit'),
    config: { at: 'sweep.queueLimit', schema: { ...list, items: { type: 'integer', minimum: 1 } }, read: (v: number[], where) => single(v, where, 'queueLimit') },
  }),
  declare<number>()({
    key: 'connections', flags: '--connections <n>', group: 'service', paired: true, default: 32,
    help: "with --rate and a URL: the client's connections, opened and warmed before the probe, one request at a time each; an arrival with all busy waits (counted, and warned as the client's limit)",
    parse: (raw) => parsePositiveInt(raw, '--connections'),
    config: { at: 'sweep.connections', schema: { type: 'integer', minimum: 1 } },
  }),
  declare<boolean>()({
    key: 'adviseBatching', flags: '--advise-batching', group: 'service', default: false, flagValue: true,
    help: 'with --rate auto: measure S(b) up to --max-batch, predict the knee of each max batch × max delay, replay the best and no batching, and recommend (Triton/TorchServe/Ray Serve keys) only what the replay confirms',
  }),

  // --- remote endpoints: profile URL (docs/endpoints.md) --------------------------------------------
  declare<'auto' | 'json' | 'binary' | 'columnar'>()({
    key: 'encoding', flags: '--encoding <kind>', group: 'endpoint', default: 'auto', choices: ['auto', 'json', 'binary', 'columnar'],
    help: 'a URL target: how tensors travel — KServe REST json or binary (the binary tensor extension), TF Serving json (rows, "instances") or columnar ("inputs"); auto = json, gRPC always raw contents',
    parse: (raw) => raw as 'auto',
    config: { at: 'model.encoding', schema: { enum: ['auto', 'json', 'binary', 'columnar'] } },
  }),
  declare<Record<string, string>>()({
    key: 'headers', flags: '--header <name: value>', group: 'endpoint',
    help: 'a URL target: a request header, e.g. "Authorization: Bearer …" (repeatable); never written to a report',
    parse: parseHeader,
    config: { at: 'model.headers', schema: { type: 'object', additionalProperties: { type: 'string' } } },
  }),
  declare<string>()({
    key: 'token', flags: '--token <token>', group: 'endpoint', defaultText: '$INFERBENCH_TOKEN',
    help: 'a URL target: a bearer token (Authorization: Bearer …); never written to a report',
    parse: (raw) => raw,
  }),
  declare<string>()({
    key: 'tlsCa', flags: '--tls-ca <file>', group: 'endpoint', defaultText: "the system's CAs",
    help: 'an https:// or grpcs:// target: PEM file of the CA that signed the server certificate',
    parse: (raw) => raw,
    config: { at: 'model.tlsCa', schema: text },
  }),
  declare<boolean>()({
    key: 'insecure', flags: '--insecure', group: 'endpoint', default: false, flagValue: true,
    help: 'an https:// or grpcs:// target: accept any server certificate (a self-signed test server)',
    config: { at: 'model.insecure', schema: { type: 'boolean' } },
  }),
  declare<number>()({
    key: 'requestTimeout', flags: '--request-timeout <time>', group: 'endpoint', default: 30_000, defaultText: '30s',
    help: 'a URL target: a request not answered within this time fails the trial (a bare number is ms)',
    parse: (raw) => (/^\d+$/.test(raw.trim()) && Number(raw) > 0 ? Number(raw) : parseDurationMs(raw, '--request-timeout')),
    config: { at: 'model.requestTimeout', schema: DURATION_SCHEMA, read: (v: string, where) => parseDurationMs(v, where) },
  }),
  declare<boolean>()({
    key: 'serve', flags: '--serve', group: 'endpoint', default: false, flagValue: true,
    help: 'a model file: profile it in process and behind a local `inferbench serve` (KServe REST JSON and binary, gRPC, TF Serving REST), and report what each protocol adds, stage by stage (docs/endpoints.md)',
  }),
  declare<string>()({
    key: 'reference', flags: '--reference <model>', group: 'endpoint',
    help: "a URL target: the model file behind it; the first request's outputs are compared with it run in process (names, shapes, types, values)",
    parse: (raw) => raw,
    config: { at: 'model.reference', schema: text },
  }),

  // --- inputs -----------------------------------------------------------------------------------
  declare<Record<string, number[]>>()({
    key: 'shapes', flags: '--shape <name=AxBxC>', group: 'inputs', paired: true,
    help: 'full shape of an input (repeatable)',
    parse: addShapePin,
    config: { at: 'model.shapes', schema: { type: 'object', additionalProperties: { ...list, items: { type: 'integer', minimum: 1 } } } },
  }),
  declare<Record<string, number>>()({
    key: 'dims', flags: '--dim <name=size>', group: 'inputs', paired: true,
    help: 'size of a symbolic dim, e.g. sequence=128 (repeatable)',
    parse: addDimPin,
    config: { at: 'model.dims', schema: { type: 'object', additionalProperties: { type: 'integer', minimum: 1 } } },
  }),
  declare<string>()({
    key: 'batchDim', flags: '--batch-dim <name>', group: 'inputs', paired: true,
    help: 'the symbolic dim --batch sets, when it is not axis 0 or batch-like (e.g. N in [seq, N])',
    parse: (raw) => raw,
    config: { at: 'model.batchDim', schema: text },
  }),
  declare<Record<string, number>>()({
    key: 'values', flags: '--value <name=number>', group: 'inputs', paired: true,
    help: 'fill an input with a constant (repeatable)',
    parse: addValuePin,
    config: { at: 'model.values', schema: { type: 'object', additionalProperties: { type: 'number' } } },
  }),
  declare<Record<string, [number, number]>>()({
    key: 'ranges', flags: '--range <name=lo:hi>', group: 'inputs', paired: true,
    help: 'uniform values in [lo, hi) for an input (repeatable)',
    parse: addRangePin,
    config: { at: 'model.ranges', schema: { type: 'object', additionalProperties: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'number' } } } },
  }),
  declare<Record<string, string>>()({
    key: 'inputFiles', flags: '--input-file <name=path>', group: 'inputs', paired: true,
    help: 'read an input from a .npy or raw .bin file (repeatable)',
    parse: addFilePin,
    config: { at: 'model.inputFiles', schema: { type: 'object', additionalProperties: text } },
  }),
  declare<number>()({
    key: 'seed', flags: '--seed <n>', group: 'inputs', default: 42,
    help: 'seed of the synthetic inputs',
    parse: (raw) => parseNonNegativeInt(raw, '--seed'),
    config: { at: 'measure.seed', schema: { type: 'integer', minimum: 0 } },
  }),

  // --- real data and pipelines ------------------------------------------------------------------
  declare<string>()({
    key: 'data', flags: '--data <path>', group: 'data', paired: true,
    help: 'real inputs: a file, a directory or a quoted glob; timed as the load stage',
    parse: (raw) => raw,
    config: { at: 'pipeline.data', schema: { description: 'A file, a directory or a glob of inputs; timed as the load stage.', ...text } },
  }),
  declare<boolean>()({
    key: 'dataCache', flags: '--data-cache', group: 'data', paired: true, default: false, flagValue: true,
    help: 'keep loaded and decoded inputs in memory (separates I/O from compute)',
    config: { at: 'pipeline.cache', schema: { type: 'boolean' } },
  }),
  declare<string>()({
    key: 'pipeline', flags: '--pipeline <name|path>', group: 'data', paired: true, defaultText: 'from --data, else none',
    help: 'image, text, tensors, none, or your module ./pipeline.mjs|.ts',
    parse: (raw) => raw,
    config: { at: 'pipeline.name', schema: { description: 'image, text, tensors, none, or a module path (.mjs/.js/.ts); default: guessed from data.', ...text } },
  }),
  declare<Record<string, string>>()({
    key: 'pipelineOptions', flags: '--pipeline-opt <key=value>', group: 'data', paired: true,
    help: 'pipeline option, e.g. tokenizer=tokenizer.json, interpolation=bicubic (repeatable)',
    parse: (raw, previous) => parseKeyValue(raw, previous, '--pipeline-opt'),
    config: { at: 'pipeline.options', schema: { description: 'tokenizer and tokenizer-config are paths.', type: 'object', additionalProperties: { type: 'string' } } },
  }),
  declare<string>()({
    key: 'postprocess', flags: '--postprocess <steps>', group: 'data', paired: true,
    help: 'built-in postprocess steps: softmax, argmax, topk=5 (comma-separated)',
    parse: (raw) => raw,
    config: { at: 'pipeline.postprocess', schema: text },
  }),
  declare<string>()({
    key: 'labels', flags: '--labels <file>', group: 'data', paired: true,
    help: 'class labels, one per line, for topk',
    parse: (raw) => raw,
    config: { at: 'pipeline.labels', schema: text },
  }),

  // --- how long: warm-up and measurement ----------------------------------------------------------
  declare<PhaseBound>()({
    key: 'warmup', flags: '-w, --warmup <n|time|auto>', group: 'measure', paired: true, run: true, default: { kind: 'auto' }, defaultText: 'auto',
    help: 'warm-up: iterations (20), a duration (2s) or auto (until steady)',
    parse: parseWarmup,
    config: { at: 'measure.warmup', schema: { oneOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^(auto|\\d+|\\d+(\\.\\d+)?(ms|s|m))$' }] }, read: (v: number | string) => parseWarmup(String(v)) },
  }),
  declare<PhaseBound>()({
    key: 'measure', flags: '-n, --iterations <n>', group: 'measure', paired: true, run: true, default: { kind: 'auto' }, defaultText: 'auto: ≥1000 samples and ≥2 s, within 10 s',
    help: 'measured iterations',
    parse: (raw) => ({ kind: 'count', iterations: parsePositiveInt(raw, '-n') }),
    config: { at: 'measure.iterations', schema: { type: 'integer', minimum: 1 }, read: (v: number) => ({ kind: 'count', iterations: v }) },
  }),
  declare<PhaseBound>()({
    key: 'measure', flags: '--duration <time>', group: 'measure', paired: true, run: true,
    help: 'measure for this long instead of -n, e.g. 10s',
    parse: (raw) => ({ kind: 'time', ms: parseDurationMs(raw, '--duration') }),
    config: { at: 'measure.duration', schema: DURATION_SCHEMA, read: (v: string) => ({ kind: 'time', ms: parseDurationMs(v, 'measure.duration') }) },
  }),
  declare<number>()({
    key: 'repeat', flags: '--repeat <n>', group: 'measure', run: true, default: 1,
    help: 'measure every trial n times, interleaved across trials (run-to-run variance; 5 gives compare a rank test)',
    // 100: compare's rank test needs 4 a side; 10^9 passed --dry-run and never ended.
    parse: (raw) => parseBoundedInt(raw, '--repeat', 100, 'each repetition measures every trial again; 5 gives compare its rank test'),
    config: { at: 'measure.repeat', schema: { type: 'integer', minimum: 1, maximum: 100 } },
  }),

  // --- analysis, budgets and checks ---------------------------------------------------------------
  declare<string[]>()({
    key: 'budgets', flags: '--budget <expr>', group: 'analysis',
    help: 'latency/throughput budget, e.g. "inference.p99<=15ms", "throughput>=200/s" (repeatable)',
    parse: (raw, previous) => [...(previous ?? []), raw],
    config: { at: 'budgets', schema: { description: 'Budgets checked on every trial, e.g. "inference.p99<=15ms".', type: 'array', items: text } },
  }),
  declare<string>()({
    key: 'objective', flags: '--objective <metric>', group: 'analysis', default: 'throughput',
    help: 'what "best" means in a sweep: throughput (paired speed-up, else items/s) or the latency to minimise: p50, p99, inference.p99',
    parse: (raw) => raw,
    config: { at: 'objective', schema: { type: 'string', pattern: '^(throughput|((preprocess|inference|postprocess|total)\\.)?p(50|99))$' } },
  }),
  declare<number>()({
    key: 'budgetTimeCap', flags: '--budget-time-cap <duration>', group: 'analysis', default: 10_000, defaultText: '10s',
    help: 'with --budget: keep measuring a trial past -n/--duration while a latency budget is undecided (LoadGen early stopping), at most this much longer; 0 turns it off',
    parse: (raw) => parseCap(raw, '--budget-time-cap'),
    config: { at: 'measure.budgetTimeCap', schema: { type: 'string', pattern: '^(\\d+|\\d+(\\.\\d+)?(ms|s|m))$' }, read: (v: string) => parseCap(v, 'measure.budgetTimeCap') },
  }),
  declare<boolean>()({
    key: 'failOnInconclusive', flags: '--fail-on-inconclusive', group: 'analysis', default: false, flagValue: true,
    help: 'exit 1 when a budget is inconclusive too (its limit inside the interval), not only when violated (strict gates)',
  }),
  declare<boolean>()({
    key: 'opProfile', flags: '--op-profile', group: 'analysis', flagValue: true,
    help: 'per-operator profile after the timed runs, FLOPs and roofline (the default)',
  }),
  declare<boolean>()({
    key: 'opProfile', flags: '--no-op-profile', group: 'analysis', default: true, flagValue: false,
    help: 'skip the per-operator profile, FLOPs and roofline that follow the timed runs (and the first-run calibration of the peaks)',
  }),
  declare<boolean | string>()({
    key: 'checkOutputs', flags: '--check-outputs [dir]', group: 'analysis', default: false, defaultText: 'off',
    help: "also run the ONNX test data sets (DIR/test_data_set_N/input_K.pb; default: --data, else the model's directory) and compare with output_K.pb (rtol 1e-3, atol 1e-7, as ONNX's backend tests); a mismatch exits 1",
    parse: (raw) => raw,
    flagValue: true,
  }),
  declare<boolean>()({
    key: 'sample', flags: '--no-sample', group: 'analysis', paired: true, default: true, flagValue: false,
    help: 'do not sample CPU / memory / disk / GPU utilisation (compare: only with --rate, where contention from other processes is then not checked)',
  }),
  declare<number>()({
    key: 'sampleIntervalMs', flags: '--sample-interval <ms>', group: 'analysis', default: DEFAULT_SAMPLE_INTERVAL_MS,
    help: 'utilisation sampling interval, ms',
    // Past 2^31 ms Node's timers fire after 1 ms instead: a minute is the sampler's useful ceiling.
    parse: (raw) => parseBoundedInt(raw, '--sample-interval', 60_000, 'a sample a minute is the coarsest that still describes a trial'),
  }),
  declare<boolean>()({
    key: 'pairedSpeedUp', flags: '--no-paired-speedup', group: 'analysis', default: true, flagValue: false,
    help: 'sweeps: do not re-measure each trial interleaved with the baseline for its speed-up interval',
  }),
  declare<string>()({
    key: 'calibrationCache', group: 'analysis', defaultText: '$XDG_CACHE_HOME/inferbench/calibration.json (or ~/.cache)',
    help: "calibration cache file for the roofline's peaks",
  }),
  declare<string>()({
    key: 'variantCacheDir', group: 'sweep', defaultText: 'node_modules/.cache/inferbench, else $XDG_CACHE_HOME/inferbench',
    help: 'where generated fp16/int8 variants are cached',
  }),
] as const;

type Declared = (typeof OPTION_DECLARATIONS)[number];
type ValueOf<D> = D extends OptionDeclaration<string, infer T> ? T : never;

/** The options every declaration gives, by field: what `profile()` takes besides model, signal and argv. */
export type DeclaredOptions = { [D in Declared as D['key']]?: ValueOf<D> };
export type DeclaredKey = Declared['key'];

/** The default of a declared option (resolveProfileOptions' single source of defaults). */
export function defaultOf<K extends DeclaredKey>(key: K): NonNullable<DeclaredOptions[K]> | null {
  const found = (OPTION_DECLARATIONS as readonly OptionDeclaration[]).find((d) => d.key === key && d.default !== undefined);
  return (found?.default ?? null) as NonNullable<DeclaredOptions[K]> | null;
}
