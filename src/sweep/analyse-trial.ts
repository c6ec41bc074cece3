// After a trial is measured: what ran where (per-operator profile and execution-provider proof),
// how close it came to the machine's roofline, and what bounds it. All of it runs outside the
// timed region: ORT's profiler instruments every kernel, so its timings are not the trial's.
import type { HostTensor, RuntimeAdapter } from '../adapters/adapter.js';
import { calibrate } from '../measure/calibrate.js';
import { classify } from '../analyze/classify.js';
import { modelCost } from '../analyze/flops.js';
import type { OpProfile } from '../types.js';
import { roofline } from '../analyze/roofline.js';
import type { AllocationInput, UtilisationInput } from '../model/bottleneck.js';
import { messageOf } from '../errors.js';
import type { Precision, TrialOk, Warning } from '../types.js';

export interface AnalysisOptions {
  /** The per-operator table, FLOPs and roofline (on by default; --no-op-profile turns it off). */
  opProfile: boolean;
  /** Profiled runs for the op table (at most; see opProfileRuns). */
  opProfileIterations: number;
  /** Logical cores, for the classifier's thread arithmetic. */
  logicalCores: number;
  /** Where the calibration cache lives (tests point it at a temp dir). */
  calibrationCache?: string | undefined;
  /** Why the op profile is off although it was asked for (e.g. the run was interrupted). */
  opProfileSkipped?: string | undefined;
  /** Progress: 'op-profile' before the profiled pass, 'calibrate' before a calibration is measured. */
  onPhase?: ((phase: 'op-profile' | 'calibrate') => void) | undefined;
}

/**
 * The profiled pass is on by default, so its cost is bounded: at most `maxIterations` runs, and no
 * more than OP_PROFILE_BUDGET_MS of inference at the trial's measured p50 (a 2 s model gets one
 * profiled run, not twenty). ORT's profiler adds a little to each kernel, so the pass takes
 * somewhat longer than runs × p50; one more untimed run precedes them (cold start).
 */
export const OP_PROFILE_BUDGET_MS = 1000;

export function opProfileRuns(inferenceP50Ms: number, maxIterations: number): number {
  if (!(inferenceP50Ms > 0)) return maxIterations;
  return Math.max(1, Math.min(maxIterations, Math.floor(OP_PROFILE_BUDGET_MS / inferenceP50Ms)));
}

/** Rows of the per-operator table kept in the report. */
export const OP_TABLE_ROWS = 25;
/** A non-CPU trial with more than this share of nodes on the CPU provider gets a loud warning. */
export const CPU_FALLBACK_WARNING_SHARE = 0.5;

