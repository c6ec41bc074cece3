// The sweep plan as text, for --dry-run.
import Table from 'cli-table3';
import type { TrialSpec } from '../types.js';
import { formatBatch, formatThreads } from './format.js';

export function renderPlan(specs: readonly TrialSpec[]): string {
  const table = new Table({
    head: ['#', 'device', 'precision', 'batch', 'threads', 'graph opt'],
    style: { head: [], border: [], compact: true },
  });
  specs.forEach((spec, i) => table.push([String(i + 1), spec.device, spec.precision, formatBatch(spec.batch), formatThreads(spec.threads), spec.graphOptimization]));
  return `${specs.length} trial${specs.length === 1 ? '' : 's'} planned for ${specs[0]?.model ?? '(none)'}\n${table.toString()}\n`;
}
