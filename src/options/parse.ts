// String → value parsers for option values, shared by the command line and the config file. Each
// throws InferbenchError('usage') whose hint shows the accepted syntax, so callers never see a raw exception.
import { InferbenchError } from '../errors.js';
import { OUTPUT_HANDLINGS, PRECISIONS, type OutputHandling, type PhaseBound, type Precision } from '../types.js';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000 };

/** "500ms", "2s", "1.5s", "1m" → milliseconds. */
export function parseDurationMs(raw: string, flag: string): number {
  const match = DURATION.exec(raw.trim());
  if (!match) throw new InferbenchError('usage', `${flag} '${raw}' is not a duration`, `use a number with a unit: 500ms, 2s, 1m`);
  const ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  if (!(ms > 0)) throw new InferbenchError('usage', `${flag} must be longer than 0`, 'e.g. 2s');
  return ms;
}

export function parseNonNegativeInt(raw: string, flag: string): number {
  if (!/^\d+$/.test(raw.trim())) throw new InferbenchError('usage', `${flag} '${raw}' is not a whole number`, `e.g. ${flag} 100`);
  return Number(raw);
}

export function parsePositiveInt(raw: string, flag: string): number {
  const n = parseNonNegativeInt(raw, flag);
  if (n < 1) throw new InferbenchError('usage', `${flag} must be at least 1`, `e.g. ${flag} 4`);
  return n;
}

/** A whole number in [1, max]; `why` says where the bound comes from, for the message. */
export function parseBoundedInt(raw: string, flag: string, max: number, why: string): number {
  const n = parsePositiveInt(raw, flag);
  if (n > max) throw new InferbenchError('usage', `${flag} must be at most ${max}, got ${raw.trim()}`, why);
  return n;
}

/** `--warmup 20` (iterations), `--warmup 2s` (time) or `--warmup auto`. */
export function parseWarmup(raw: string): PhaseBound {
  const value = raw.trim();
  if (value === 'auto') return { kind: 'auto' };
  if (/^\d+$/.test(value)) return { kind: 'count', iterations: Number(value) };
  return { kind: 'time', ms: parseDurationMs(value, '--warmup') };
}


/** "json,md" → ['json', 'md'] (deduplicated, order kept). */
export function parseList(raw: string): string[] {
  return [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** More values than this on one axis is more likely a typo than a plan. */
const MAX_AXIS_VALUES = 64;

/**
 * Batch sizes: a list (`1,2,4`), a range stepping by one (`1..8`), by a constant (`1..64:+8`),
 * or by a factor (`1..64:x2` → 1,2,4,...,64), or a mix (`1,3..9:+3`).
 */
export function parseBatchList(raw: string): number[] {
  const values: number[] = [];
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const range = /^(\d+)\.\.(\d+)(?::([x+*])(\d+))?$/.exec(part);
    if (range) {
      const lo = Number(range[1]);
      const hi = Number(range[2]);
      const op = range[3] ?? '+';
      const step = Number(range[4] ?? 1);
      const grows = op === '+' ? step >= 1 : step >= 2;
      if (lo < 1 || hi < lo || !grows) throw batchError(raw, `range '${part}' must go up from at least 1`);
      // Checked inside the loop, not after it: '1..10000000000' would otherwise build a ten
      // billion element array before the cap is ever looked at.
      for (let b = lo; b <= hi; b = op === '+' ? b + step : b * step) {
        values.push(b);
        if (values.length > MAX_AXIS_VALUES) throw batchError(raw, `more than ${MAX_AXIS_VALUES} batch sizes`);
      }
    } else if (/^\d+$/.test(part) && Number(part) >= 1) {
      values.push(Number(part));
    } else {
      throw batchError(raw, `'${part}' is not a batch size or range`);
    }
    if (values.length > MAX_AXIS_VALUES) throw batchError(raw, `more than ${MAX_AXIS_VALUES} batch sizes`);
  }
  if (values.length === 0) throw batchError(raw, 'no batch size given');
  return [...new Set(values)];
}

function batchError(raw: string, why: string): InferbenchError {
  return new InferbenchError('usage', `--batch '${raw}': ${why}`, 'e.g. --batch 1,2,4,8 or --batch 1..64:x2 or --batch 1..8');
}

export function parsePrecisionList(raw: string): Precision[] {
  const values = raw.split(',').map((p) => p.trim().toLowerCase()).filter(Boolean);
  for (const value of values) {
    if (!PRECISIONS.includes(value as Precision)) {
      throw new InferbenchError('usage', `unknown precision '${value}'`, `use one or more of: ${PRECISIONS.join(', ')}`);
    }
  }
  if (values.length === 0) throw new InferbenchError('usage', 'no precision given', 'e.g. --precision fp32,fp16,int8');
  return [...new Set(values)] as Precision[];
}

/** `key=value` (a repeatable flag) added to the pairs so far; a key given twice is an error. */
export function parseKeyValue(raw: string, previous: Record<string, string> | undefined, flag: string): Record<string, string> {
  const at = raw.indexOf('=');
  if (at <= 0) throw new InferbenchError('usage', `${flag} '${raw}' is not key=value`, `e.g. ${flag} tokenizer=tokenizer.json`);
  const key = raw.slice(0, at);
  if (previous && Object.hasOwn(previous, key)) throw new InferbenchError('usage', `${flag} ${key} is given twice`);
  return { ...previous, [key]: raw.slice(at + 1) };
}

/** `--variant int8=model.int8.onnx` (repeatable) added to the variants so far. */
export function parseVariant(raw: string, previous: Partial<Record<Precision, string>> | undefined): Partial<Record<Precision, string>> {
  const at = raw.indexOf('=');
  const [precision] = parsePrecisionList(at > 0 ? raw.slice(0, at) : raw);
  if (at < 0 || !precision || at === raw.length - 1) {
    throw new InferbenchError('usage', `--variant '${raw}' is not precision=path`, 'e.g. --variant int8=model.int8.onnx');
  }
  return { ...previous, [precision]: raw.slice(at + 1) };
}

export function checkOutputHandling(value: string): OutputHandling {
  if (OUTPUT_HANDLINGS.includes(value as OutputHandling)) return value as OutputHandling;
  throw new InferbenchError('usage', `unknown output handling '${value}'`, `use one or more of: ${OUTPUT_HANDLINGS.join(', ')} (docs/large-outputs.md)`);
}
