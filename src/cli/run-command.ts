// `inferbench run [--config inferbench.config.json]`: the command's flags and help. The work is the
// library's run() (src/run.ts), printed by run-action.ts; both load when the command runs.
import { DEFAULT_CONFIG_FILE } from '../config/config-file.js';
import { collect } from '../options/parse.js';
import { addDeclaredFlags, declaredOptionsFrom } from './declared-flags.js';
import type { RunFlags } from './run-action.js';
import { defineCommand } from './frame.js';

export const runCommand = defineCommand<RunFlags>({
  name: 'run',
  description: 'run what a config file declares: profile its models, check budgets, compare with a baseline',
  build: (command) =>
    addDeclaredFlags(
      command
        .option('-c, --config <file>', 'config file', DEFAULT_CONFIG_FILE)
        .option('-o, --out <dir>', 'report directory (overrides output.dir)')
        .option('--comparison <file>', 'Markdown comparison with the baseline (overrides output.comparison)')
        .option('--baseline <dir>', 'directory of baseline reports <model-name>.json (overrides baseline)')
        .option('--no-compare', 'do not compare with the baseline')
        .option('--budget <expr>', 'budget (repeatable; replaces the config budgets)', collect)
        .option('--threshold <pct>', 'compare threshold (repeatable; applied after the config thresholds)', collect),
      'run',
      {
        '--iterations': 'measured iterations (overrides measure)',
        '--duration': 'measure for this long (overrides measure)',
        '--warmup': 'warm-up (overrides measure.warmup)',
        '--repeat': 'measure every trial n times, interleaved (overrides measure.repeat)',
      },
    )
      .option('--run-variance <pct>', 'compare: run-to-run allowance for a side measured once (overrides runVariance)')
      .option('--base-ref <ref>', 'paired: compare each model with its version at this git ref, measured interleaved (overrides paired)')
      .option('--base-dir <dir>', 'paired: compare each model with the same-named model in this directory, measured interleaved (overrides paired)'),
  // The output paths come from the config file too: run() probes output.dir and output.comparison
  // (or --out / --comparison) before it measures anything.
  onStop: 'finishing the current measurement and writing what was measured',
  async run(context) {
    const { flags } = context;
    const overrides = { ...declaredOptionsFrom(context.command, 'run'), ...(flags.budget !== undefined && { budgets: flags.budget }) };
    const { runConfig } = await import('./run-action.js');
    return runConfig(overrides, context);
  },
});
