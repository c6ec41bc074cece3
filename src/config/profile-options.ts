// A loaded config → the ProfileOptions of one profile() call per model, read through the option
// declarations (options/declarations.ts: each option's `config.at`). The sweep axes pass through as
// lists; the pipeline is the top-level one with the model's own fields over it (options merge key by
// key); options given on the command line (`inferbench run -n 500`) win over the file.
import { InferbenchError } from '../errors.js';
import { OPTION_DECLARATIONS, type DeclaredOptions, type OptionDeclaration } from '../options/declarations.js';
import type { ProfileOptions } from '../profile-options.js';
import type { InferbenchConfig, ModelEntry } from './config.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The file's value at a declaration's `config.at`, for one model. */
function valueAt(config: InferbenchConfig, model: ModelEntry, at: string): unknown {
  const [section, name] = at.includes('.') ? (at.split('.') as [string, string]) : ['', at];
  switch (section) {
    case 'sweep':
      return (config.sweep as Record<string, unknown>)[name];
    case 'measure':
      return (config.measure as Record<string, unknown>)[name];
    case 'model':
      return (model as unknown as Record<string, unknown>)[name];
    case 'pipeline': {
      const top = (config.pipeline as Record<string, unknown>)[name];
      const own = (model.pipeline as Record<string, unknown> | undefined)?.[name];
      return isRecord(top) && isRecord(own) ? { ...top, ...own } : (own ?? top);
    }
    default:
      // Top-level keys; budgets as written (profile() parses and checks them, as for --budget).
      return name === 'budgets' ? (config.budgetTexts.length > 0 ? config.budgetTexts : undefined) : undefined;
  }
}

export function profileOptionsFor(config: InferbenchConfig, model: ModelEntry, overrides: DeclaredOptions = {}): ProfileOptions {
  const options: Record<string, unknown> = {};
  const setAt = new Map<string, string>();
  for (const declaration of OPTION_DECLARATIONS as readonly OptionDeclaration[]) {
    if (declaration.config === undefined) continue;
    const { at, read } = declaration.config;
    const value = valueAt(config, model, at);
    if (value === undefined) continue;
    const where = `${config.file}: /${at.replace('.', '/')}`;
    const other = setAt.get(declaration.key);
    if (other !== undefined) {
      throw new InferbenchError('usage', `${config.file}: /${other.replace('.', '/')} and /${at.replace('.', '/')} cannot both be set`, 'keep one of them');
    }
    setAt.set(declaration.key, at);
    options[declaration.key] = read ? read(value as never, where) : value;
  }
  return { ...(options as DeclaredOptions), ...overrides, model: model.path };
}
