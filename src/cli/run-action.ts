// `inferbench run`, loaded when the command runs: the library's run() with progress, budget checks
// and comparisons printed as they come.
import { describeBudget, formatMeasured } from '../budget/budget.js';
import { renderCompareConsole } from '../compare/render-console.js';
import { formatChange } from '../compare/rows.js';
import type { DeclaredOptions } from '../options/declarations.js';
import { run, type ModelRun } from '../run.js';
import type { CommandContext } from './frame.js';
import type { Terminal } from './terminal.js';

export interface RunFlags {
  config: string;
  out?: string;
  comparison?: string;
  baseline?: string;
  compare: boolean;
  budget?: string[];
  threshold?: string[];
  runVariance?: string;
  baseRef?: string;
  baseDir?: string;
}

export async function runConfig(overrides: DeclaredOptions, context: CommandContext<RunFlags>): Promise<number> {
  const { flags, terminal } = context;
  const paired = flags.baseRef !== undefined ? { baseRef: flags.baseRef } : flags.baseDir !== undefined ? { baseDir: flags.baseDir } : undefined;
  const result = await run(
    {
      config: flags.config,
      overrides,
      compare: flags.compare,
      ...(flags.out !== undefined && { outDir: flags.out }),
      ...(flags.comparison !== undefined && { comparisonFile: flags.comparison }),
      ...(flags.baseline !== undefined && { baseline: flags.baseline }),
      ...(flags.threshold !== undefined && { thresholds: flags.threshold }),
      ...(flags.runVariance !== undefined && { runVariance: flags.runVariance }),
      ...(paired !== undefined && { paired }),
      argv: ['inferbench', ...process.argv.slice(2)],
      signal: context.signal,
    },
    {
      onModelStart: (path, mode, base) => terminal.info(mode === 'paired' ? `comparing ${path} with its base version (${base}), interleaved` : `profiling ${path}`),
      onTrialStart: (spec, i, n) => terminal.info(`[${i + 1}/${n}] ${spec.id}`),
      onModelEnd: (model) => printModel(model, terminal),
    },
  );
  if (result.comparisonFile !== undefined) terminal.info(`comparison written: ${result.comparisonFile}`);
  if (result.fellBack !== undefined) terminal.warn(`warning: ${result.fellBack.reason}; the run's files from then on were written to ${result.fellBack.dir} instead`);
  // Paired (flags or config): every model lacked a base version, so nothing was measured (run.ts exits 4).
  const comparedNothing = result.models.length > 0 && result.models.every((m) => m.report === undefined && m.comparison === undefined && m.notInShard === undefined);
  if (comparedNothing && !context.signal.aborted) {
    terminal.warn('error: nothing was compared: no model of the config has a base version (a gate that compared nothing does not pass)');
  }
  return result.exitCode;
}

function printModel(model: ModelRun, terminal: Terminal): void {
  if (model.notInShard !== undefined) terminal.info(`${model.path}: ${model.notInShard}, nothing to do`);
  for (const path of model.written) terminal.info(`${model.report ? 'report' : 'comparison'} written: ${path}`);
  for (const c of model.report?.budget?.checks ?? []) {
    const line = `  budget ${describeBudget(c.budget)} on ${c.trialId}: ${formatMeasured(c)}, headroom ${formatChange(c.headroom)} — ${c.verdict === 'inconclusive' ? 'inconclusive' : c.pass ? 'pass' : 'FAIL'}`;
    if (c.pass) terminal.info(line);
    else terminal.warn(line);
  }
  if (model.notCompared !== undefined) terminal.warn(`${model.notCompared}: not compared`);
  if (model.comparison !== undefined) process.stdout.write(renderCompareConsole(model.comparison, { color: terminal.color }));
}
