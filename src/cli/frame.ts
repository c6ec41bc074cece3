// The command frame: every sub-command runs through it, so each gets the same hardening by being
// declared (issue 25), not by copying it from `profile`:
// - excess positional arguments are a usage error (exit 2), never silently ignored;
// - the output paths the command names are probed before any work (exit 2 with the reason);
// - a stop signal aborts `context.signal` once (the command writes what it has) and the exit code
//   is the shell's 128 + n (SIGINT 130, SIGTERM 143, SIGHUP 129) whatever the command returned;
//   a second signal leaves at once, and child processes, whose IPC channel then closes, with it;
// - cleanups registered with `context.defer` run however the command ends (temp copies).
// A command plugs in with `export const xCommand = defineCommand({...})` and one entry in main.ts's
// COMMANDS list;
// test/cli/frame.test.ts lists the registered commands and checks each property on each.
import { Command } from 'commander';
import { printError } from './print-error.js';
import { checkOutputs, type OutputTarget } from './outputs.js';
import { exitCodeForSignal, onStopSignals, type StopSignal } from './signals.js';
import { createTerminal, type GlobalFlags, type Terminal } from './terminal.js';

/** What a running command gets from the frame. */
export interface CommandContext<F> {
  /** The positional arguments, variadic ones flattened, in order. */
  readonly args: string[];
  readonly flags: F;
  /** The commander command (for declaredOptionsFrom and option sources). */
  readonly command: Command;
  readonly globals: GlobalFlags;
  readonly terminal: Terminal;
  /** Aborted by the first SIGINT/SIGTERM/SIGHUP: stop measuring and write what was measured. */
  readonly signal: AbortSignal;
  /** The stop signal received, if any. */
  stoppedBy(): StopSignal | undefined;
  /** Probe outputs known only once the command has read more (a config file): exit 2 if unwritable. */
  checkOutputs(targets: readonly OutputTarget[]): void;
  /** Runs when the command ends, however it ends (errors included), last registered first. */
  defer(cleanup: () => void | Promise<void>): void;
}

export interface CommandDefinition<F = Record<string, unknown>> {
  name: string;
  description: string;
  /** Arguments, options and help text on the commander command. Keep it cheap: --help builds every command. */
  build(command: Command): Command;
  /** The paths this invocation will write, from its flags: probed before run(). Omit for none. */
  outputs?(flags: F, args: string[]): OutputTarget[];
  /** Said after "interrupted by SIGTERM: " when a stop signal arrives, e.g. 'writing the partial report'. */
  onStop?: string;
  /** The work; import heavy modules here (lazily). Returns the exit code. */
  run(context: CommandContext<F>): Promise<number> | number;
}

const FRAMED = new WeakSet<Command>();

/** Whether `command` was made by frameCommand (the frame test checks every registered one). */
export function isFramed(command: Command): boolean {
  return FRAMED.has(command);
}

/** A declared command, ready for main.ts's COMMANDS list (its flag type erased). */
export interface DeclaredCommand {
  readonly name: string;
  /** A fresh commander command wrapped in the frame. */
  make(): Command;
}

/** A command file exports `defineCommand({...})`; main.ts lists it in COMMANDS. */
export function defineCommand<F>(definition: CommandDefinition<F>): DeclaredCommand {
  return { name: definition.name, make: () => frameCommand(definition) };
}

/** The commander command for a definition, wrapped in the frame. */
function frameCommand<F>(definition: CommandDefinition<F>): Command {
  const command = definition.build(new Command(definition.name).description(definition.description));
  command.allowExcessArguments(false).exitOverride();
  command.action(async (...received: unknown[]) => {
    // commander passes the positional arguments, then the options, then the command.
    const flags = received[received.length - 2] as F;
    const args = received.slice(0, -2).flatMap((a) => (a === undefined ? [] : Array.isArray(a) ? (a as string[]) : [String(a)]));
    process.exitCode = await runFramed(definition, command, args, flags);
  });
  FRAMED.add(command);
  return command;
}

async function runFramed<F>(definition: CommandDefinition<F>, command: Command, args: string[], flags: F): Promise<number> {
  const globals = { quiet: false, verbose: false, color: true, ...command.parent?.opts<Partial<GlobalFlags>>() };
  const terminal = createTerminal(globals);
  const cleanups: (() => void | Promise<void>)[] = [];
  const stop = onStopSignals((signal) => {
    terminal.clearStatus();
    terminal.warn(`interrupted by ${signal}: ${definition.onStop ?? 'stopping'} (send it again to quit at once)`);
  });
  const context: CommandContext<F> = {
    args,
    flags,
    command,
    globals,
    terminal,
    signal: stop.signal,
    stoppedBy: stop.received,
    checkOutputs,
    defer: (cleanup) => void cleanups.unshift(cleanup),
  };
  try {
    checkOutputs(definition.outputs?.(flags, args) ?? []);
    const code = await definition.run(context);
    const stoppedBy = stop.received();
    return stoppedBy === undefined ? code : exitCodeForSignal(stoppedBy);
  } catch (error) {
    const stoppedBy = stop.received();
    if (stoppedBy === undefined) throw error; // main's error boundary prints it
    printError(error, globals.verbose);
    return exitCodeForSignal(stoppedBy);
  } finally {
    stop.dispose();
    for (const cleanup of cleanups) await runCleanup(cleanup, terminal);
  }
}

async function runCleanup(cleanup: () => void | Promise<void>, terminal: Terminal): Promise<void> {
  try {
    await cleanup();
  } catch (error) {
    terminal.warn(`warning: cleaning up failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
