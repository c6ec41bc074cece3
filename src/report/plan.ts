// The sweep plan as text, for --dry-run.
import Table from 'cli-table3';
import type { TrialSpec } from '../types.js';
import { formatBatch, formatThreads } from './format.js';

export function renderPlan(specs: readonly TrialSpec[]): string {
  const concurrent = specs.some((s) => (s.concurrency ?? 1) > 1);
  const table = new Table({
    head: ['#', 'device', 'precision', 'batch', 'threads', ...(concurrent ? ['concurrency'] : []), 'graph opt'],
    style: { head: [], border: [], compact: true },
  });
  specs.forEach((spec, i) => table.push([
    String(i + 1), spec.device, spec.precision, formatBatch(spec.batch), formatThreads(spec.threads),
    ...(concurrent ? [String(spec.concurrency ?? 1)] : []), spec.graphOptimization,
  ]));
  return `${specs.length} trial${specs.length === 1 ? '' : 's'} planned for ${specs[0]?.model ?? '(none)'}\n${table.toString()}\n`;
}
