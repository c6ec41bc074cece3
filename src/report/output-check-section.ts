// The --check-outputs section, shared by the console and Markdown exporters: one summary line,
// then one line per data set or output that did not match.
import type { OutputCheck } from '../check/check-outputs.js';

export function outputCheckSummary(check: OutputCheck): string {
  const sets = check.dataSets.length;
  const matched = check.dataSets.filter((d) => d.status === 'match').length;
  const rule = `rtol ${check.rtol}, atol ${check.atol}, on ${check.device}`;
  if (check.status === 'match') return `Outputs match output_*.pb in ${sets} of ${sets} test data set${sets === 1 ? '' : 's'} (${rule})`;
  return `Outputs DO NOT match: ${matched} of ${sets} test data set${sets === 1 ? '' : 's'} matched (${rule})`;
}

export function outputCheckDetails(check: OutputCheck): string[] {
  const lines: string[] = [];
  for (const set of check.dataSets) {
    if (set.status === 'error') lines.push(`${set.path}: could not run: ${set.error ?? 'unknown error'}`);
    for (const output of set.outputs) {
      if (output.status === 'mismatch') lines.push(`${set.path}: output '${output.name}': ${output.detail ?? 'mismatch'}`);
    }
  }
  return lines;
}
