// What the console and Markdown reports say about a shard's report (--shard) and a merged one
// (`inferbench merge`): which part of the plan, which reports and machines, what is missing.
// Plain lines; each exporter styles them.
import type { Report, TrialOk } from '../types.js';

/** At most this many trial ids are listed in a line; the rest are counted. */
const LISTED = 5;

function listed(items: readonly string[]): string {
  return items.length <= LISTED ? items.join(', ') : `${items.slice(0, LISTED).join(', ')} and ${items.length - LISTED} more`;
}

function rate(r: number): string {
  return `${+r.toFixed(2)}/s`;
}

export function scaleOutLines(report: Report): string[] {
  const lines: string[] = [];
  if (report.shard?.split) {
    const { index, count, split } = report.shard;
    lines.push(`Shard ${index}/${count} of a split load: every trial at 1/${count} of its rate (${split.rates.map(rate).join(', ')} of ${split.totalRates.map(rate).join(', ')}), arrival seed ${split.seed} (from --seed ${split.baseSeed}); inferbench merge adds the ${count} shards' rates.`);
  } else if (report.shard) {
    const { index, count, plan } = report.shard;
    lines.push(`Shard ${index}/${count}: ${report.trials.length} of the plan's ${plan.length} trials; inferbench merge joins the ${count} shards' reports.`);
  }
  const merge = report.merge;
  if (!merge) return lines;
  const shards = merge.parts.filter((p) => p.shard !== null).map((p) => p.shard);
  lines.push(`Merged from ${merge.parts.length} report${merge.parts.length === 1 ? '' : 's'}${shards.length > 0 ? ` (shards ${shards.join(', ')})` : ''} on ${merge.machines.length} machine${merge.machines.length === 1 ? '' : 's'}: histograms added, percentiles from the merged histograms.`);
  const split = report.trials.map((t) => (t.status === 'ok' ? t.service?.split : undefined)).find((s) => s !== undefined);
  if (split) {
    lines.push(`Split load over ${split.count} shards sent at once to one server: each trial's rates are the shards' sum, its duration the span of their intervals.`);
  }
  if (merge.incomplete && split) {
    lines.push(`Incomplete: shard ${merge.incomplete.shards.join(', ')} did not offer its share of ${listed(merge.incomplete.missing)}: ${merge.incomplete.missing.length === 1 ? 'that trial was offered less than its rate' : 'those trials were offered less than their rate'}.`);
  } else if (merge.incomplete) {
    lines.push(`Incomplete: ${merge.incomplete.missing.length} planned trial${merge.incomplete.missing.length === 1 ? '' : 's'} not measured (${listed(merge.incomplete.missing)}), owed by shard ${merge.incomplete.shards.join(', ')}.`);
  }
  if (merge.mixedMachines) {
    lines.push(`Mixed machines (--allow-mixed-machines): trials measured on different hardware or software are not comparable as one sweep.`);
    for (const trial of report.trials) {
      const parts = trial.status === 'ok' ? (trial as TrialOk).parts ?? [] : [];
      if (parts.length > 0) lines.push(`  ${trial.spec.id}: ${[...new Set(parts.map((p) => p.machine))].join(' + ')}`);
    }
  }
  return lines;
}
