// String → value parsers for option values, shared by the command line and the config file. Each
// throws InferbenchError('usage') whose hint shows the accepted syntax, so callers never see a raw exception.
import { InferbenchError } from '../errors.js';
import type { PhaseBound } from '../types.js';

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

/** `--warmup 20` (iterations), `--warmup 2s` (time) or `--warmup auto`. */
export function parseWarmup(raw: string): PhaseBound {
  const value = raw.trim();
  if (value === 'auto') return { kind: 'auto' };
  if (/^\d+$/.test(value)) return { kind: 'count', iterations: Number(value) };
  return { kind: 'time', ms: parseDurationMs(value, '--warmup') };
}

/** -n and --duration are alternatives; neither means auto. */
export function measureBound(iterations: number | undefined, durationMs: number | undefined): PhaseBound {
  if (iterations !== undefined && durationMs !== undefined) {
    throw new InferbenchError('usage', '-n/--iterations and --duration cannot be combined', 'give one: -n 500 or --duration 10s');
  }
  if (iterations !== undefined) return { kind: 'count', iterations };
  if (durationMs !== undefined) return { kind: 'time', ms: durationMs };
  return { kind: 'auto' };
}

/** "json,md" → ['json', 'md'] (deduplicated, order kept). */
export function parseList(raw: string): string[] {
  return [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
