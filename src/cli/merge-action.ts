// `inferbench merge`, loaded when the command runs: the library's merge(), each merged report
// written (one file, or one report per model in a directory), and the exit code of the gate.
import { extname, join } from 'node:path';
import { merge, type MergedReport } from '../merge.js';
import { exporterFor } from '../report/exporters.js';
import { writeReports } from '../report/write-reports.js';
import { ExitCode, InferbenchError } from '../errors.js';
import { parseList } from '../options/parse.js';
import { outIsFile } from './merge-out.js';
import { fallbackWarning, writeOutput } from './outputs.js';
import type { Terminal } from './terminal.js';

export interface MergeFlags {
  out: string;
  format?: string;
  allowMixedMachines: boolean;
}

export async function runMerge(inputs: string[], flags: MergeFlags, terminal: Terminal): Promise<number> {
  const formats = flags.format === undefined ? undefined : parseList(flags.format);
  formats?.forEach(exporterFor); // unknown formats fail before reading anything
  const result = await merge({ inputs, allowMixedMachines: flags.allowMixedMachines, output: flags.out });
  for (const warning of result.warnings) terminal.warn(`warning: ${warning}`);
  if (outIsFile(flags.out)) writeFile(result.models, flags.out, formats, terminal);
  else for (const model of result.models) writeDir(model, flags.out, formats ?? ['json'], terminal);
  return Math.max(...result.models.map((m) => judge(m, terminal, result.models.length > 1)));
}

function writeFile(models: readonly MergedReport[], out: string, formats: string[] | undefined, terminal: Terminal): void {
  if (models.length > 1) {
    throw new InferbenchError('usage', `the reports hold ${models.length} models (${models.map((m) => m.stem).join(', ')}): one file cannot hold them`, `pass a directory, e.g. -o ${out.slice(0, out.length - extname(out).length) || 'merged'}/, for one report per model`);
  }
  if (formats !== undefined && formats.length > 1) throw new InferbenchError('usage', `-o ${out} is one file, but --format lists ${formats.length} formats`, 'give one format, or a directory with -o to write several');
  const exporter = exporterFor(formats?.[0] ?? (extname(out).slice(1) || 'json'));
  const outcome = writeOutput({ flag: '--out', path: out, kind: 'file' }, exporter.render(models[0]!.report, { color: false }), 'merged report');
  terminal.info(describe(models[0]!, outcome.path ?? 'stdout'));
  const warning = fallbackWarning(outcome, 'merged report');
  if (warning !== null) terminal.warn(warning);
}

function writeDir(model: MergedReport, dir: string, formats: readonly string[], terminal: Terminal): void {
  const paths = writeReports(model.report, { outDir: dir, formats, baseName: model.stem });
  terminal.info(describe(model, paths.map((p) => p).join(', ') || join(dir, model.stem)));
}

function describe({ stem, report }: MergedReport, where: string): string {
  const parts = report.merge?.parts ?? [];
  const shards = parts.filter((p) => p.shard !== null).map((p) => p.shard);
  return `merged ${parts.length} report${parts.length === 1 ? '' : 's'} of ${stem}${shards.length > 0 ? ` (shards ${shards.join(', ')})` : ''}: ${report.trials.length} trials → ${where}`;
}

/** The merged report as a gate: incomplete 6, nothing measured 4, a budget violated 1. */
function judge({ stem, report }: MergedReport, terminal: Terminal, named: boolean): number {
  const prefix = named ? `${stem}: ` : '';
  const incomplete = report.merge?.incomplete;
  // A split load (every shard measured every trial at R/N): a missing shard leaves trials under-loaded, not unmeasured.
  const split = report.trials.some((t) => t.status === 'ok' && t.service?.split !== undefined);
  for (const t of report.trials) {
    for (const w of t.status === 'ok' ? t.warnings : []) if (w.code === 'load-not-concurrent') terminal.warn(`warning: ${prefix}${t.spec.id}: ${w.message}`);
  }
  if (incomplete !== undefined) {
    const n = incomplete.missing.length;
    terminal.warn(split
      ? `error: ${prefix}incomplete split load: shard ${incomplete.shards.join(', ')} did not offer its share of ${n} trial${n === 1 ? '' : 's'}, which ${n === 1 ? 'was' : 'were'} offered less than ${n === 1 ? 'its' : 'their'} rate (each trial's partial-load warning says how much)`
      : `error: ${prefix}incomplete: ${n} planned trial${n === 1 ? '' : 's'} not measured, owed by shard ${incomplete.shards.join(', ')}`);
    return ExitCode.someTrialsFailed;
  }
  if (!report.trials.some((t) => t.status === 'ok')) {
    terminal.warn(`error: ${prefix}no trial in the merged reports was measured`);
    return ExitCode.trialsFailed;
  }
  const failedTrials = report.trials.filter((t) => t.status === 'failed');
  for (const t of failedTrials) terminal.warn(`error: ${prefix}${t.spec.id} failed: ${t.status === 'failed' ? t.error.message : ''}`);
  if (failedTrials.length > 0) return ExitCode.someTrialsFailed;
  const violated = report.budget?.checks.filter((c) => !c.pass) ?? [];
  for (const check of violated) terminal.warn(`budget violated: ${prefix}${check.budget.source} on ${check.trialId}`);
  return violated.length > 0 ? ExitCode.budget : ExitCode.ok;
}
