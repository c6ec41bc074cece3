// Small pure rules. Each looks at ONE resource and answers bound / not-bound / no-data, with the
// numbers that decided it. "No data" is a real answer: a rule never guesses from a missing metric.
// The combiner (classify.ts) turns the verdicts into a label; recommend.ts into advice.
import type { ClassifierInput, Evidence, RuleVerdict, StageName } from '../model/bottleneck.js';

/**
 * TensorFlow Profiler's input-pipeline analyser: a step is "highly input-bound" when ≥ 20% of
 * its time waits for input, "moderately" at ≥ 5%, not input-bound below
 * (tensorflow/core/profiler/convert/op_stats_to_input_pipeline_analysis.cc,
 * kHighlyInfeedBoundThresholdInPercent = 20, kModeratelyInfeedBoundThresholdInPercent = 5).
 * Applied here to each host stage (load, preprocess, postprocess) as a share of the request.
 */
export const STAGE_HIGHLY_BOUND_SHARE = 0.2;
export const STAGE_MODERATELY_BOUND_SHARE = 0.05;

/**
 * Clinic.js Doctor (analysis/analyse-cpu.js): the CPU is "not utilized optimally" when the 90th
 * percentile of process CPU is below 90% of what it could use. We use the same 0.9 on the busy
 * fraction of the threads the runtime was given: at or above it the CPU is saturated.
 */
export const CPU_SATURATED_FRACTION = 0.9;

/**
 * A single busy core: the busiest core ≥ 90% (the Clinic.js figure again) while the whole machine
 * is at most ~1.5 cores busy. Work that does not spread over cores (JS preprocessing, threads = 1).
 */
export const CORE_SATURATED_PCT = 90;
export const SERIAL_MAX_BUSY_CORES = 1.5;

/**
 * iowait ≥ 10% of CPU time: one CPU-second in ten stalls on storage, where a compute benchmark
 * sits near 0. No tool we follow publishes a figure for this; ours is deliberately coarse, and the
 * I/O label also needs the load stage's share (TF's 20%) to be large.
 */
export const IOWAIT_BOUND_PCT = 10;

/**
 * nvidia-smi's utilization.gpu is the share of time at least one kernel ran. ≥ 80% leaves under
 * 20% idle (the same 20% TF Profiler uses for "highly" input-bound): the GPU is the bottleneck.
 * Below 50% the GPU waits more than it works: it is being starved by the host.
 */
export const GPU_BUSY_PCT = 80;
export const GPU_STARVED_PCT = 50;

/**
 * Roofline (Williams et al., CACM 2009): below the ridge point (arithmetic intensity < machine
 * balance) performance is bounded by memory bandwidth. A trial reaching < 50% of its roof is
 * limited by something besides the roof (per-op overhead, small kernels): weaker evidence.
 */
export const ROOF_NEAR_FRACTION = 0.5;

/**
 * Allocation-bound: the kernel's share of the wall time (page faults on fresh pages, zeroing,
 * munmap: getrusage's ru_stime) or V8's GC pauses reach 20% of each request — TF Profiler's
 * "highly bound" share again (STAGE_HIGHLY_BOUND_SHARE). A compute benchmark spends ~0 in the
 * kernel; on the development VM each fault costs ~20 µs, so 250 faults (1 MiB of fresh pages)
 * on a 25 ms request already reach it. Fewer than 64 faults per request (256 KiB of 4 KiB pages)
 * is too little to be the cause whatever the share says.
 */
export const ALLOCATION_BOUND_SHARE = 0.2;
export const ALLOCATION_MIN_FAULTS = 64;

const noData = (rule: string, resource: RuleVerdict['resource'], note: string): RuleVerdict => ({ rule, resource, status: 'no-data', strength: 0, evidence: [], note });

