// The JSON that benchmark-action/github-action-benchmark reads with `tool: customSmallerIsBetter`
// (latencies) or `tool: customBiggerIsBetter` (throughput): an array of
// { name, unit, value, range?, extra? } (range and extra are free text). One action run takes one
// tool, hence two formats. Values are head's; the action keeps its own history and alerts on its
// own ratio, so `extra` carries our verdict and interval for the tooltip.
import { formatLevel, formatMs } from '../report/format.js';
import { formatChange, formatInterval } from './rows.js';
import type { MetricChange } from './significance.js';
import type { Comparison } from './verdict.js';

export interface BenchmarkEntry {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

/** Stages charted: what users act on (preprocess/postprocess are µs-scale bookkeeping). */
export const CHARTED_STAGES = ['inference', 'total'] as const;

function extra(m: MetricChange, base: string): string {
  return `vs base ${base}: ${formatChange(m.change)} (${formatLevel(m.level)} CI ${formatInterval(m.ci)}), ${m.verdict}`;
}

export function githubBenchmarkEntries(c: Comparison, kind: 'smaller' | 'bigger'): BenchmarkEntry[] {
  const entries: BenchmarkEntry[] = [];
  for (const trial of c.trials) {
    if (kind === 'bigger') {
      const t = trial.throughput;
      if (t !== null) entries.push({ name: `${trial.key} throughput`, unit: 'inf/s', value: round(t.head), extra: extra(t, `${round(t.base)} inf/s`) });
      continue;
    }
    // Paired: the ratio head/base of inference p50 comes first, with its interval as the range.
    const paired = trial.paired !== undefined ? trial.stages.find((s) => s.stage === 'inference')?.metrics.find((m) => m.metric === 'p50') : undefined;
    if (paired !== undefined) entries.push({ name: `${trial.key} inference p50 head/base (paired)`, unit: 'ratio', value: round(1 + paired.change), range: `${round(1 + paired.ci[0])} … ${round(1 + paired.ci[1])}`, extra: `${paired.verdict} (paired, threshold ${formatChange(paired.threshold)})` });
    for (const stage of trial.stages.filter((s) => (CHARTED_STAGES as readonly string[]).includes(s.stage))) {
      for (const m of stage.metrics) {
        entries.push({ name: `${trial.key} ${stage.stage} ${m.metric}`, unit: 'ms', value: round(m.head), extra: extra(m, formatMs(m.base)) });
      }
    }
  }
  return entries;
}

/** Six significant digits: enough for µs-resolution latencies in ms, without float noise. */
function round(x: number): number {
  return Number(x.toPrecision(6));
}

export function renderGithubBenchmark(c: Comparison, kind: 'smaller' | 'bigger' = 'smaller'): string {
  return `${JSON.stringify(githubBenchmarkEntries(c, kind), null, 2)}\n`;
}
