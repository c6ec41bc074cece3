// `inferbench compare <base> <head>`: flags → compareReports() → the chosen exporter. Exit code 0
// when nothing regressed and every budget holds, 1 otherwise, 2 for unreadable input.
import { Command } from 'commander';
import { parseBudgets } from '../budget/budget.js';
import { compareExporterFor, compareExporters } from '../compare/exporter.js';
import { MATCH_FIELDS, type MatchField } from '../compare/match.js';
import { readReport } from '../compare/load.js';
import { renderCompareConsole } from '../compare/render-console.js';
import { parseRunVariance, parseThresholds } from '../compare/threshold.js';
import { compareReports, type Comparison } from '../compare/verdict.js';
import { InferbenchError } from '../errors.js';
import { writeFileAtomic } from '../io/write-atomic.js';
import { collect, parseList, parseNonNegativeInt, parsePositiveInt } from '../options/parse.js';
import { createTerminal, type Terminal } from './terminal.js';
import { addModelFlags, modelFlagsGiven, modelOptionsFrom, type ModelFlags } from './model-flags.js';
import { sidesKind } from '../compare/sides.js';
import { ExitCode } from '../errors.js';
import { compareModels, type PairedHooks } from '../compare.js';
import { plan } from '../profile.js';
import { renderPlan } from '../report/plan.js';
import { formatMs } from '../report/format.js';
import { onStopSignals } from './signals.js';
import type { GlobalFlags } from './terminal.js';

export interface CompareFlags extends ModelFlags {
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
}

const EXAMPLES = `
Examples:
  $ inferbench compare base.onnx head.onnx                     # paired: both measured interleaved
  $ inferbench compare base.onnx head.onnx --threads 1 --batch 1,8 --threshold 2%
  $ inferbench compare base.onnx head.onnx --format md -o summary.md --fail-on-inconclusive
  $ inferbench compare baseline.json head.json                  # two reports measured earlier
  $ inferbench compare base.json head.json --threshold 5% --threshold p99=10%
  $ inferbench compare base.json head.json --budget "inference.p99<=15ms" --budget "throughput>=200/s"
  $ inferbench compare threads4.json threads1.json --ignore threads,graph-opt

Two models: PAIRED. One process loads both, feeds both the same inputs, and measures them in short
interleaved blocks (order drawn per block) for every configuration the model flags plan, so both
see the same machine; the verdict comes from a bootstrap over the pairs of blocks. This is the
mode for CI gates on shared runners.
Two reports: each side was measured separately; a metric regresses only when its whole 95%
bootstrap interval of head/base lies above the threshold after widening for what separate runs
cannot show (--run-variance, drift, contention, and with --repeat the spread between runs).
Exit codes: 0 no regression, 1 regression, budget violation (or inconclusive with
--fail-on-inconclusive), 2 unreadable input or bad flags, 3 a model missing or invalid.`;

export function compareCommand(globals: () => GlobalFlags = () => ({ quiet: false, verbose: false, color: true })): Command {
  const command = new Command('compare')
    .description('compare two models (measured interleaved, paired) or two reports: per-stage change with confidence intervals, regressions, budgets')
    .argument('<base>', 'baseline: a model (.onnx, TF.js model.json or directory, SavedModel) or a report (JSON)')
    .argument('<head>', 'the model or report to judge')
    .option('--threshold <pct>', 'practical threshold: 5% (all), p99=10% or inference.p99=10% (repeatable)', collect)
    .option('--budget <expr>', 'budget on head, e.g. "inference.p99<=15ms", "throughput>=200/s" (repeatable)', collect)
    .option('-f, --format <name>', `output format: ${compareExporters.map((e) => e.format).join(', ')}`, 'console')
    .option('-o, --out <file>', 'write the output to a file instead of stdout (stdout then gets the console summary)')
    .option('--json', 'print the JSON comparison to stdout (same as --format json)', false)
    .option('--fail-on-inconclusive', 'exit 1 when the verdict is inconclusive too (strict gates)', false)
    .option('--duet', 'paired: run base and head at the same time, each in its own process (needs a core each), instead of alternating', false)
    .option('--strict', 'reports: treat reports from different machines or inferbench versions as an input error (exit 2)', false)
    .option('--ignore <fields>', `reports: configuration fields to ignore when pairing trials: ${MATCH_FIELDS.join(', ')} (comma-separated)`)
    .option('--seed <n>', 'seed of the bootstrap (and, paired, of the block order): results are reproducible for a seed', (v) => parseNonNegativeInt(v, '--seed'))
    .option('--resamples <n>', 'bootstrap resamples (default 1000)', (v) => parsePositiveInt(v, '--resamples'))
    .option('--run-variance <pct>', 'reports: how far two runs of the same code may differ, assumed for a side measured once (default 10%; --repeat measures it instead)');
  return addModelFlags(command, {
    iterations: 'paired: iterations per side (default auto: until the interval is a quarter of the threshold wide, 2–10 s)',
    duration: 'paired: measure both sides for this long in all, e.g. 10s',
  })
    .addHelpText('after', EXAMPLES)
    .action(async (base: string, head: string, flags: CompareFlags, cmd: Command) => {
      process.exitCode = await runCompare(base, head, flags, globals(), cmd);
    });
}

