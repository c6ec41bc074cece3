// merge(request) → MergeResult: the library form of `inferbench merge`. Reads reports (files,
// directories searched for *.json, globs), groups them by model as `run` names its reports, joins
// each group (merge/merge-reports.ts) and judges the budgets and the best configuration on the
// merged trials as profile() does (sweep/judge-sweep.ts). Writes nothing; refuses, with an InferbenchError (exit 2) that says what differs, what it
// cannot merge exactly.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { isComparisonJson } from './compare/load-comparison.js';
import { parseReport } from './compare/load.js';
import { InferbenchError } from './errors.js';
import { readRegularText } from './io/read-text.js';
import { mergeModelReports, type MergeInput } from './merge/merge-reports.js';
import { glob, isGlob } from './pipeline/glob.js';
import { reportStem } from './report/write-reports.js';
import { judgeSweep } from './sweep/judge-sweep.js';
import type { Objective } from './budget/best.js';
import type { Budget, Report } from './types.js';

export interface MergeRequest {
  /** Report files, directories (every *.json under them) or globs. */
  inputs: string[];
  /** Merge reports measured on different machines; the merged report names each trial's machine. */
  allowMixedMachines?: boolean;
  /** Where the merged reports go: reports found under it in a directory given (an earlier merge's) are not inputs. */
  output?: string;
}

export interface MergedReport {
  /** The name `run` gives this model's report: `<stem>.json`. */
  stem: string;
  report: Report;
}

export interface MergeResult {
  /** One merged report per model, in the order the models were first seen. */
  models: MergedReport[];
  /** Each said once: a file given twice, a comparison skipped, a section left out. */
  warnings: string[];
}

const NOTHING_HINT = 'pass report files, a directory of them or a quoted glob, e.g. inferbench merge shards/ -o merged.json';

export async function merge(request: MergeRequest): Promise<MergeResult> {
  const warnings: string[] = [];
  const files = await expand(request.inputs, request.output);
  const inputs = read(files, request.inputs, warnings);
  const groups = new Map<string, MergeInput[]>();
  for (const input of inputs) {
    const stem = reportStem(input.report.model.path);
    groups.set(stem, [...(groups.get(stem) ?? []), input]);
  }
  const models = [...groups].map(([stem, group]) => {
    const merged = mergeModelReports(group, { allowMixedMachines: request.allowMixedMachines ?? false });
    warnings.push(...merged.warnings.map((w) => (groups.size > 1 ? `${stem}: ${w}` : w)));
    // Budgets and the best configuration are judged again, on the merged trials, as profile() does.
    const budgets = (merged.report.options.budgets ?? []) as Budget[];
    const objective = (merged.report.options.objective ?? { kind: 'throughput' }) as Objective;
    return { stem, report: judgeSweep(merged.report, budgets, objective) };
  });
  return { models, warnings };
}

/** Files, in the order given; a directory's *.json files (recursively) and a glob's matches sorted. */
async function expand(inputs: readonly string[], output: string | undefined): Promise<string[]> {
  if (inputs.length === 0) throw new InferbenchError('usage', 'merge: no reports given', NOTHING_HINT);
  const files: string[] = [];
  // `merge reports/ -o reports/merged/` run twice must not read the first merge's output back.
  const under = (dir: string): string[] => jsonFilesUnder(dir).filter((file) => output === undefined || !isUnder(file, output));
  for (const input of inputs) {
    const kind = kindOf(input);
    if (kind === 'dir') files.push(...under(input));
    else if (kind === 'file') files.push(input);
    else if (isGlob(input)) for (const match of await glob(input)) files.push(...(kindOf(match) === 'dir' ? under(match) : [match]));
    else throw new InferbenchError('usage', `merge: ${input} not found`, NOTHING_HINT);
  }
  if (files.length === 0) throw new InferbenchError('usage', `merge: no report files in ${inputs.join(', ')}`, NOTHING_HINT);
  return files;
}

function isUnder(file: string, output: string): boolean {
  const out = resolve(output);
  const path = resolve(file);
  return path === out || path.startsWith(out + sep);
}

function kindOf(path: string): 'dir' | 'file' | 'none' {
  try {
    const stat = statSync(path);
    return stat.isDirectory() ? 'dir' : 'file';
  } catch {
    return 'none';
  }
}

function jsonFilesUnder(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  return entries.flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory() || (e.isSymbolicLink() && kindOf(path) === 'dir')) return jsonFilesUnder(path);
    return e.name.endsWith('.json') ? [path] : [];
  });
}

/** Each report parsed and checked; a file given twice (or two copies of one report) counts once. */
function read(files: readonly string[], given: readonly string[], warnings: string[]): MergeInput[] {
  const seen = new Map<string, string>();
  const inputs: MergeInput[] = [];
  for (const file of files) {
    const text = readText(file);
    const digest = createHash('sha256').update(text).digest('hex');
    const earlier = seen.get(digest);
    if (earlier !== undefined) {
      warnings.push(`${file} is the same report as ${earlier}: counted once`);
      continue;
    }
    seen.set(digest, file);
    const data = parseJson(text, file);
    // In a directory, our other JSON (a comparison, a config) is passed over; named, it is refused.
    const other = isComparisonJson(data) ? 'a comparison' : notAReport(data) ? 'not an inferbench report' : null;
    if (other !== null) {
      if (given.includes(file)) throw new InferbenchError('usage', `${file} is ${other}`, 'merge the JSON reports that profile or run wrote');
      warnings.push(`${file} is ${other}: skipped`);
      continue;
    }
    const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
    if (typeof data === 'object' && data !== null && version !== undefined && version !== 1) {
      throw new InferbenchError('usage', `${file} is an inferbench report of schema ${JSON.stringify(version)}; this inferbench reads and merges schema 1`, 'merge reports written by one version of inferbench, or use the version that wrote them');
    }
    inputs.push({ report: parseReport(text, file), source: file });
  }
  return inputs;
}

/** JSON that does not even claim to be a report (a config, a package.json); a report that is broken is refused by parseReport. */
function notAReport(data: unknown): boolean {
  return typeof data !== 'object' || data === null || Array.isArray(data) || (!('schemaVersion' in data) && !('tool' in data));
}

function readText(file: string): string {
  try {
    return readRegularText(file); // a FIFO or device is refused, not opened (a blocked read ignores SIGTERM)
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const why = code === 'ENOTREG' || code === 'EISDIR' ? `: ${message}` : code ? ` (${code})` : '';
    throw new InferbenchError('usage', `cannot read report ${file}${why}`, NOTHING_HINT);
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const truncated = text.trim().length > 0 && !/[}\]]\s*$/.test(text) ? ' (truncated? it ends mid-way)' : '';
    throw new InferbenchError('usage', `${file} is not JSON${truncated}: ${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ')}`, 'merge the JSON reports the shards wrote completely; a shard killed while writing leaves none (reports are written atomically), so this file came from elsewhere');
  }
}
