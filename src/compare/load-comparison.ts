// Reading a comparison back (the JSON `inferbench compare --format json` writes), so `inferbench
// report` can render it after the fact. There is no JSON Schema for comparisons yet: the format
// tag and the fields every renderer reads are checked, and anything else is a usage error.
import { InferbenchError } from '../errors.js';
import { COMPARE_JSON_FORMAT } from './render-json.js';
import type { Comparison } from './verdict.js';

/** True when the parsed JSON carries the comparison format tag (any version). */
export function isComparisonJson(data: unknown): boolean {
  return typeof data === 'object' && data !== null && typeof (data as { format?: unknown }).format === 'string' && (data as { format: string }).format.startsWith('inferbench-compare/');
}

export function parseComparison(data: unknown, label: string): Comparison {
  const c = data as Partial<Comparison> & { format?: string };
  if (c.format !== COMPARE_JSON_FORMAT) {
    throw new InferbenchError('usage', `${label}: comparison format '${String(c.format)}' is not supported (expected ${COMPARE_JSON_FORMAT})`, 'render it with the inferbench version that wrote it, or re-run compare');
  }
  const missing = (['base', 'head', 'matching', 'trials', 'budgets', 'verdict', 'method'] as const).filter((k) => c[k] === undefined);
  if (missing.length > 0 || !Array.isArray(c.trials)) {
    throw new InferbenchError('usage', `${label} is not a complete comparison: missing ${missing.join(', ') || 'trials'}`, 'pass the JSON written by `inferbench compare --format json`');
  }
  return c as Comparison;
}
