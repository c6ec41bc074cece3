// `inferbench.config.json`: what `inferbench run` measures, enforces, writes and compares with.
// Validated against its JSON Schema (options/config-schema.ts, written out as config.schema.json; ajv, 2020-12); every error names the file and
// the JSON path of the bad field. Budgets and thresholds are parsed here too, so a typo in one
// fails before anything is measured. Relative paths are relative to the config file.
import { readRegularText } from '../io/read-text.js';
import { dirname, resolve } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { parseBudget, type Budget } from '../budget/budget.js';
import { parseRunVariance, parseThresholds, type Thresholds } from '../compare/threshold.js';
import { InferbenchError, messageOf } from '../errors.js';
import { packagePath } from '../package-paths.js';
import { configSchema } from '../options/config-schema.js';

import { DEFAULT_CONFIG_FILE } from './config-file.js';

export { DEFAULT_CONFIG_FILE } from './config-file.js';

/** Real data and its pipeline (profile's --data, --pipeline, --pipeline-opt, --data-cache, --postprocess, --labels). */
export interface PipelineEntry {
  name?: string;
  data?: string;
  cache?: boolean;
  options?: Record<string, string>;
  postprocess?: string;
  labels?: string;
}

export interface ModelEntry {
  path: string;
  pipeline?: PipelineEntry;
  dims?: Record<string, number>;
  batchDim?: string;
  shapes?: Record<string, number[]>;
  values?: Record<string, number>;
  ranges?: Record<string, [number, number]>;
  inputFiles?: Record<string, string>;
}

/** The file as written (after schema validation). */
export interface ConfigFile {
  models: (string | ModelEntry)[];
  /** Sweep axes: the fields and their schema are the option declarations' (`sweep.*`). */
  sweep?: Record<string, unknown>;
  pipeline?: PipelineEntry;
  /** The fields and their schema are the option declarations' (`measure.*`). */
  measure?: Record<string, unknown>;
  budgets?: string[];
  thresholds?: string[];
  runVariance?: string;
  output?: { dir?: string; formats?: string[]; comparison?: string };
  baseline?: string;
  paired?: PairedBase;
}

/** Where paired comparisons take each model's base version: a git ref, or a directory (resolved). */
export interface PairedBase {
  baseRef?: string;
  baseDir?: string;
  epochs?: number;
}

