// The reports of a split load (`--rate R --shard I/N` against one server: every shard measured
// every trial at R/N, merge/load-split.ts) checked as a set before their trials merge
// (merge-split.ts): all of one split (the same N and rates) or none, each shard once, and which
// shards' load is missing from which trials.
import { InferbenchError } from '../errors.js';
import type { MergeInfo } from '../model/merge.js';
import type { Report } from '../model/report.js';
import { shardLabel } from './shard.js';

/** A report read back, with the name the user knows it by (merge-reports.ts MergeInput). */
interface MergeInput {
  report: Report;
  source: string;
}

const HINT = 'merge the N shards of one split run (the same --rate and --seed, --shard I/N with the same N); merge other runs separately';

/** The split the reports are shards of, or null when none is. Refuses a mix; a shard given twice counts once (said in `warnings`). */
export function splitInputs(inputs: readonly MergeInput[], warnings: string[]): { inputs: MergeInput[]; count: number } | null {
  const split = inputs.filter((i) => i.report.shard?.split !== undefined);
  const first = split[0];
  if (first === undefined) return null;
  const other = inputs.find((i) => i.report.shard?.split === undefined);
  if (other !== undefined) {
    const what = other.report.shard === undefined ? 'a run of the whole load' : `shard ${shardLabel(other.report.shard)} of a plan split by trial`;
    throw new InferbenchError('usage', `${first.source} is shard ${shardLabel(first.report.shard!)} of a split load (each shard offered R/N at once) and ${other.source} is ${what}: their rates do not add`, HINT);
  }
  const a = first.report.shard!;
  const kept = new Map<string, MergeInput>();
  for (const input of split) {
    const b = input.report.shard!;
    if (b.count !== a.count || JSON.stringify(b.split!.totalRates) !== JSON.stringify(a.split!.totalRates)) {
      throw new InferbenchError('usage', `${first.source} and ${input.source} are shards of different splits: ${shardLabel(a)} of ${rates(a.split!.totalRates)} vs ${shardLabel(b)} of ${rates(b.split!.totalRates)}`, HINT);
    }
    const label = shardLabel(b);
    const earlier = kept.get(label);
    if (earlier !== undefined) {
      // Counted twice, its R/N would be added twice: the merged load would claim more than was offered.
      warnings.push(`shard ${label} is in both ${earlier.source} and ${input.source}: a shard's share of the load counts once, ${input.source} is left out`);
      continue;
    }
    kept.set(label, input);
  }
  return { inputs: [...kept.values()], count: a.count };
}

function rates(list: readonly number[]): string {
  return list.map((r) => `${r}/s`).join(', ');
}

/**
 * A split load is complete when every shard's report holds every planned trial. Otherwise the
 * trials some shard did not reach (its report is missing, or it was interrupted) are listed with
 * those shards: each such trial was offered only part of its rate.
 */
export function splitCoverage(plan: readonly string[], inputs: readonly MergeInput[], count: number): MergeInfo['incomplete'] {
  // A shard's trials are the plan's first ones, in order (planned ids may differ from the ids they
  // ran under: 'batch=model' runs as 'batch=1'); a trial it failed is in its report, named on the
  // merged trial, as for a plan split.
  const byShard = new Map(inputs.map((i) => [shardLabel(i.report.shard!), i] as const));
  const shards: string[] = [];
  const missing = new Set<number>();
  for (let index = 1; index <= count; index++) {
    const label = `${index}/${count}`;
    const input = byShard.get(label);
    const reached = Math.min(input?.report.trials.length ?? 0, plan.length);
    if (reached === plan.length) continue;
    for (let j = reached; j < plan.length; j++) missing.add(j);
    shards.push(input === undefined ? `${label} (no report)` : `${label} (interrupted: ${input.source})`);
  }
  return missing.size === 0 ? undefined : { missing: plan.filter((_, j) => missing.has(j)), shards };
}
