// compare(base, head, options) → Comparison: the library form of `inferbench compare`. Takes
// reports or paths to report files (read and validated as the CLI does), and never prints;
// render the result with the compare exporters, or read its verdicts and exit code.
import { readReport } from './compare/load.js';
import { compareReports, type CompareOptions, type Comparison } from './compare/verdict.js';
import type { Report } from './types.js';

export type { CompareOptions, Comparison } from './compare/verdict.js';

export function compare(base: Report | string, head: Report | string, options: CompareOptions = {}): Comparison {
  const read = (side: Report | string): Report => (typeof side === 'string' ? readReport(side) : side);
  const labels = options.labels ?? { base: typeof base === 'string' ? base : 'base', head: typeof head === 'string' ? head : 'head' };
  return compareReports(read(base), read(head), { ...options, labels });
}
