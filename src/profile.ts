// profile(options, hooks) → Report. The library core: validates options, opens the model through
// its runtime adapter, runs each trial, and returns plain data. It never prints; the UI learns
// about progress through hooks only.
import type { HostTensor, RuntimeAdapter, Session } from './adapters/adapter.js';
import { resolveAdapter } from './adapters/resolve.js';
import { isInferbenchError, messageOf } from './errors.js';
import { buildInputs } from './inputs/synthetic.js';
import { withNpyShapes } from './inputs/npy.js';
import { batchDimOf, resolveShapes } from './inputs/shapes.js';
import { runTrial, type TrialPhase } from './measure/run-trial.js';
import { elapsedNs, now } from './measure/clock.js';
import { collectEnvironment } from './sample/machine.js';
import { readPeakRssBytes, resetPeakRss } from './sample/machine.js';
import { resolveProfileOptions, type ProfileOptions, type ResolvedProfileOptions } from './profile-options.js';
import { inputsRejected } from './inputs/rejection.js';
import { TOOL_VERSION } from './version.js';
import type { InputDescription, ModelInfo, Report, TensorSpec, TrialFailed, TrialResult, TrialSpec } from './types.js';

export type { ProfileOptions } from './profile-options.js';

export interface ProfileHooks {
  onPlan?(trials: readonly TrialSpec[]): void;
  onTrialStart?(spec: TrialSpec, index: number, total: number): void;
  onPhase?(spec: TrialSpec, phase: 'open' | 'cold-start' | TrialPhase, iterations: number, elapsedMs: number): void;
  /** `partial` is the report so far, for callers that persist results as they arrive. */
  onTrialEnd?(result: TrialResult, partial: Report): void;
}

export async function profile(options: ProfileOptions, hooks: ProfileHooks = {}): Promise<Report> {
  const resolved = resolveProfileOptions(options);
  const startedAt = new Date().toISOString();
  const adapter = await resolveAdapter(resolved.model);
  const environment = collectEnvironment([await runtimeVersion(adapter)]);

  const specs = planTrials(resolved);
  hooks.onPlan?.(specs);
  const trials: TrialResult[] = [];
  let model: ModelInfo | undefined;
  const snapshot = async (): Promise<Report> => ({
    schemaVersion: 1,
    tool: { name: 'inferbench', version: TOOL_VERSION },
    command: { argv: resolved.argv },
    startedAt,
    finishedAt: new Date().toISOString(),
    environment: await environment,
    model: model ?? (model = await describeModel(adapter, resolved.model)),
    options: reportableOptions(resolved),
    trials: [...trials],
    ...(resolved.signal?.aborted && { interrupted: true }),
  });

  for (const [index, spec] of specs.entries()) {
    if (resolved.signal?.aborted) break;
    hooks.onTrialStart?.(spec, index, specs.length);
    const outcome = await runOneTrial(adapter, spec, resolved, hooks);
    model ??= outcome.model;
    trials.push(outcome.result);
    hooks.onTrialEnd?.(outcome.result, await snapshot());
  }
  return snapshot();
}

/** One configuration today; the sweep issue expands the axes into the cartesian product. */
function planTrials(options: ResolvedProfileOptions): TrialSpec[] {
  const spec: Omit<TrialSpec, 'id'> = {
    model: options.model,
    precision: 'fp32',
    device: options.device,
    batch: options.batch,
    threads: options.threads,
    interThreads: options.interThreads,
    graphOptimization: options.graphOptimization,
  };
  return [{ id: trialId(spec), ...spec }];
}

export function trialId(spec: Omit<TrialSpec, 'id'>): string {
  return [spec.device, spec.precision, `batch=${spec.batch ?? 'model'}`, `threads=${spec.threads ?? 'auto'}`].join(' ');
}

interface TrialOutcome {
  result: TrialResult;
  model?: ModelInfo;
}

