// Did something else take the CPU from a trial while it was measured? A noisy neighbour (another
// job on the runner, a parallel test suite) is the commonest cause of a false alarm on a shared
// CI machine, and latency alone cannot tell it from a slower model. The report's utilisation
// samples can. Two shares of the machine, both measured over the measure phase:
//   others     the machine's busy CPU minus this process's own, plus what the hypervisor stole
//   shortfall  the CPU the trial's threads could use (its intra-op threads, or the physical cores
//              the runtime defaults to, at most every logical core) minus what the process got
// Contention is the smaller of the two: CPU that the trial wanted and someone else had. A
// single-threaded trial beside a job on the other core of a 2-core machine wants one core and
// gets it (no contention); a 2-thread trial that got 0.85 cores while others used 1.15 was
// starved (contention 57%).
import { summarizeSamples } from '../sample/summary.js';
import type { Environment, Report, TrialOk, UtilisationSummary } from '../types.js';
import type { Metric } from './threshold.js';

/**
 * Share of the machine's CPU (0–1) above which a run counts as contended. Set from the 2-core
 * development VM: quiet runs of the CNN fixture measured 0–2%, single-threaded runs beside a busy
 * second core 4%, 2-thread runs beside another engineer's test suite 30–64%.
 */
export const CONTENTION_LIMIT = 0.1;

export interface Contention {
  /** CPU share (0–1 of all cores) that the trial could have used and other processes (or the hypervisor) had, mean over the measure phase. */
  share: number;
  /** CPU share (0–1 of all cores) other processes used (plus steal), wanted by the trial or not. */
  others: number;
  /** Measure-phase samples it is based on. */
  samples: number;
}

/** Share of the machine the trial's threads could keep busy. */
function demandShare(env: Environment, trial: TrialOk): number {
  const logical = Math.max(1, env.cpu.logicalCores);
  const threads = trial.spec.threads ?? Math.max(1, env.cpu.physicalCores);
  return Math.min(logical, threads) / logical;
}

function fromSummary(u: UtilisationSummary | undefined, demand: number): Contention | null {
  if (u === undefined || u.sampleCount === 0 || u.cpuTotalPct === null || u.processCpuPctOfMachine === null) return null;
  const process = u.processCpuPctOfMachine.mean / 100;
  const others = Math.max(0, u.cpuTotalPct.mean / 100 - process) + (u.stealPct?.mean ?? 0) / 100;
  const shortfall = Math.max(0, demand - process);
  return { share: Math.min(1, others, shortfall), others: Math.min(1, others), samples: u.sampleCount };
}

/**
 * Contention during `trial`'s measurement. The report's raw samples cover every repetition (the
 * trial's own `utilisation` covers the first only); without them (--no-sample, --isolate) the
 * trial's summary is used; null when neither has CPU data.
 */
export function contentionOf(report: Pick<Report, 'environment' | 'samples'>, trial: TrialOk): Contention | null {
  const demand = demandShare(report.environment, trial);
  if (report.samples !== undefined) {
    const all = fromSummary(summarizeSamples(report.samples, { trial: trial.spec.id, phase: 'measure' }), demand);
    if (all !== null) return all;
  }
  return fromSummary(trial.utilisation, demand);
}

/** Share of the samples above each percentile metric. */
const ABOVE: Partial<Record<Metric, number>> = { p50: 0.5, p90: 0.1, p99: 0.01 };

/**
 * The contention a metric tolerates. A neighbour that took a share c of the CPU the trial wanted
 * disturbed roughly a share c of its iterations, and every percentile above 1 − c may then be made
 * of disturbed iterations alone: p99 tolerates 1%, p90 10%, p50 (and the mean) CONTENTION_LIMIT.
 */
export function contentionLimit(metric: Metric): number {
  return Math.min(CONTENTION_LIMIT, ABOVE[metric] ?? 1);
}

export function isContended(share: number | null | undefined, metric: Metric = 'p50'): boolean {
  return typeof share === 'number' && share > contentionLimit(metric);
}
