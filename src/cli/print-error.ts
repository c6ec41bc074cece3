// How an error leaves the program: an InferbenchError prints `error:` and `hint:` lines (the stack
// only with --verbose) and exits with its documented code; anything else is a bug and prints its
// stack. Used by main.ts's boundary and by the frame once a stop signal has set the exit code.
import { CommanderError } from 'commander';
import { ExitCode, isInferbenchError } from '../errors.js';

/** Prints `error` for the user and returns its exit code. */
export function printError(error: unknown, verbose: boolean): number {
  if (error instanceof CommanderError) {
    // --help and --version also end here, successfully; commander already printed the message.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (isInferbenchError(error)) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
    if (verbose && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  process.stderr.write(`internal error (a bug in inferbench): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return ExitCode.internal;
}
