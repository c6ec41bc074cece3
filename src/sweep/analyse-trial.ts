// After a trial is measured: what ran where (per-operator profile and execution-provider proof),
// how close it came to the machine's roofline, and what bounds it. All of it runs outside the
// timed region: ORT's profiler instruments every kernel, so its timings are not the trial's.
import type { HostTensor, RuntimeAdapter } from '../adapters/adapter.js';
import { calibrate } from '../measure/calibrate.js';
import { classify } from '../analyze/classify.js';
import { modelCost } from '../analyze/flops.js';
import { roofline } from '../analyze/roofline.js';
import type { AllocationInput, UtilisationInput } from '../model/bottleneck.js';
import type { RooflinePosition } from '../model/roofline.js';
import { messageOf } from '../errors.js';
import type { OpProfile, TrialOk, TrialSpec, Warning } from '../types.js';
import type { TrialAnalysis, TrialMeasurement } from './assemble-trial.js';
import { backendCapabilities } from './capabilities.js';

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

/**
 * The analysis of a measured trial, as a value: the proof of where it ran, the operator table and
 * cost, the roofline and the bottleneck with advice the backend can follow. assembleTrial() puts
 * it into the trial; nothing here writes to the measurement.
 */
export async function analyseTrial(
  measurement: Readonly<TrialMeasurement>,
  adapter: RuntimeAdapter,
  modelPath: string,
  tensors: readonly HostTensor[],
  utilisation: UtilisationInput | null,
  options: AnalysisOptions,
): Promise<TrialAnalysis> {
  const { spec } = measurement;
  // TensorFlow's wasm / tfjs-cpu / tensorflow devices compute on the host CPU like ORT's 'cpu'.
  const onCpu = adapter.onCpu?.(spec.device) ?? spec.device === 'cpu';
  const threads = await threadsUsed(adapter, spec, options.logicalCores);
  // Why there is no roofline, for the classifier's advice (it must name what is missing).
  const unprofiled = !options.opProfile
    ? options.opProfileSkipped ?? 'the per-operator profile was off (drop --no-op-profile)'
    : adapter.profileOps ? undefined : `${adapter.runtime} has no per-operator profiler here`;
  const profiled = await operatorProfile(measurement, adapter, modelPath, tensors, onCpu, options);
  // The peaks of the device that computed: the host CPU's for every CPU backend.
  const placed = profiled.ops && options.opProfile ? await placeOnRoofline(measurement, profiled.ops, onCpu ? 'cpu' : spec.device, threads, options) : null;
  const position = placed?.position ?? null;
  const rooflineMissing = placed?.missing ?? unprofiled ?? profiled.missing;
  const total = measurement.stages.total.meanMs;
  const share = (ms: number): number | null => (total > 0 ? ms / total : null);
  const bottleneck = classify({
    stages: {
      ...(measurement.stages.load && { load: share(measurement.stages.load.meanMs) }),
      preprocess: share(measurement.stages.preprocess.meanMs),
      inference: share(measurement.stages.inference.meanMs),
      postprocess: share(measurement.stages.postprocess.meanMs),
    },
    utilisation,
    threads,
    logicalCores: options.logicalCores,
    batch: spec.batch,
    device: onCpu ? 'cpu' : spec.device,
    precision: spec.precision,
    roofline: position,
    ...(position === null && rooflineMissing !== undefined && { rooflineMissing }),
    allocation: allocationInput(measurement),
    capabilities: await backendCapabilities(adapter, spec.device, options.logicalCores),
  });
  return {
    ...(profiled.ops && { providers: profiled.ops.nodesPerProvider }),
    ...(placed?.opProfile && { opProfile: placed.opProfile }),
    ...(placed?.cost && { cost: placed.cost }),
    ...(placed?.roofline && { roofline: placed.roofline }),
    bottleneck,
    warnings: [...profiled.warnings, ...(placed?.warnings ?? [])],
  };
}

/**
 * Threads the backend really computes with (tfjs wasm and cpu: one, whatever was asked); with
 * --concurrency every stream has its own session, so the trial keeps streams × threads busy.
 */
