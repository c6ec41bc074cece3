// A Comparison as JSON: the Comparison object itself under a format tag, for scripts and bots.
import type { Comparison } from './verdict.js';

/** Identifies the shape for readers; bump on an incompatible change. */
export const COMPARE_JSON_FORMAT = 'inferbench-compare/1';

export function renderCompareJson(c: Comparison): string {
  return `${JSON.stringify({ format: COMPARE_JSON_FORMAT, ...c }, null, 2)}\n`;
}