/** Everything but printing, for `run` to reuse. */
export function compareFiles(basePath: string, headPath: string, flags: Pick<CompareFlags, 'threshold' | 'budget' | 'strict' | 'ignore' | 'seed' | 'resamples' | 'runVariance'> & { failOnInconclusive?: boolean }): Comparison {
  const thresholds = parseThresholds(flags.threshold ?? []);
  const ignore = parseIgnore(flags.ignore);
  const budgets = parseBudgets(flags.budget ?? []);
  const runVariance = flags.runVariance === undefined ? undefined : parseRunVariance(flags.runVariance, '--run-variance');
  const base = readReport(basePath);
  const head = readReport(headPath);
  const comparison = compareReports(base, head, {
    thresholds,
    budgets,
    labels: { base: basePath, head: headPath },
    ignore,
    significance: { ...(flags.seed !== undefined && { seed: flags.seed }), ...(flags.resamples !== undefined && { resamples: flags.resamples }), ...(runVariance !== undefined && { runVariance }) },
    failOnInconclusive: flags.failOnInconclusive ?? false,
  });
  const { environment, toolVersions } = comparison.matching;
  if (flags.strict && (environment.length > 0 || toolVersions !== null)) {
    const what = [...environment.map((d) => `${d.field}: ${d.base} → ${d.head}`), ...(toolVersions ? [`inferbench ${toolVersions.base} → ${toolVersions.head}`] : [])];
    throw new InferbenchError('usage', `the reports are not like for like (--strict): ${what.join('; ')}`, 'run base and head on the same machine type and inferbench version, or drop --strict');
  }
  if (comparison.trials.length === 0 && base.trials.length > 0 && head.trials.length > 0) {
    throw new InferbenchError('usage', 'no trial of head matches a trial of base (model, device, precision, batch, threads, graph opt)', 'compare reports of the same configurations; see --format json for the keys of each side');
  }
  return comparison;
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

async function runCompare(basePath: string, headPath: string, flags: CompareFlags, globals: GlobalFlags, command: Command): Promise<number> {
  const terminal = createTerminal(globals);
  const exporter = compareExporterFor(flags.json ? 'json' : flags.format);
  const kind = sidesKind(basePath, headPath);
  let comparison: Comparison;
  if (kind === 'reports') {
    const given = modelFlagsGiven(command);
    if (given.length > 0) throw new InferbenchError('usage', `${given.join(', ')} ${given.length === 1 ? 'applies' : 'apply'} when comparing models, not reports`, 'pass two models (.onnx, model.json) to measure them interleaved, or drop the flag');
    comparison = compareFiles(basePath, headPath, flags);
  } else {
    const result = await comparePairedModels(basePath, headPath, flags, terminal);
    if (result === null) return ExitCode.ok; // --dry-run
    comparison = result;
  }
  const text = exporter.render(comparison, { color: flags.out === undefined && terminal.color });
  if (flags.out !== undefined) {
    writeFileAtomic(flags.out, text);
    if (!globals.quiet) process.stdout.write(renderCompareConsole(comparison, { color: terminal.color }));
    terminal.info(`comparison written: ${flags.out}`);
  } else {
    process.stdout.write(text);
  }
  return comparison.interrupted ? ExitCode.interrupted : comparison.exitCode;
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
async function comparePairedModels(basePath: string, headPath: string, flags: CompareFlags, terminal: Terminal): Promise<Comparison | null> {
  for (const flag of ['strict', 'ignore', 'runVariance'] as const) {
    if (flags[flag] !== undefined && flags[flag] !== false) throw new InferbenchError('usage', `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} applies to comparing reports, not models`, 'paired mode measures both models on the same machine at the same time: drop the flag');
  }
  const thresholds = parseThresholds(flags.threshold ?? []);
  const budgets = parseBudgets(flags.budget ?? []);
  const stop = onStopSignals((signal) => terminal.warn(`interrupted by ${signal}: finishing the current block and judging what was measured (send it again to quit at once)`));
  const mode = flags.duet ? 'duet' : flags.isolate ? 'child-processes' : 'in-process';
  const options = { ...modelOptionsFrom(flags), base: basePath, head: headPath, threshold: thresholds.default, mode, signal: stop.signal, ...(flags.seed !== undefined && { seed: flags.seed }) } as const;
  if (flags.dryRun) {
    stop.dispose();
    process.stdout.write(`paired: every trial below measures ${basePath} (base) and ${headPath} (head) interleaved\n${renderPlan(plan({ ...options, model: basePath }))}`);
    return null;
  }
  try {
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
  } finally {
    stop.dispose();
  }
}
