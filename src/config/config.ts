// `inferbench.config.json`: what `inferbench run` measures, enforces, writes and compares with.
// Validated against config.schema.json (ajv, JSON Schema 2020-12); every error names the file and
// the JSON path of the bad field. Budgets and thresholds are parsed here too, so a typo in one
// fails before anything is measured. Relative paths are relative to the config file.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { parseBudget, type Budget } from '../budget/budget.js';
import { parseThresholds, type Thresholds } from '../compare/threshold.js';
import { InferbenchError, messageOf } from '../errors.js';
import type { GraphOptimization, Precision } from '../types.js';

export const DEFAULT_CONFIG_FILE = 'inferbench.config.json';

export interface ModelEntry {
  path: string;
  dims?: Record<string, number>;
  shapes?: Record<string, number[]>;
  values?: Record<string, number>;
  ranges?: Record<string, [number, number]>;
  inputFiles?: Record<string, string>;
}

/** The file as written (after schema validation). */
export interface ConfigFile {
  models: (string | ModelEntry)[];
  sweep?: { device?: string[]; precision?: Precision[]; batch?: number[]; threads?: (number | 'auto')[]; graphOptimization?: GraphOptimization[] };
  measure?: { warmup?: number | string; iterations?: number; duration?: string; repeat?: number; seed?: number };
  budgets?: string[];
  thresholds?: string[];
  output?: { dir?: string; formats?: string[]; comparison?: string };
  baseline?: string;
}

/** A loaded config: paths resolved, budgets and thresholds parsed. */
export interface InferbenchConfig {
  file: string;
  models: ModelEntry[];
  sweep: NonNullable<ConfigFile['sweep']>;
  measure: NonNullable<ConfigFile['measure']>;
  budgets: Budget[];
  /** The budget strings as written (for `compare --budget`). */
  budgetTexts: string[];
  thresholds: Thresholds;
  thresholdTexts: string[];
  output: { dir: string; formats: string[]; comparison?: string };
  baseline?: string;
}

function schemaPath(): string {
  const candidates = [new URL('./config.schema.json', import.meta.url), new URL('../../src/config/config.schema.json', import.meta.url)].map((u) => fileURLToPath(u));
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) throw new Error(`config.schema.json not found; looked in ${candidates.join(', ')}`);
  return found;
}

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  compiled ??= new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(JSON.parse(readFileSync(schemaPath(), 'utf8')) as object);
  return compiled;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(top level)' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `${where}: unknown field '${String(params.additionalProperty)}'`;
  if (error.keyword === 'required') return `${where}: missing required field '${String(params.missingProperty)}'`;
  if (error.keyword === 'enum') return `${where}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return `${where}: ${error.message ?? error.keyword}`;
}

/** Schema errors, one line each, most specific first (oneOf echoes are dropped when a branch says more). */
export function configErrors(data: unknown): string[] {
  const validate = validator();
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  const specific = errors.filter((e) => e.keyword !== 'oneOf' || !errors.some((o) => o !== e && o.instancePath.startsWith(e.instancePath)));
  return [...new Set(specific.map(describe))];
}

/** Validate parsed JSON as a config from `file`; throws InferbenchError('usage') naming the field. */
export function parseConfig(data: unknown, file: string): InferbenchConfig {
  const errors = configErrors(data);
  if (errors.length > 0) {
    throw new InferbenchError('usage', `${file}: ${errors.slice(0, 3).join('; ')}${errors.length > 3 ? ` (and ${errors.length - 3} more)` : ''}`, 'see src/config/config.schema.json and examples/inferbench.config.json');
  }
  const raw = data as ConfigFile;
  const dir = dirname(resolve(file));
  const at = (p: string): string => resolve(dir, p);
  const budgetTexts = raw.budgets ?? [];
  const budgets = budgetTexts.map((text, i) => withPath(() => parseBudget(text), file, `/budgets/${i}`));
  const thresholdTexts = raw.thresholds ?? [];
  const thresholds = withPath(() => parseThresholds(thresholdTexts), file, '/thresholds');
  return {
    file,
    models: raw.models.map((m) => (typeof m === 'string' ? { path: at(m) } : { ...m, path: at(m.path), ...(m.inputFiles && { inputFiles: Object.fromEntries(Object.entries(m.inputFiles).map(([k, v]) => [k, at(v)])) }) })),
    sweep: raw.sweep ?? {},
    measure: raw.measure ?? {},
    budgets,
    budgetTexts,
    thresholds,
    thresholdTexts,
    output: { dir: at(raw.output?.dir ?? 'reports'), formats: raw.output?.formats ?? ['json', 'md'], ...(raw.output?.comparison && { comparison: at(raw.output.comparison) }) },
    ...(raw.baseline && { baseline: at(raw.baseline) }),
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
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new InferbenchError('usage', `cannot read config ${file}: ${missing ? 'no such file' : messageOf(error)}`, missing ? `create ${DEFAULT_CONFIG_FILE} (see examples/inferbench.config.json) or pass --config PATH` : undefined);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InferbenchError('usage', `${file} is not valid JSON: ${messageOf(error)}`, 'check for trailing commas and comments (JSON has neither)');
  }
  return parseConfig(data, file);
}
