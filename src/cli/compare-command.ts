// `inferbench compare <base> <head>`: the command's flags and help. Cheap to load; the work is in
// compare-action.ts, imported when the command runs.
import { COMPARE_FORMATS, MATCH_FIELDS, MAX_EPOCHS, MAX_RESAMPLES } from '../compare/flag-values.js';
import { collect, parseBoundedInt, parseNonNegativeInt } from '../options/parse.js';
import type { CompareFlags } from './compare-action.js';
import { addDeclaredFlags, declaredFlagsGiven, declaredOptionsFrom } from './declared-flags.js';
import { defineCommand } from './frame.js';

const EXAMPLES = `
Examples:
  $ inferbench compare base.onnx head.onnx                     # paired: both measured interleaved
  $ inferbench compare base.onnx head.onnx --threads 1 --batch 1,8 --threshold 2%
  $ inferbench compare base.onnx head.onnx --format md -o summary.md --fail-on-inconclusive
  $ inferbench compare base.onnx head.onnx --rate 200,400 --duration 5s   # under load, same arrivals
  $ inferbench compare baseline.json head.json                  # two reports measured earlier
  $ inferbench compare base.json head.json --threshold 5% --threshold p99=10%
  $ inferbench compare base.json head.json --budget "inference.p99<=15ms" --budget "throughput>=200/s"
  $ inferbench compare threads4.json threads1.json --ignore threads,graph-opt

Two models: PAIRED. One process loads both, feeds both the same inputs, and measures them in short
interleaved blocks (order drawn per block) for every configuration the model flags plan, so both
see the same machine; the verdict comes from a bootstrap over the pairs of blocks. This is the
mode for CI gates on shared runners.
Two models with --rate: UNDER LOAD. Both get the same arrivals (same --seed) at each rate, measured
interleaved by rate (base at R1, head at R1, base at R2, …: one server at a time on the machine)
and judged as two reports on the latency from the intended arrival.
Two reports: each side was measured separately; a metric regresses only when its whole 95%
bootstrap interval of head/base lies above the threshold after widening for what separate runs
cannot show (--run-variance, drift, contention, and with --repeat the spread between runs).
Exit codes: 0 no regression, 1 regression, budget violation (or an inconclusive verdict
or budget with --fail-on-inconclusive), 2 unreadable input or bad flags, 3 a model missing or invalid.`;

export const compareCommand = defineCommand<CompareFlags>({
  name: 'compare',
  description: 'compare two models (measured interleaved, paired) or two reports: per-stage change with confidence intervals, regressions, budgets',
  build: (command) =>
    addDeclaredFlags(
      command
        .argument('<base>', 'baseline: a model (.onnx, TF.js model.json or directory, SavedModel) or a report (JSON)')
        .argument('<head>', 'the model or report to judge')
        .option('--threshold <pct>', 'practical threshold: 5% (all), p99=10% or inference.p99=10% (repeatable)', collect)
        .option('--budget <expr>', 'budget on head, e.g. "inference.p99<=15ms", "throughput>=200/s" (repeatable)', collect)
        .option('-f, --format <name>', `output format: ${COMPARE_FORMATS.join(', ')}`, 'console')
        .option('-o, --out <file>', 'write the output to a file instead of stdout (stdout then gets the console summary)')
        .option('--json', 'print the JSON comparison to stdout (same as --format json)', false)
        .option('--fail-on-inconclusive', 'exit 1 when the verdict or a budget is inconclusive too (strict gates)', false)
        .option('--duet', 'paired: run base and head at the same time in two child processes, swapped per block, instead of alternating (needs two idle cores)', false)
        .option('--epochs <n>', 'paired: split the measurement into n epochs, each on freshly opened sessions, so the interval holds how their placement in memory moves the ratio (default 5; 1: one pair of sessions)', (v) => parseBoundedInt(v, '--epochs', MAX_EPOCHS, `each epoch reopens both sessions and warms them up again; ${MAX_EPOCHS} is 20× the default`))
        .option('--strict', 'reports: treat reports from different machines or inferbench versions as an input error (exit 2)', false)
        .option('--ignore <fields>', `reports: configuration fields to ignore when pairing trials: ${MATCH_FIELDS.join(', ')} (comma-separated)`)
        .option('--seed <n>', 'seed of the bootstrap (and, paired, of the block order; with --rate, of the arrivals): results are reproducible for a seed', (v) => parseNonNegativeInt(v, '--seed'))
        .option('--resamples <n>', 'bootstrap resamples (default 1000)', (v) => parseBoundedInt(v, '--resamples', MAX_RESAMPLES, 'B = 1000 (the default) already gives a steady interval; more only costs memory and time'))
        .option('--run-variance <pct>', 'reports: how far two runs of the same code may differ, assumed for a side measured once (default 10%; --repeat measures it instead)'),
      'paired',
      {
        '--iterations': 'paired: iterations per side (default auto: until the interval is a quarter of the threshold wide, 2–10 s)',
        '--duration': 'paired: measure both sides for this long in all, e.g. 10s',
      },
    )
      .option('--dry-run', 'paired: print the plan and exit', false)
      .addHelpText('after', EXAMPLES),
  outputs: (flags) => (flags.out === undefined || flags.dryRun ? [] : [{ flag: '--out', path: flags.out, kind: 'file' }]),
  onStop: 'finishing the current block and judging what was measured',
  async run(context) {
    const { command, flags } = context;
    const declared = declaredOptionsFrom(command, 'paired');
    const given = [...declaredFlagsGiven(command, 'paired'), ...(flags.dryRun ? ['--dry-run'] : []), ...(flags.duet ? ['--duet'] : []), ...(flags.epochs !== undefined ? ['--epochs'] : [])];
    const { runCompare } = await import('./compare-action.js');
    return runCompare(context.args[0]!, context.args[1]!, declared, given, context);
  },
});