async function threadsUsed(adapter: RuntimeAdapter, spec: TrialSpec, logicalCores: number): Promise<number | null> {
  const perStream = adapter.computeThreads ? await adapter.computeThreads(spec.device, spec.threads) : spec.threads;
  const streams = spec.concurrency ?? 1;
  return streams === 1 || perStream === null ? perStream : Math.min(perStream * streams, logicalCores);
}

interface Profiled {
  ops: OpProfile | null;
  warnings: Warning[];
  /** Why the profile is missing, when it failed. */
  missing?: string;
}

/** The profiled pass, when one is due: the operator table and which provider ran each node. */
async function operatorProfile(measurement: Readonly<TrialMeasurement>, adapter: RuntimeAdapter, modelPath: string, tensors: readonly HostTensor[], onCpu: boolean, options: AnalysisOptions): Promise<Profiled> {
  // A non-CPU trial always gets a short profiled pass: it is the proof of which provider ran.
  if (!adapter.profileOps || !(options.opProfile || !onCpu)) return { ops: null, warnings: [] };
  const { spec } = measurement;
  try {
    const runs = opProfileRuns(measurement.stages.inference.p50Ms, options.opProfile ? options.opProfileIterations : 3);
    options.onPhase?.('op-profile');
    const ops = await adapter.profileOps(modelPath, spec, tensors, runs);
    return { ops, warnings: fallbackWarnings(spec.device, ops.nodesPerProvider) };
  } catch (error) {
    return {
      ops: null,
      warnings: [{ code: 'fallback', message: `the per-operator profile failed, so which provider ran each node is unknown: ${messageOf(error)}` }],
      missing: `the per-operator profile failed: ${messageOf(error)}`,
    };
  }
}

interface Placed extends Pick<TrialOk, 'opProfile' | 'cost' | 'roofline'> {
  position: RooflinePosition | null;
  warnings: Warning[];
  /** Why there is no roofline position, when the cost or the calibration fell short. */
  missing?: string;
}

/** The operator table kept in the report, the model's cost from it, and the trial against its device's roofline. */
async function placeOnRoofline(measurement: Readonly<TrialMeasurement>, ops: OpProfile, device: string, threads: number | null, options: AnalysisOptions): Promise<Placed> {
  const cost = modelCost(ops.nodes, Math.max(1, ops.runs));
  const table = {
    opProfile: { ...ops, nodes: ops.nodes.slice(0, OP_TABLE_ROWS) },
    cost: { flops: cost.flops, bytes: cost.bytes, arithmeticIntensity: cost.arithmeticIntensity, unknownOpTypes: cost.unknownOpTypes },
  };
  if (!(cost.bytes > 0)) {
    return { ...table, position: null, warnings: [], missing: `no operator's bytes are known (op types without a cost formula: ${cost.unknownOpTypes.join(', ') || 'none'})` };
  }
  // One request's time, or under --concurrency the machine's time per request (1 / throughput):
  // the roof bounds what the device does in aggregate, not what one stream gets of it.
  const streams = measurement.spec.concurrency ?? 1;
  const secondsPerInference = streams > 1 ? 1 / measurement.throughput.inferencesPerSec : measurement.stages.inference.p50Ms / 1000;
  if (!(secondsPerInference > 0 && Number.isFinite(secondsPerInference))) return { ...table, position: null, warnings: [] };
  try {
    const peaks = await calibrate({ device, threads, ...(options.calibrationCache && { cachePath: options.calibrationCache }), onMeasure: () => options.onPhase?.('calibrate') });
    const position = roofline(cost.flops, cost.bytes, secondsPerInference, peaks);
    const calibration = { gflops: peaks.gflops, gbps: peaks.gbps, measuredAt: peaks.measuredAt, fromCache: peaks.fromCache };
    return { ...table, roofline: { ...position, calibration }, position, warnings: [] };
  } catch (error) {
    return {
      ...table,
      position: null,
      warnings: [{ code: 'roofline-unavailable', message: `no roofline for ${device}: its calibration failed: ${messageOf(error)}` }],
      missing: `the calibration of ${device} failed (\`inferbench calibrate --device ${device}\` shows why): ${messageOf(error)}`,
    };
  }
}

/** The trial's memory accounting per request, for the allocation rule. */
function allocationInput(measurement: Readonly<TrialMeasurement>): AllocationInput | null {
  const { memory, accounting, measure } = measurement;
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
