// Advice for a CPU trial whose threads do not saturate the cores they were given (e.g. 107% of
// one core with 2 threads), and for an inconclusive result: say what is missing, never what the
// run already has. Recommendations are data (see recommend.ts).
import type { RuleSet } from './rules.js';
import { CPU_SATURATED_FRACTION, expectedThreads } from './rules.js';
import type { BottleneckLabel, ClassifierInput, Recommendation, RuleVerdict, StageVerdict } from '../model/bottleneck.js';

/**
 * The rest of the machine is busy when system CPU (all processes) is at least this far above
 * what this process uses: other work competes for the cores, so idle threads are not the model's
 * fault. 0.25 of the machine is a quarter of all cores, well above the sampler's own few percent.
 */
export const OTHER_LOAD_FRACTION = 0.25;

export interface AdviceContext {
  label: BottleneckLabel;
  stages: readonly StageVerdict[];
  rules: RuleSet;
  input: ClassifierInput;
}

/** Process CPU as cores, and the share of the given threads it keeps busy; null without samples. */
function threadUse(rules: RuleSet): { cores: number; busy: number; threads: number } | null {
  const { cpuSaturation } = rules;
  if (cpuSaturation.status === 'no-data') return null;
  const busy = cpuSaturation.evidence[0]?.value;
  const pctOfCore = cpuSaturation.evidence[1]?.value;
  const threads = cpuSaturation.evidence[2]?.value;
  if (busy === undefined || pctOfCore === undefined || threads === undefined) return null;
  return { cores: pctOfCore / 100, busy, threads };
}

/** Threads given but idle during a CPU-bound inference: serial sections, or other load on the machine. */
export function idleThreadsAdvice({ stages, rules, input }: AdviceContext): Recommendation[] {
  const inference = stages.find((s) => s.stage === 'inference');
  const use = threadUse(rules);
  if (input.device !== 'cpu' || inference?.label !== 'cpu-bound' || !use || use.busy >= CPU_SATURATED_FRACTION || use.threads < 2) return [];
  const cores = use.cores.toFixed(2);
  const advice: Recommendation[] = [];
  const machineCores = (input.utilisation?.cpuTotalPct ?? 0) / 100 * Math.max(1, input.logicalCores);
  if (machineCores - use.cores >= OTHER_LOAD_FRACTION * input.logicalCores) {
    // Other processes took the cores: that, not the model, explains the idle threads.
    return [{
      id: 'other-load',
      text: 'other processes compete for the cores: measure on a quiet machine (or pin with taskset and --threads) before acting on these numbers',
      why: `the machine had ${machineCores.toFixed(2)} of ${input.logicalCores} cores busy, this process ${cores}`,
    }];
  }
  advice.push({
    id: 'idle-threads',
    text: `compare thread counts (--threads 1,${expectedThreads(input)}): part of each inference runs on one thread (small operators, the executor between kernels), so extra threads buy less than their number; to use the idle cores for throughput, run requests side by side (--concurrency 2 --threads 1)`,
    why: `inference kept ${cores} of its ${use.threads} threads busy (${Math.round(use.busy * 100)}%, below ${Math.round(CPU_SATURATED_FRACTION * 100)}%)`,
  });
  return advice;
}

/** What would let the classifier decide: the notes of the rules that had no data, by stage. */
export function missingDataAdvice({ label, stages, rules, input }: AdviceContext): Recommendation[] {
  if (label !== 'inconclusive') return [];
  const unknown = new Set(stages.filter((s) => s.label === 'unknown').map((s) => s.stage));
  const relevant: RuleVerdict[] = [];
  if (unknown.has('inference')) relevant.push(rules.roofline, rules.cpuSaturation, ...(input.device === 'cpu' ? [rules.serialCpu] : [rules.gpuBusy]));
  if (unknown.has('load')) relevant.push(rules.iowait, rules.loadWait);
  const missing = relevant.filter((r) => r.status === 'no-data');
  const notes = [...new Set(missing.map((r) => whyMissing(r, input)))];
  if (notes.length === 0) {
    // Every rule had data and none bound: the data exists and says "none of these".
    return [{ id: 'no-rule-fired', text: 'no resource is saturated: the time goes to something these rules do not measure (locks, page faults, the runtime\'s overhead); the per-operator table shows where inference time goes', why: `every rule for ${[...unknown].join(', ') || 'the request'} had data and none was bound` }];
  }
  return [{ id: 'collect-more-data', text: `collect what is missing: ${notes.join('; ')}`, why: `no data for: ${missing.map((r) => r.rule).join(', ')}` }];
}

/** A rule's missing data in words that name the fix. */
function whyMissing(rule: RuleVerdict, input: ClassifierInput): string {
  const u = input.utilisation;
  if (rule.resource !== 'memory' && rule.resource !== 'stage') {
    if (!u) return 'utilisation samples (sampling was off: drop --no-sample)';
    if (u.sampleCount === 0) return 'utilisation samples (the measure phase was shorter than one sampling interval: lower --sample-interval or measure longer)';
  }
  return rule.note ?? `${rule.rule} had no data`;
}