/** A host stage's share of the request (TF Profiler thresholds). */
export function stageShareRule(stage: Exclude<StageName, 'inference'>, input: ClassifierInput): RuleVerdict {
  const rule = `${stage}-share`;
  const share = input.stages?.[stage];
  if (share === null || share === undefined) return noData(rule, 'stage', `the ${stage} stage was not timed`);
  const evidence: Evidence[] = [{ metric: `${stage} share of request`, value: share, unit: 'fraction', threshold: STAGE_HIGHLY_BOUND_SHARE }];
  if (share >= STAGE_HIGHLY_BOUND_SHARE) return { rule, resource: 'stage', status: 'bound', strength: 1, evidence, note: `highly ${stage}-bound` };
  if (share >= STAGE_MODERATELY_BOUND_SHARE) {
    return { rule, resource: 'stage', status: 'bound', strength: 0.5, evidence: [{ ...evidence[0]!, threshold: STAGE_MODERATELY_BOUND_SHARE }], note: `moderately ${stage}-bound` };
  }
  return { rule, resource: 'stage', status: 'not-bound', strength: 0, evidence: [{ ...evidence[0]!, threshold: STAGE_MODERATELY_BOUND_SHARE }] };
}

/** Storage: CPU time stalled on I/O. Disk read rate is context. */
export function ioWaitRule(input: ClassifierInput): RuleVerdict {
  const u = input.utilisation;
  if (!u || u.sampleCount === 0 || u.iowaitPct === null) return noData('iowait', 'io', 'no iowait samples (sampling off, or not Linux)');
  const evidence: Evidence[] = [{ metric: 'iowait', value: u.iowaitPct, unit: '%', threshold: IOWAIT_BOUND_PCT }];
  if (u.diskReadBytesPerSec !== null) evidence.push({ metric: 'disk reads', value: u.diskReadBytesPerSec, unit: 'B/s', threshold: null });
  const bound = u.iowaitPct >= IOWAIT_BOUND_PCT;
  return { rule: 'iowait', resource: 'io', status: bound ? 'bound' : 'not-bound', strength: bound ? 1 : 0, evidence };
}

/**
 * Busiest the load stage may keep its one thread and still count as waiting. A stream or network
 * read waits without iowait (iowait counts block-device waits only), so the evidence is the
 * process's own CPU: what is left after the other stages are charged their threads flat out is
 * the load stage's, and a load stage that kept its thread busy less than half of its time spent
 * the rest blocked. Parsing from the page cache keeps it near 1; the sampler thread and the event
 * loop add a few percent, well under the threshold.
 */
export const LOAD_WAIT_MAX_BUSY_FRACTION = 0.5;

/** I/O without iowait: during the load stage the process mostly sat idle (a slow stream, a pipe, the network). */
export function loadWaitRule(input: ClassifierInput): RuleVerdict {
  const u = input.utilisation;
  const loadShare = input.stages?.load;
  if (loadShare === null || loadShare === undefined || loadShare <= 0) return noData('load-wait', 'io', 'the load stage was not timed');
  if (!u || u.sampleCount === 0 || u.processCpuPctOfCore === null) return noData('load-wait', 'io', 'no process CPU samples');
  const usedCores = u.processCpuPctOfCore / 100;
  // Pre- and postprocess are JavaScript on one thread; only inference runs on the runtime's pool.
  const hostShare = (input.stages?.preprocess ?? 0) + (input.stages?.postprocess ?? 0);
  const inferenceShare = Math.max(0, 1 - loadShare - hostShare);
  const loadCores = Math.max(0, usedCores - hostShare - inferenceShare * expectedThreads(input));
  const busyFraction = Math.min(1, loadCores / loadShare);
  const evidence: Evidence[] = [
    { metric: 'load stage busy (CPU time / wall time)', value: busyFraction, unit: 'fraction', threshold: LOAD_WAIT_MAX_BUSY_FRACTION },
    { metric: 'process CPU', value: usedCores, unit: 'cores', threshold: null },
  ];
  const bound = loadShare >= STAGE_HIGHLY_BOUND_SHARE && busyFraction <= LOAD_WAIT_MAX_BUSY_FRACTION;
  return { rule: 'load-wait', resource: 'io', status: bound ? 'bound' : 'not-bound', strength: bound ? 0.8 : 0, evidence };
}

