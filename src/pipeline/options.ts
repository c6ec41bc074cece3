// Parsing of `--pipeline-opt key=value` values shared by the built-in pipelines. Every error names
// the option and an example, so a typo is caught before anything runs.
import { InferbenchError } from '../errors.js';

/** `a,b,c` numbers; `count` (when given) must match, or a single value is repeated. */
export function numberList(options: Record<string, string>, key: string, fallback: number[], count?: number): number[] {
  const text = options[key];
  const values = text === undefined ? fallback : text.split(',').map((s) => Number(s.trim()));
  if (values.length === 0 || values.some((v) => !Number.isFinite(v))) {
    throw new InferbenchError('usage', `--pipeline-opt ${key}=${text ?? ''} is not a list of numbers`, `e.g. --pipeline-opt ${key}=0.485,0.456,0.406`);
  }
  if (count === undefined || values.length === count) return values;
  if (values.length === 1) return new Array<number>(count).fill(values[0] as number);
  throw new InferbenchError('usage', `--pipeline-opt ${key} gives ${values.length} values but the model takes ${count} channels`, `give ${count} values, or one for all`);
}

export function positiveInt(options: Record<string, string>, key: string): number | undefined {
  const text = options[key];
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new InferbenchError('usage', `--pipeline-opt ${key}=${text} is not a positive integer`, `e.g. --pipeline-opt ${key}=256`);
  }
  return n;
}

export function choice<T extends string>(options: Record<string, string>, key: string, allowed: readonly T[]): T | undefined {
  const text = options[key];
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text)) {
    throw new InferbenchError('usage', `--pipeline-opt ${key}=${text} is not one of ${allowed.join(', ')}`, `e.g. --pipeline-opt ${key}=${allowed[0]}`);
  }
  return text as T;
}

/** Rejects keys a pipeline does not know (a misspelt `interpolaton=` must not silently do nothing). */
export function checkKeys(pipeline: string, options: Record<string, string>, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new InferbenchError('usage', `--pipeline-opt ${key} is not an option of the ${pipeline} pipeline`, `its options: ${known.join(', ')}`);
    }
  }
}
