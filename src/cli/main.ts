// The program: global flags, sub-commands, and the ONE error boundary. An InferbenchError prints
// `error:` and `hint:` lines and exits with its documented code; anything else is a bug and
// prints its stack.
import { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { compareCommand } from './compare-command.js';
import { completionCommand } from './completion-command.js';
import { calibrateCommand } from './calibrate-command.js';
import { devicesCommand } from './devices-command.js';
import { mergeCommand } from './merge-command.js';
import { profileCommand } from './profile-command.js';
import { reportCommand } from './report-command.js';
import { runCommand } from './run-command.js';
import { serveCommand } from './serve-command.js';
import type { DeclaredCommand } from './frame.js';
import { printError } from './print-error.js';

/**
 * Every sub-command, in --help order. Each runs through the command frame (frame.ts): a new
 * command is `export const xCommand = defineCommand({...})` in its own file and one entry here.
 */
export const COMMANDS: readonly DeclaredCommand[] = [profileCommand, devicesCommand, calibrateCommand, compareCommand, runCommand, reportCommand, mergeCommand, serveCommand, completionCommand];

const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    a budget violated (profile/run --budget, merge), a regression (compare, run), or\n       an inconclusive comparison or budget with --fail-on-inconclusive
  2    usage error (bad flag or value, unknown device, unresolved input dim, reports that\n       cannot be merged)
  3    model missing or not a valid model
  4    no trial succeeded (runtime rejected the inputs, device unavailable, inputs too large, runtime error)
  5    a report could not be written (even to the temp directory)
  6    some trials failed or crashed, or a merge lacks a shard's trials; the others were\n       measured and reported
  70   internal error (a bug: please report it with the stack printed by --verbose)
  129  stopped by SIGHUP (the partial report was written)
  130  interrupted by Ctrl-C (the partial report was written)
  143  stopped by SIGTERM, e.g. timeout or CI cancellation (the partial report was written)`;

export function buildProgram(): Command {
  const program = new Command('inferbench')
    .description('Latency profiler and benchmark for ML inference (ONNX Runtime)')
    .version(TOOL_VERSION, '-V, --version')
    .option('-q, --quiet', 'print only results and errors', false)
    .option('-v, --verbose', 'more detail, and stack traces for errors', false)
    .option('--no-color', 'no colours (also NO_COLOR=1, or when stdout is not a terminal)')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride();
  for (const declared of COMMANDS) program.addCommand(declared.make());
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (error) {
    return printError(error, argv.includes('--verbose') || argv.includes('-v'));
  }
}
