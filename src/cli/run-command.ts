// `inferbench run [--config inferbench.config.json]`: the command's flags and help. The work is the
// library's run() (src/run.ts), printed by run-action.ts; both load when the command runs.
import { Command } from 'commander';
import { DEFAULT_CONFIG_FILE } from '../config/config-file.js';
import { collect } from '../options/parse.js';
import { addDeclaredFlags, declaredOptionsFrom } from './declared-flags.js';
import type { RunFlags } from './run-action.js';
import type { GlobalFlags } from './terminal.js';

export function runCommand(globals: () => GlobalFlags = () => ({ quiet: false, verbose: false, color: true })): Command {
  const command = new Command('run')
    .description('run what a config file declares: profile its models, check budgets, compare with a baseline')
    .option('-c, --config <file>', 'config file', DEFAULT_CONFIG_FILE)
    .option('-o, --out <dir>', 'report directory (overrides output.dir)')
    .option('--comparison <file>', 'Markdown comparison with the baseline (overrides output.comparison)')
    .option('--baseline <dir>', 'directory of baseline reports <model-name>.json (overrides baseline)')
    .option('--no-compare', 'do not compare with the baseline')
    .option('--budget <expr>', 'budget (repeatable; replaces the config budgets)', collect)
    .option('--threshold <pct>', 'compare threshold (repeatable; applied after the config thresholds)', collect);
  return addDeclaredFlags(command, 'run', {
    '--iterations': 'measured iterations (overrides measure)',
    '--duration': 'measure for this long (overrides measure)',
    '--warmup': 'warm-up (overrides measure.warmup)',
    '--repeat': 'measure every trial n times, interleaved (overrides measure.repeat)',
  })
    .option('--run-variance <pct>', 'compare: run-to-run allowance for a side measured once (overrides runVariance)')
    .option('--base-ref <ref>', 'paired: compare each model with its version at this git ref, measured interleaved (overrides paired)')
    .option('--base-dir <dir>', 'paired: compare each model with the same-named model in this directory, measured interleaved (overrides paired)')
    .action(async (flags: RunFlags) => {
      const overrides = { ...declaredOptionsFrom(command, 'run'), ...(flags.budget !== undefined && { budgets: flags.budget }) };
      const { runConfig } = await import('./run-action.js');
      process.exitCode = await runConfig(flags, overrides, globals());
    });
}
