// commander options made from the option declarations (options/declarations.ts), and their values
// read back as library options. A flag's help, default text and parser are the declaration's.
import { Option, type Command } from 'commander';
import { InferbenchError } from '../errors.js';
import { OPTION_DECLARATIONS, type DeclaredOptions, type OptionDeclaration } from '../options/declarations.js';

/** Which command's flags: every profile option, those that say how `compare` runs two models, or those `run` overrides. */
export type FlagSet = 'profile' | 'paired' | 'run';

const DECLARATIONS = OPTION_DECLARATIONS as readonly OptionDeclaration[];

function inSet(declaration: OptionDeclaration, set: FlagSet): boolean {
  if (declaration.flags === undefined) return false;
  return set === 'profile' || (set === 'paired' && declaration.paired === true) || (set === 'run' && declaration.run === true);
}

/** The help line: the declaration's text and its default, as --help and docs/options.md show it. */
export function helpOf(declaration: OptionDeclaration): string {
  const shown = declaration.defaultText ?? defaultShown(declaration.default);
  return shown === undefined || declaration.flagValue !== undefined ? declaration.help : `${declaration.help} (default: ${shown})`;
}

function defaultShown(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value.join(',') : typeof value === 'object' ? undefined : String(value);
}

/** Adds the declared flags of `set` to `command`; `help` replaces a flag's help text there (by long flag name). */
export function addDeclaredFlags(command: Command, set: FlagSet, help: Record<string, string> = {}): Command {
  for (const declaration of DECLARATIONS) {
    if (!inSet(declaration, set)) continue;
    const option = new Option(declaration.flags!, help[longName(declaration)] ?? helpOf(declaration));
    if (declaration.choices) option.choices(declaration.choices);
    else if (declaration.parse) option.argParser(declaration.parse as (raw: string, previous: unknown) => unknown);
    command.addOption(option);
  }
  return command;
}

/**
 * The library options the user gave on the command line (defaults are profile()'s, from the same
 * declarations). Two flags of one option (-n and --duration) cannot be combined.
 */
export function declaredOptionsFrom(command: Command, set: FlagSet): DeclaredOptions {
  const options: Record<string, unknown> = {};
  const givenBy = new Map<string, OptionDeclaration>();
  for (const declaration of DECLARATIONS) {
    if (!inSet(declaration, set)) continue;
    const attribute = attributeOf(command, declaration);
    if (command.getOptionValueSource(attribute) !== 'cli') continue;
    const other = givenBy.get(declaration.key);
    if (other !== undefined && attributeOf(command, other) !== attribute) {
      throw new InferbenchError('usage', `${shortFlags(other)} and ${shortFlags(declaration)} cannot be combined`, `give one of them, e.g. ${exampleOf(other)}`);
    }
    givenBy.set(declaration.key, declaration);
    options[declaration.key] = command.getOptionValue(attribute) as unknown;
  }
  return options as DeclaredOptions;
}

/** The declared flags of `set` the user gave, e.g. ['--device', '--batch']. */
export function declaredFlagsGiven(command: Command, set: FlagSet): string[] {
  return DECLARATIONS.filter((d) => inSet(d, set) && command.getOptionValueSource(attributeOf(command, d)) === 'cli').map(longName);
}

function attributeOf(command: Command, declaration: OptionDeclaration): string {
  const option = command.options.find((o) => o.flags === declaration.flags);
  if (option === undefined) throw new Error(`flag ${declaration.flags} is not declared on ${command.name()}`);
  return option.attributeName();
}

/** '-n, --iterations <n>' → '--iterations'. */
function longName(declaration: OptionDeclaration): string {
  return /--[a-z0-9-]+/.exec(declaration.flags!)![0];
}

/** '-n, --iterations <n>' → '-n/--iterations'. */
function shortFlags(declaration: OptionDeclaration): string {
  return declaration.flags!.split(/[ ,]+/).filter((part) => part.startsWith('-')).join('/');
}

function exampleOf(declaration: OptionDeclaration): string {
  return declaration.flags!.split(/[ ,]+/).filter((part) => part.startsWith('-')).pop()!;
}