async function runOneTrial(
  adapter: RuntimeAdapter,
  spec: TrialSpec,
  options: ResolvedProfileOptions,
  hooks: ProfileHooks,
): Promise<TrialOutcome> {
  const devices = await adapter.devices();
  const device = devices.find((d) => d.device === spec.device);
  if (!device?.available) {
    const detail = device?.detail ?? `not one of: ${devices.map((d) => d.device).join(', ')}`;
    return { result: { status: 'skipped', spec, reason: `device ${spec.device} unavailable: ${detail}` } };
  }

  resetPeakRss();
  hooks.onPhase?.(spec, 'open', 0, 0);
  const loadStart = now();
  const session = await adapter.open(spec.model, {
    device: spec.device,
    intraOpThreads: spec.threads,
    interOpThreads: spec.interThreads,
    graphOptimization: spec.graphOptimization,
  });
  const modelLoadMs = elapsedNs(loadStart, now()) / 1e6;
  try {
    // Input errors (an unresolved dim, a bad file) are the user's to fix and the same for every
    // trial, so they propagate as InferbenchError instead of becoming a failed trial.
    const pins = withNpyShapes(options.pins);
    const shapes = resolveShapes(session.info.inputs, pins, spec.batch);
    const batch = batchOf(session.info.inputs, shapes);
    const fixedLeading = shapes.get(session.info.inputs[0]?.name ?? '')?.[0];
    if (spec.batch !== null && batch !== spec.batch && !(batch === null && fixedLeading === spec.batch)) {
      const first = session.info.inputs[0];
      const reason = batch === null
        ? `the model has no batch dim to set (input ${first?.name} has the fixed shape [${shapes.get(first?.name ?? '')?.join(', ')}])`
        : `the shapes given fix the batch at ${batch}`;
      return { result: { status: 'skipped', spec, reason: `batch ${spec.batch} not possible: ${reason}` }, model: session.info };
    }
    const { tensors, descriptions } = buildInputs(session.info.inputs, shapes, pins, options.seed);
    const measuredSpec = { ...spec, batch, id: trialId({ ...spec, batch }) };
    const result = await measureTrial(session, measuredSpec, tensors, descriptions, modelLoadMs, options, hooks);
    return { result, model: session.info };
  } finally {
    await session.close();
  }
}

async function measureTrial(
  session: Session,
  spec: TrialSpec,
  tensors: HostTensor[],
  inputs: InputDescription[],
  modelLoadMs: number,
  options: ResolvedProfileOptions,
  hooks: ProfileHooks,
): Promise<TrialResult> {
  hooks.onPhase?.(spec, 'cold-start', 0, 0);
  let phase: TrialFailed['phase'] = 'cold-start';
  try {
    const measured = await runTrial(session, tensors, {
      warmup: options.warmup,
      measure: options.measure,
      signal: options.signal,
      onPhaseStart: (p) => {
        phase = p;
      },
      onProgress: (p, n, ms) => hooks.onPhase?.(spec, p, n, ms),
    });
    const batchItems = spec.batch ?? 1;
    const inferencesPerSec = measured.measure.durationMs > 0 ? (measured.measure.iterations * 1000) / measured.measure.durationMs : 0;
    return {
      status: 'ok',
      spec,
      backend: session.backend,
      inputs,
      coldStart: { modelLoadMs, ...measured.firstIteration },
      warmup: measured.warmup,
      measure: measured.measure,
      stages: measured.stages,
      throughput: { inferencesPerSec, itemsPerSec: inferencesPerSec * batchItems },
      peakRssBytes: readPeakRssBytes(),
      overhead: measured.overhead,
      warnings: measured.warnings,
    };
  } catch (error) {
    if (phase === 'cold-start' && !isInferbenchError(error)) {
      const rejected = inputsRejected(error, inputs);
      return { status: 'failed', spec, phase, error: { code: rejected.code, message: rejected.message, ...(rejected.hint && { hint: rejected.hint }) } };
    }
    const code = isInferbenchError(error) ? error.code : 'runtime-error';
    return { status: 'failed', spec, phase, error: { code, message: messageOf(error) } };
  }
}

/** The batch size the trial really ran: the batch dim of the first input that has one. */
function batchOf(inputs: readonly TensorSpec[], shapes: Map<string, number[]>): number | null {
  for (const input of inputs) {
    const axis = batchDimOf(input);
    const size = axis === null ? undefined : shapes.get(input.name)?.[axis];
    if (size !== undefined) return size;
  }
  return null;
}

async function describeModel(adapter: RuntimeAdapter, path: string): Promise<ModelInfo> {
  const session = await adapter.open(path, { device: 'cpu', intraOpThreads: 1, interOpThreads: null, graphOptimization: 'disabled' });
  await session.close();
  return session.info;
}

async function runtimeVersion(adapter: RuntimeAdapter): Promise<{ name: string; version: string; executionProviders: string[] }> {
  const devices = await adapter.devices();
  return {
    name: adapter.runtime,
    version: adapter.version(),
    executionProviders: devices.filter((d) => d.available).map((d) => d.device),
  };
}

function reportableOptions(options: ResolvedProfileOptions): Record<string, unknown> {
  const { signal: _signal, pins, argv: _argv, ...rest } = options;
  return {
    ...rest,
    shapes: Object.fromEntries(pins.shapes),
    dims: Object.fromEntries(pins.dims),
    values: Object.fromEntries(pins.values),
    ranges: Object.fromEntries(pins.ranges),
    inputFiles: Object.fromEntries(pins.files),
  };
}
