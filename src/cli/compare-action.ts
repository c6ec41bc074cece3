// `inferbench compare <base> <head>`, loaded when the command runs: flags → compare() or
// compareModels() → the chosen exporter. Exit code 0 when nothing regressed and every budget holds,
// 1 otherwise, 2 for unreadable input.
import { parseBudgets } from '../budget/budget.js';
import { compareExporterFor } from '../compare/exporter.js';
import { MATCH_FIELDS, type MatchField } from '../compare/flag-values.js';
import { renderCompareConsole } from '../compare/render-console.js';
import { parseRunVariance, parseThresholds } from '../compare/threshold.js';
import { nothingCompared, type Comparison } from '../compare/verdict.js';
import { InferbenchError } from '../errors.js';
import { parseList } from '../options/parse.js';
import type { DeclaredOptions } from '../options/declarations.js';
import type { Terminal } from './terminal.js';
import { sidesKind } from '../compare/sides.js';
import { ExitCode } from '../errors.js';
import { compare, compareModels, compareModelsUnderLoad, underLoadRates, type PairedHooks } from '../compare.js';
import { plan } from '../profile.js';
import { renderPlan } from '../report/plan.js';
import { formatMs } from '../report/format.js';
import type { CommandContext } from './frame.js';
import { fallbackWarning, writeOutput } from './outputs.js';

export interface CompareFlags {
  dryRun: boolean;
  threshold?: string[];
  budget?: string[];
  format: string;
  out?: string;
  json: boolean;
  strict: boolean;
  ignore?: string;
  seed?: number;
  resamples?: number;
  runVariance?: string;
  failOnInconclusive: boolean;
  duet: boolean;
  epochs?: number;
}

/** Two report files compared as the flags say (the library's compare(), with the flags parsed); `run` reuses it. */
export function compareFiles(basePath: string, headPath: string, flags: Pick<CompareFlags, 'threshold' | 'budget' | 'strict' | 'ignore' | 'seed' | 'resamples' | 'runVariance'> & { failOnInconclusive?: boolean }): Comparison {
  const runVariance = flags.runVariance === undefined ? undefined : parseRunVariance(flags.runVariance, '--run-variance');
  return compare(basePath, headPath, {
    thresholds: parseThresholds(flags.threshold ?? []),
    budgets: parseBudgets(flags.budget ?? []),
    ignore: parseIgnore(flags.ignore),
    significance: { ...(flags.seed !== undefined && { seed: flags.seed }), ...(flags.resamples !== undefined && { resamples: flags.resamples }), ...(runVariance !== undefined && { runVariance }) },
    failOnInconclusive: flags.failOnInconclusive ?? false,
    strict: flags.strict,
  });
}

function parseIgnore(raw: string | undefined): MatchField[] {
  const fields = parseList(raw ?? '');
  for (const field of fields) {
    if (!(MATCH_FIELDS as readonly string[]).includes(field)) {
      throw new InferbenchError('usage', `--ignore: unknown field '${field}'`, `use any of: ${MATCH_FIELDS.join(', ')}`);
    }
  }
  return fields as MatchField[];
}

export async function runCompare(basePath: string, headPath: string, declared: DeclaredOptions, given: string[], context: CommandContext<CompareFlags>): Promise<number> {
  const { flags, terminal, globals } = context;
  const exporter = compareExporterFor(flags.json ? 'json' : flags.format);
  const kind = sidesKind(basePath, headPath);
  let comparison: Comparison;
  if (kind === 'reports') {
    if (given.length > 0) throw new InferbenchError('usage', `${given.join(', ')} ${given.length === 1 ? 'applies' : 'apply'} when comparing models, not reports`, 'pass two models (.onnx, model.json) to measure them interleaved, or drop the flag');
    comparison = compareFiles(basePath, headPath, flags);
  } else {
    const result = await comparePairedModels(basePath, headPath, flags, declared, terminal, context.signal);
    if (result === null) return ExitCode.ok; // --dry-run
    comparison = result;
  }
  const text = exporter.render(comparison, { color: flags.out === undefined && terminal.color });
  if (flags.out !== undefined) {
    if (!globals.quiet) process.stdout.write(renderCompareConsole(comparison, { color: terminal.color }));
    const outcome = writeOutput({ flag: '--out', path: flags.out, kind: 'file' }, text, 'comparison');
    const warning = fallbackWarning(outcome, 'comparison');
    if (warning !== null) terminal.warn(warning);
    else terminal.info(`comparison written: ${flags.out}`);
  } else {
    process.stdout.write(text);
  }
  if (comparison.interrupted) return ExitCode.interrupted;
  // A gate that is green because nothing ran is worse than a red one.
  const nothing = nothingCompared(comparison);
  if (nothing === null) return comparison.exitCode;
  if (nothing.skippedOnly) {
    terminal.warn(`warning: compared nothing: ${nothing.reason}`);
    return comparison.exitCode;
  }
  terminal.warn(`error: compared nothing: ${nothing.reason}`);
  return comparison.exitCode === ExitCode.ok ? ExitCode.trialsFailed : comparison.exitCode;
}