/** A loaded config: paths resolved, budgets and thresholds parsed. */
export interface InferbenchConfig {
  file: string;
  models: ModelEntry[];
  sweep: NonNullable<ConfigFile['sweep']>;
  /** Top-level pipeline (paths resolved); each model's `pipeline` overrides it field by field. */
  pipeline: PipelineEntry;
  measure: NonNullable<ConfigFile['measure']>;
  budgets: Budget[];
  /** The budget strings as written (for `compare --budget`). */
  budgetTexts: string[];
  thresholds: Thresholds;
  thresholdTexts: string[];
  /** compare's run-to-run allowance for a side measured once; undefined = compare's default. */
  runVariance?: number;
  output: { dir: string; formats: string[]; comparison?: string };
  baseline?: string;
  /** Compare each model with its base version, interleaved (compare BASE HEAD), instead of with baseline reports. */
  paired?: PairedBase;
}

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  compiled ??= new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(configSchema());
  return compiled;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(top level)' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `${where}: unknown field '${String(params.additionalProperty)}'`;
  if (error.keyword === 'required') return `${where}: missing required field '${String(params.missingProperty)}'`;
  if (error.keyword === 'enum') return `${where}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return `${where}: ${problem(error)}`;
}

function problem(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'const') return `must be ${JSON.stringify(params.allowedValue)}`;
  return error.message ?? error.keyword;
}

/**
 * Schema errors, one line per field. oneOf echoes are dropped when a branch says more, and the
 * branches' complaints about one field are joined: "/sweep/threads/0: must be integer or must be \"auto\"".
 */
export function configErrors(data: unknown): string[] {
  const validate = validator();
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  // A oneOf echo, or another branch's "must be string" at a parent of a deeper error, says less than the deeper error.
  const deeper = (e: ErrorObject): boolean => errors.some((o) => o !== e && o.instancePath.startsWith(`${e.instancePath}/`));
  const specific = errors.filter((e) => !(e.keyword === 'oneOf' && (deeper(e) || errors.some((o) => o !== e && o.instancePath === e.instancePath))) && !(e.keyword === 'type' && deeper(e)));
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of specific) byPath.set(e.instancePath, [...(byPath.get(e.instancePath) ?? []), e]);
  return [...byPath.values()].flatMap((group) => {
    const simple = group.filter((e) => e.keyword === 'type' || e.keyword === 'const');
    if (simple.length < 2) return [...new Set(group.map(describe))];
    const where = group[0]!.instancePath;
    const rest = group.filter((e) => !simple.includes(e)).map(describe);
    return [...new Set([`${where}: ${[...new Set(simple.map(problem))].join(' or ')}`, ...rest])];
  });
}

/** Validate parsed JSON as a config from `file`; throws InferbenchError('usage') naming the field. */
export function parseConfig(data: unknown, file: string): InferbenchConfig {
  const errors = configErrors(data);
  if (errors.length > 0) {
    throw new InferbenchError('usage', `${file}: ${errors.slice(0, 3).join('; ')}${errors.length > 3 ? ` (and ${errors.length - 3} more)` : ''}`, `see ${packagePath('src/config/config.schema.json')} and ${packagePath('examples/inferbench.config.json')}`);
  }
  const raw = data as ConfigFile;
  const dir = dirname(resolve(file));
  const at = (p: string): string => resolve(dir, p);
  // A model may be an endpoint URL (http://…/v2/models/NAME, grpc://…): kept as written, never a path.
  const modelAt = (p: string): string => (URL_SCHEME.test(p) ? p : at(p));
  const budgetTexts = raw.budgets ?? [];
  const budgets = budgetTexts.map((text, i) => withPath(() => parseBudget(text), file, `/budgets/${i}`));
  const thresholdTexts = raw.thresholds ?? [];
  const thresholds = withPath(() => parseThresholds(thresholdTexts), file, '/thresholds');
  const runVariance = raw.runVariance === undefined ? undefined : withPath(() => parseRunVariance(raw.runVariance ?? '', 'runVariance'), file, '/runVariance');
  return {
    file,
    models: raw.models.map((m) => (typeof m === 'string' ? { path: modelAt(m) } : resolveModel(m, at, modelAt))),
    sweep: raw.sweep ?? {},
    pipeline: resolvePipeline(raw.pipeline ?? {}, at),
    measure: raw.measure ?? {},
    budgets,
    budgetTexts,
    thresholds,
    thresholdTexts,
    ...(runVariance !== undefined && { runVariance }),
    output: { dir: at(raw.output?.dir ?? 'reports'), formats: raw.output?.formats ?? ['json', 'md'], ...(raw.output?.comparison && { comparison: at(raw.output.comparison) }) },
    ...(raw.baseline && { baseline: at(raw.baseline) }),
    ...(raw.paired && { paired: raw.paired.baseDir === undefined ? { ...raw.paired } : { ...raw.paired, baseDir: at(raw.paired.baseDir) } }),
  };
}

/** What an endpoint URL starts with (adapters/remote-url.ts accepts http(s):// and grpc(s)://). */
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

function resolveModel(m: ModelEntry, at: (p: string) => string, modelAt: (p: string) => string): ModelEntry {
  return {
    ...m,
    path: modelAt(m.path),
    ...(m.inputFiles && { inputFiles: Object.fromEntries(Object.entries(m.inputFiles).map(([k, v]) => [k, at(v)])) }),
    ...(m.pipeline && { pipeline: resolvePipeline(m.pipeline, at) }),
  };
}

/** Pipeline options that name files, resolved like every other path in the config. */
const PATH_OPTIONS = ['tokenizer', 'tokenizer-config'];
const BUILTIN_PIPELINE_NAMES = ['image', 'text', 'tensors', 'none'];

function resolvePipeline(p: PipelineEntry, at: (path: string) => string): PipelineEntry {
  const options = p.options && Object.fromEntries(Object.entries(p.options).map(([k, v]) => [k, PATH_OPTIONS.includes(k) ? at(v) : v]));
  return {
    ...p,
    ...(p.name !== undefined && !BUILTIN_PIPELINE_NAMES.includes(p.name) && { name: at(p.name) }),
    ...(p.data !== undefined && { data: at(p.data) }),
    ...(p.labels !== undefined && { labels: at(p.labels) }),
    ...(options && { options }),
  };
}

function withPath<T>(fn: () => T, file: string, path: string): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof InferbenchError) throw new InferbenchError('usage', `${file}: ${path}: ${error.message}`, error.hint);
    throw error;
  }
}

export function loadConfig(file: string = DEFAULT_CONFIG_FILE): InferbenchConfig {
  let text: string;
  try {
    text = readRegularText(file);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new InferbenchError('usage', `cannot read config ${file}: ${missing ? 'no such file' : messageOf(error)}`, missing ? `create ${DEFAULT_CONFIG_FILE} (see ${packagePath('examples/inferbench.config.json')}) or pass --config PATH` : undefined);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InferbenchError('usage', `${file} is not valid JSON: ${messageOf(error)}`, 'check for trailing commas and comments (JSON has neither)');
  }
  return parseConfig(data, file);
}