/** Threads the runtime can keep busy: the requested count, capped at the machine's cores. */
export function expectedThreads(input: ClassifierInput): number {
  const cores = Math.max(1, input.logicalCores);
  return Math.min(input.threads ?? cores, cores);
}

/** CPU: is the process using (nearly) all the threads it was given? */
export function cpuSaturationRule(input: ClassifierInput): RuleVerdict {
  const u = input.utilisation;
  if (!u || u.sampleCount === 0 || u.processCpuPctOfCore === null) return noData('cpu-saturation', 'cpu', 'no process CPU samples');
  const threads = expectedThreads(input);
  const busy = u.processCpuPctOfCore / (100 * threads);
  const evidence: Evidence[] = [
    { metric: 'process CPU per available thread', value: busy, unit: 'fraction', threshold: CPU_SATURATED_FRACTION },
    { metric: 'process CPU', value: u.processCpuPctOfCore, unit: '% of one core', threshold: null },
    { metric: 'threads available', value: threads, unit: 'threads', threshold: null },
  ];
  const bound = busy >= CPU_SATURATED_FRACTION;
  return { rule: 'cpu-saturation', resource: 'cpu', status: bound ? 'bound' : 'not-bound', strength: bound ? 1 : 0, evidence };
}

/** CPU: one core pinned while the others idle — serial work. */
export function serialCpuRule(input: ClassifierInput): RuleVerdict {
  const u = input.utilisation;
  if (!u || u.sampleCount === 0 || u.cpuCoreMaxPct === null || u.cpuTotalPct === null) return noData('serial-cpu', 'cpu', 'no per-core CPU samples');
  const cores = Math.max(1, input.logicalCores);
  const busyCores = (u.cpuTotalPct / 100) * cores;
  const evidence: Evidence[] = [
    { metric: 'busiest core', value: u.cpuCoreMaxPct, unit: '%', threshold: CORE_SATURATED_PCT },
    { metric: 'cores busy', value: busyCores, unit: 'cores', threshold: SERIAL_MAX_BUSY_CORES },
  ];
  const bound = cores > 1 && u.cpuCoreMaxPct >= CORE_SATURATED_PCT && busyCores <= SERIAL_MAX_BUSY_CORES;
  return { rule: 'serial-cpu', resource: 'cpu', status: bound ? 'bound' : 'not-bound', strength: bound ? 1 : 0, evidence };
}

/** GPU: busy, partly busy, or starved. */
export function gpuBusyRule(input: ClassifierInput): RuleVerdict {
  if (input.device === 'cpu') return noData('gpu-busy', 'gpu', 'the trial ran on the CPU');
  const u = input.utilisation;
  if (!u || u.sampleCount === 0 || u.gpuUtilPct === null) return noData('gpu-busy', 'gpu', 'no GPU utilisation samples (no nvidia-smi)');
  const value = u.gpuUtilPct;
  if (value >= GPU_BUSY_PCT) return { rule: 'gpu-busy', resource: 'gpu', status: 'bound', strength: 1, evidence: [{ metric: 'GPU utilisation', value, unit: '%', threshold: GPU_BUSY_PCT }] };
  if (value >= GPU_STARVED_PCT) {
    return { rule: 'gpu-busy', resource: 'gpu', status: 'bound', strength: 0.5, evidence: [{ metric: 'GPU utilisation', value, unit: '%', threshold: GPU_STARVED_PCT }], note: 'GPU partly busy' };
  }
  return { rule: 'gpu-busy', resource: 'gpu', status: 'not-bound', strength: 0, evidence: [{ metric: 'GPU utilisation', value, unit: '%', threshold: GPU_STARVED_PCT }], note: 'GPU starved: it waits on the host' };
}