export async function analyseTrial(
  result: TrialOk,
  adapter: RuntimeAdapter,
  modelPath: string,
  tensors: readonly HostTensor[],
  utilisation: UtilisationInput | null,
  options: AnalysisOptions,
): Promise<void> {
  const { spec } = result;
  // TensorFlow's wasm / tfjs-cpu / tensorflow devices compute on the host CPU like ORT's 'cpu'.
  const onCpu = adapter.onCpu?.(spec.device) ?? spec.device === 'cpu';
  // Threads the backend really computes with (tfjs wasm and cpu: one, whatever was asked); with
  // --concurrency every stream has its own session, so the trial keeps streams × threads busy.
  const perStream = adapter.computeThreads ? await adapter.computeThreads(spec.device, spec.threads) : spec.threads;
  const streams = spec.concurrency ?? 1;
  const threads = streams === 1 || perStream === null ? perStream : Math.min(perStream * streams, options.logicalCores);
  // A non-CPU trial always gets a short profiled pass: it is the proof of which provider ran.
  const wantOps = adapter.profileOps && (options.opProfile || !onCpu);
  let ops: OpProfile | null = null;
  // Why there is no roofline, for the classifier's advice (it must name what is missing).
  let rooflineMissing: string | undefined = !options.opProfile
    ? options.opProfileSkipped ?? 'the per-operator profile was off (drop --no-op-profile)'
    : adapter.profileOps ? undefined : `${adapter.runtime} has no per-operator profiler here`;
  if (wantOps && adapter.profileOps) {
    try {
      const runs = opProfileRuns(result.stages.inference.p50Ms, options.opProfile ? options.opProfileIterations : 3);
      options.onPhase?.('op-profile');
      ops = await adapter.profileOps(modelPath, spec, tensors, runs);
      result.providers = ops.nodesPerProvider;
      result.warnings.push(...fallbackWarnings(spec.device, ops.nodesPerProvider));
    } catch (error) {
      result.warnings.push({ code: 'fallback', message: `the per-operator profile failed, so which provider ran each node is unknown: ${messageOf(error)}` });
      rooflineMissing ??= `the per-operator profile failed: ${messageOf(error)}`;
    }
  }
  let position = null;
  if (ops && options.opProfile) {
    const cost = modelCost(ops.nodes, Math.max(1, ops.runs));
    result.opProfile = { ...ops, nodes: ops.nodes.slice(0, OP_TABLE_ROWS) };
    result.cost = { flops: cost.flops, bytes: cost.bytes, arithmeticIntensity: cost.arithmeticIntensity, unknownOpTypes: cost.unknownOpTypes };
    // One request's time, or under --concurrency the machine's time per request (1 / throughput):
    // the roof bounds what the device does in aggregate, not what one stream gets of it.
    const secondsPerInference = streams > 1 ? 1 / result.throughput.inferencesPerSec : result.stages.inference.p50Ms / 1000;
    if (!(cost.bytes > 0)) rooflineMissing = `no operator's bytes are known (op types without a cost formula: ${cost.unknownOpTypes.join(', ') || 'none'})`;
    if (cost.bytes > 0 && secondsPerInference > 0 && Number.isFinite(secondsPerInference)) {
      // The peaks of the device that computed: the host CPU's for every CPU backend.
      const device = onCpu ? 'cpu' : spec.device;
      try {
        const peaks = await calibrate({ device, threads, ...(options.calibrationCache && { cachePath: options.calibrationCache }), onMeasure: () => options.onPhase?.('calibrate') });
        position = roofline(cost.flops, cost.bytes, secondsPerInference, peaks);
        result.roofline = { ...position, calibration: { gflops: peaks.gflops, gbps: peaks.gbps, measuredAt: peaks.measuredAt, fromCache: peaks.fromCache } };
      } catch (error) {
        result.warnings.push({ code: 'roofline-unavailable', message: `no roofline for ${device}: its calibration failed: ${messageOf(error)}` });
        rooflineMissing = `the calibration of ${device} failed (\`inferbench calibrate --device ${device}\` shows why): ${messageOf(error)}`;
      }
    }
  }
  const total = result.stages.total.meanMs;
  const share = (ms: number): number | null => (total > 0 ? ms / total : null);
  result.bottleneck = classify({
    stages: {
      ...(result.stages.load && { load: share(result.stages.load.meanMs) }),
      preprocess: share(result.stages.preprocess.meanMs),
      inference: share(result.stages.inference.meanMs),
      postprocess: share(result.stages.postprocess.meanMs),
    },
    utilisation,
    threads,
    logicalCores: options.logicalCores,
    batch: spec.batch,
    device: onCpu ? 'cpu' : spec.device,
    precision: spec.precision,
    roofline: position,
    ...(position === null && rooflineMissing !== undefined && { rooflineMissing }),
    allocation: allocationInput(result),
  });
  await dropInapplicableAdvice(result, adapter, options.logicalCores);
}

/** The trial's memory accounting per request, for the allocation rule. */
function allocationInput(result: TrialOk): AllocationInput | null {
  const { memory, accounting, measure } = result;
  if (!memory || !accounting || measure.iterations === 0) return null;
  return {
    wallPerIterationMs: accounting.wallPerIterationMs,
    minorFaultsPerIteration: memory.minorFaultsPerIteration,
    systemCpuPerIterationMs: memory.systemCpuPerIterationMs,
    gcPausePerIterationMs: memory.gcPauseMs / measure.iterations,
    outputBytesPerIteration: memory.outputBytesPerIteration,
    inferenceFaultsPerIteration: memory.faultsByStage?.inference ?? null,
  };
}

/** Recommendation ids that ask for a precision, and that precision. */
const PRECISION_ADVICE: Readonly<Record<string, Precision>> = { 'quantize-int8': 'int8', 'use-fp16': 'fp16' };

/**
 * Advice the runtime cannot follow on this device is dropped: a precision it cannot compute in
 * (tfjs: fp32 only), or more threads than its backend can use (tfjs wasm and cpu: one).
 */
async function dropInapplicableAdvice(result: TrialOk, adapter: RuntimeAdapter, logicalCores: number): Promise<void> {
  const bottleneck = result.bottleneck;
  if (!bottleneck) return;
  const { device } = result.spec;
  const kept = [];
  for (const advice of bottleneck.recommendations) {
    const precision = PRECISION_ADVICE[advice.id];
    if (precision !== undefined && (await adapter.precisionUnsupported?.(device, precision))) continue;
    if (advice.id === 'more-threads' && adapter.computeThreads && (await adapter.computeThreads(device, logicalCores)) !== logicalCores) continue;
    kept.push(advice);
  }
  bottleneck.recommendations = kept;
}

export function fallbackWarnings(device: string, nodesPerProvider: Record<string, number>): Warning[] {
  if (device === 'cpu') return [];
  const total = Object.values(nodesPerProvider).reduce((a, b) => a + b, 0);
  const onCpu = nodesPerProvider.CPUExecutionProvider ?? 0;
  if (total === 0 || onCpu / total <= CPU_FALLBACK_WARNING_SHARE) return [];
  return [{
    code: 'fallback',
    message: `device ${device}: ${onCpu} of ${total} nodes ran on the CPU execution provider, so this trial measures mostly the CPU — check that the ${device} provider supports the model's ops`,
  }];
}