/**
 * "[k/N] id: base and head interleaved" once a trial's measured id is known (its first block:
 * the planned id may still say batch=model), then a live status line.
 */
function pairedProgress(terminal: Terminal): PairedHooks {
  let label = '';
  let announced = false;
  return {
    onTrialStart: (_spec, index, total) => {
      label = `[${index + 1}/${total}]`;
      announced = false;
    },
    onBlock: (spec, blocks, ms) => {
      if (!announced) terminal.info(`${label} ${spec.id}: base and head interleaved`);
      announced = true;
      terminal.status(`${label} ${spec.id}: ${blocks} blocks, ${formatMs(ms)}`);
    },
  };
}

/** Paired mode: both models measured interleaved, per planned configuration. */
async function comparePairedModels(basePath: string, headPath: string, flags: CompareFlags, declared: DeclaredOptions, terminal: Terminal, signal: AbortSignal): Promise<Comparison | null> {
  for (const flag of ['strict', 'ignore', 'runVariance'] as const) {
    if (flags[flag] !== undefined && flags[flag] !== false) throw new InferbenchError('usage', `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} applies to comparing reports, not models`, 'paired mode measures both models on the same machine at the same time: drop the flag');
  }
  if (declared.rate !== undefined) return compareUnderLoad(basePath, headPath, flags, declared, terminal, signal);
  if (declared.sample === false) throw new InferbenchError('usage', '--no-sample applies to compare --rate: the paired blocks sample nothing', 'drop --no-sample');
  const thresholds = parseThresholds(flags.threshold ?? []);
  const budgets = parseBudgets(flags.budget ?? []);
  const mode = flags.duet ? 'duet' : declared.isolate ? 'child-processes' : 'in-process';
  const options = { ...declared, base: basePath, head: headPath, threshold: thresholds.default, mode, signal, ...(flags.seed !== undefined && { seed: flags.seed }), ...(flags.epochs !== undefined && { epochs: flags.epochs }) } as const;
  if (flags.dryRun) {
    const specs = plan({ ...options, model: basePath });
    const { unavailableDeviceWarnings } = await import('./dry-run-devices.js');
    for (const warning of await unavailableDeviceWarnings([basePath, headPath], specs)) terminal.warn(warning);
    process.stdout.write(`paired: every trial below measures ${basePath} (base) and ${headPath} (head) interleaved\n${renderPlan(specs)}`);
    return null;
  }
  const comparison = await compareModels(
    {
      ...options,
      thresholds,
      budgets,
      significance: { ...(flags.seed !== undefined && { seed: flags.seed }), ...(flags.resamples !== undefined && { resamples: flags.resamples }) },
      failOnInconclusive: flags.failOnInconclusive,
    },
    pairedProgress(terminal),
  );
  terminal.clearStatus();
  return comparison;
}

/**
 * --rate: both models served the same arrivals (same seed), interleaved by rate (base at R1, head
 * at R1, base at R2, …: one server on the machine at a time), judged as two reports on `total`.
 */
async function compareUnderLoad(basePath: string, headPath: string, flags: CompareFlags, declared: DeclaredOptions, terminal: Terminal, signal: AbortSignal): Promise<Comparison | null> {
  underLoadRates(declared.rate);
  const paired = [...(flags.duet ? ['--duet'] : []), ...(flags.epochs !== undefined ? ['--epochs'] : []), ...(declared.isolate ? ['--isolate'] : [])];
  if (paired.length > 0) throw new InferbenchError('usage', `${paired.join(', ')} ${paired.length === 1 ? 'applies' : 'apply'} to the paired blocks, not to --rate`, 'with --rate each side runs its own open-loop trials, interleaved by rate: drop the flag');
  const options = { ...declared, base: basePath, head: headPath, signal, ...(flags.seed !== undefined && { seed: flags.seed }) };
  if (flags.dryRun) {
    process.stdout.write(`under load: every trial below measures ${basePath} (base), then ${headPath} (head), rate by rate, on the same arrivals\n${renderPlan(plan({ ...options, model: basePath }))}`);
    return null;
  }
  const comparison = await compareModelsUnderLoad(
    {
      ...options,
      thresholds: parseThresholds(flags.threshold ?? []),
      budgets: parseBudgets(flags.budget ?? []),
      significance: { ...(flags.seed !== undefined && { seed: flags.seed }), ...(flags.resamples !== undefined && { resamples: flags.resamples }) },
      failOnInconclusive: flags.failOnInconclusive,
    },
    {
      onSide: (side, rate, index, total) => terminal.info(`[${index + 1}/${total}] ${side} at ${rate} requests/s: ${side === 'base' ? basePath : headPath}`),
      profile: { onTrialStart: (spec) => terminal.status(spec.id) },
    },
  );
  terminal.clearStatus();
  return comparison;
}