/** Memory bandwidth: arithmetic intensity against the machine's ridge point. */
export function rooflineRule(input: ClassifierInput): RuleVerdict {
  const r = input.roofline;
  if (!r) return noData('roofline', 'memory', `no roofline position: ${input.rooflineMissing ?? 'no per-operator profile and calibration'}`);
  const evidence: Evidence[] = [
    { metric: 'arithmetic intensity', value: r.arithmeticIntensity, unit: 'FLOP/byte', threshold: r.machineBalance },
    { metric: 'fraction of roof', value: r.fractionOfPeak, unit: 'fraction', threshold: ROOF_NEAR_FRACTION },
    { metric: 'achieved bandwidth', value: r.achievedGbps, unit: 'GB/s', threshold: null },
    { metric: 'achieved compute', value: r.achievedGflops, unit: 'GFLOP/s', threshold: null },
  ];
  if (r.bound === 'compute') return { rule: 'roofline', resource: 'memory', status: 'not-bound', strength: 0, evidence, note: 'above the ridge point: compute-bound' };
  const near = r.fractionOfPeak >= ROOF_NEAR_FRACTION;
  return { rule: 'roofline', resource: 'memory', status: 'bound', strength: near ? 1 : 0.6, evidence, ...(!near && { note: 'below the ridge point but far under the memory roof: per-op overhead also matters' }) };
}

/** Memory management: page faults (kernel time) and GC pauses as a share of each request. */
export function allocationRule(input: ClassifierInput): RuleVerdict {
  const a = input.allocation;
  if (!a || a.wallPerIterationMs <= 0) return noData('allocation', 'memory', 'page faults and GC were not measured');
  const kernelShare = a.systemCpuPerIterationMs / a.wallPerIterationMs;
  const gcShare = a.gcPausePerIterationMs / a.wallPerIterationMs;
  const evidence: Evidence[] = [
    { metric: 'minor page faults per request', value: a.minorFaultsPerIteration, unit: 'faults', threshold: ALLOCATION_MIN_FAULTS },
    { metric: 'kernel CPU share of wall time', value: kernelShare, unit: 'fraction', threshold: ALLOCATION_BOUND_SHARE },
    { metric: 'GC pause share of wall time', value: gcShare, unit: 'fraction', threshold: ALLOCATION_BOUND_SHARE },
  ];
  if (a.inferenceFaultsPerIteration !== null) evidence.push({ metric: 'page faults in run() per request', value: a.inferenceFaultsPerIteration, unit: 'faults', threshold: null });
  if (a.outputBytesPerIteration !== null) evidence.push({ metric: 'output bytes per request', value: a.outputBytesPerIteration, unit: 'B', threshold: null });
  const bound = a.minorFaultsPerIteration >= ALLOCATION_MIN_FAULTS && (kernelShare >= ALLOCATION_BOUND_SHARE || gcShare >= ALLOCATION_BOUND_SHARE);
  return { rule: 'allocation', resource: 'memory', status: bound ? 'bound' : 'not-bound', strength: bound ? Math.min(1, Math.max(kernelShare, gcShare) / (2 * ALLOCATION_BOUND_SHARE)) : 0, evidence, ...(bound && { note: 'allocation-bound: page faults and GC of fresh output buffers' }) };
}

export interface RuleSet {
  loadShare: RuleVerdict;
  preprocessShare: RuleVerdict;
  postprocessShare: RuleVerdict;
  iowait: RuleVerdict;
  loadWait: RuleVerdict;
  cpuSaturation: RuleVerdict;
  serialCpu: RuleVerdict;
  gpuBusy: RuleVerdict;
  roofline: RuleVerdict;
  allocation: RuleVerdict;
}

export function evaluateRules(input: ClassifierInput): RuleSet {
  return {
    loadShare: stageShareRule('load', input),
    preprocessShare: stageShareRule('preprocess', input),
    postprocessShare: stageShareRule('postprocess', input),
    iowait: ioWaitRule(input),
    loadWait: loadWaitRule(input),
    cpuSaturation: cpuSaturationRule(input),
    serialCpu: serialCpuRule(input),
    gpuBusy: gpuBusyRule(input),
    roofline: rooflineRule(input),
    allocation: allocationRule(input),
  };
}
