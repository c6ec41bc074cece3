// One trial from its spec: check the device, open the model, resolve shapes and build inputs,
// then measure. Every failure that belongs to this configuration alone becomes a value
// (skipped/failed); errors that would hit every trial alike (a bad flag, an unresolved dim, the
// user's own model unreadable) are thrown so the run stops with one clear message.
import type { RemoteClientOptions, RuntimeAdapter, Session, SessionOptions } from '../adapters/adapter.js';
import { EndpointStats } from './endpoint-stats.js';
import { runRemoteStreams } from './remote-streams.js';
import { cleanOrtMessage, ortHint } from '../adapters/ort-message.js';
import { InferbenchError, isInferbenchError, messageOf } from '../errors.js';
import type { ProfileHooks } from '../hooks.js';
import { withNpyShapes } from '../inputs/input-file.js';
import { inputsRejected } from '../inputs/rejection.js';
import { batchDimOf, resolveInputShapes } from '../inputs/shapes.js';
import { guessedShapesMessage } from '../inputs/guess-shapes.js';
import { withGuesses } from './trial-inputs.js';
import { elapsedNs, now } from '../measure/clock.js';
import { accountingWarnings, wallAccounting } from '../measure/accounting.js';
import { runConcurrentTrial, StreamError } from '../measure/concurrent.js';
import { runTrial, type TrialPhase } from '../measure/run-trial.js';
import { measureService, type ServiceBase, type ServicePhases } from './service-spec.js';
import type { InputPins } from '../inputs/pins.js';
import type { ResolvedProfileOptions } from '../profile-options.js';
import { readPeakRssBytes, resetPeakRss } from '../sample/machine.js';
import { DEFAULT_OUTPUT_HANDLING, type AccuracyVsFp32, type ModelInfo, type Precision, type TensorSpec, type TrialFailed, type TrialResult, type TrialSpec, type TrialThroughput, type VariantInfo, type Warning } from '../types.js';
import { variantWarnings, type Fp32Reference } from './variants.js';
import { ACCURACY_SETS, referenceInputSets, type InputSets } from './reference-inputs.js';
import type { UtilisationInput } from '../model/bottleneck.js';
import type { Sampler } from '../sample/sampler.js';
import type { UtilisationSummary } from '../model/samples.js';
import { summarizeSamples } from '../sample/summary.js';
import { analyseTrial } from './analyse-trial.js';
import { assembleTrial, type TrialMeasurement, type VariantPart } from './assemble-trial.js';
import { prepareInputs, type TrialInputs } from './trial-inputs.js';
import { trialId } from './plan.js';
import { budgetExtension } from './decide-budgets.js';

export interface TrialOutcome {
  result: TrialResult;
  model?: ModelInfo;
}

/** Codes that mean "the user must fix something that every trial shares". */
const RUN_WIDE = new Set(['usage', 'dim-unresolved', 'shape-invalid', 'input-invalid', 'model-not-found']);

export function isRunWideError(error: unknown, spec: TrialSpec): boolean {
  if (!isInferbenchError(error)) return false;
  // The user's own model failing to load on the CPU fails everything; a generated variant or
  // another device failing is that trial's problem.
  if (error.code === 'model-invalid') return spec.device === 'cpu' && spec.precision === 'fp32';
  return RUN_WIDE.has(error.code);
}

/** What a trial needs beyond its spec: the file to run and, for a variant, the fp32 reference. */
export interface TrialContext {
  variant: VariantInfo;
  reference: Fp32Reference | null;
  /** Tags samples with trial and phase; null with --no-sample. */
  sampler: Sampler | null;
  logicalCores: number;
  /** --rate auto: measures a closed-loop spec's configuration under open-loop load instead (sweep/knee-sweep.ts). */
  service?: (base: ServiceBase, phases: ServicePhases) => Promise<TrialMeasurement>;
}

/**
 * Runs (their options objects) whose URL target opened for an earlier trial: a later failure to
 * open it is that trial's (the server stopped mid-sweep), not a wrong URL that fails every trial.
 */
const endpointReached = new WeakSet<ResolvedProfileOptions>();

export async function runSpec(
  adapter: RuntimeAdapter,
  spec: TrialSpec,
  context: TrialContext,
  options: ResolvedProfileOptions,
  hooks: ProfileHooks,
): Promise<TrialOutcome> {
  const unavailable = await deviceUnavailable(adapter, spec.device);
  if (unavailable !== null) return { result: { status: 'skipped', spec, reason: unavailable } };

  resetPeakRss();
  context.sampler?.setTag(spec.id, 'load');
  hooks.onPhase?.(spec, 'open', 0, 0);
  const loadStart = now();
  let session: Session;
  try {
    session = await adapter.open(context.variant.path, sessionOptionsOf(spec, options.remote));
  } catch (error) {
    if (isRunWideError(error, spec) && !endpointReached.has(options)) throw error;
    return { result: failed(spec, 'open', error) };
  }
  if (session.endpoint) endpointReached.add(options);
  const modelLoadMs = elapsedNs(loadStart, now()) / 1e6;
  try {
    const pins = withNpyShapes(options.pins);
    const { shapes, guessed } = resolveInputShapes(session.info.inputs, pins, spec.batch, options.model);
    const batch = batchOf(session.info.inputs, shapes, pins.batchDim);
    const refusal = batchRefusal(spec, batch, session.info.inputs, shapes);
    if (refusal) return { result: { status: 'skipped', spec, reason: refusal }, model: session.info };
    const measuredSpec = { ...spec, batch, id: trialId({ ...spec, batch }) };
    context.sampler?.setTag(measuredSpec.id, 'load');
    let inputs: TrialInputs;
    try {
      inputs = withGuesses(await prepareInputs(session, shapes, batch ?? 1, pins, options), guessed);
    } catch (error) {
      // Inputs too big for this batch are this trial's failure; a bad pin or file is everyone's.
      if (isRunWideError(error, spec)) throw error;
      return { result: failed(measuredSpec, 'inputs', error), model: session.info };
    }
    let measured: TrialMeasurement | TrialFailed;
    try {
      measured = await measure(session, measuredSpec, inputs, modelLoadMs, context, options, hooks, { shapes, pins });
    } finally {
      await inputs.close();
    }
    if (measured.status !== 'ok') return { result: measured, model: session.info };
    const inputWarnings: Warning[] = guessed.length > 0 ? [{ code: 'guessed-shapes', message: guessedShapesMessage(guessed, shapes) }] : [];
    const tensors = inputs.tensors();
    const utilisation = await utilisationOf(context.sampler, measuredSpec.id);
    const sets = (): Promise<InputSets> => referenceInputSets(session, shapes, batch ?? 1, pins, options, ACCURACY_SETS);
    const variant = spec.precision === 'fp32' ? null : await variantPart(spec.precision, context, session, sets);
    const analysis = await analyseTrial(measured, adapter, context.variant.path, tensors, utilisation && classifierInput(utilisation), {
      // Ctrl-C asks for the partial report now: no profiled pass, and never a calibration.
      opProfile: options.opProfile && !options.signal?.aborted,
      ...(options.opProfile && options.signal?.aborted && { opProfileSkipped: 'the run was interrupted before the per-operator profile' }),
      opProfileIterations: OP_PROFILE_ITERATIONS,
      logicalCores: context.logicalCores,
      calibrationCache: options.calibrationCache ?? undefined,
      onPhase: (phase) => hooks.onPhase?.(measuredSpec, phase, 0, 0),
    });
    return { result: assembleTrial({ measurement: measured, inputWarnings, utilisation, variant, analysis }), model: session.info };
  } finally {
    await session.close();
  }
}

async function measure(
  session: Session,
  spec: TrialSpec,
  inputs: TrialInputs,
  modelLoadMs: number,
  context: TrialContext,
  options: ResolvedProfileOptions,
  hooks: ProfileHooks,
  resolved: { shapes: Map<string, number[]>; pins: InputPins },
): Promise<TrialMeasurement | TrialFailed> {
  hooks.onPhase?.(spec, 'cold-start', 0, 0);
  let phase: TrialFailed['phase'] = 'cold-start';
  const endpointStats = new EndpointStats(session);
  try {
    const phases = {
      warmup: options.warmup,
      measure: options.measure,
      signal: options.signal,
      onPhaseStart: (p: TrialPhase) => {
        phase = p;
        context.sampler?.setTag(spec.id, p);
        if (p === 'measure') return endpointStats.start();
      },
      onProgress: (p: TrialPhase, n: number, ms: number) => hooks.onPhase?.(spec, p, n, ms),
    };
    const remote = session.endpoint ? { remote: { client: options.remote, connections: options.service?.connections ?? null } } : {};
    const serviceBase = { session, spec, inputs, modelPath: context.variant.path, pins: resolved.pins, warmup: options.warmup, logicalCores: context.logicalCores, loadSplit: options.loadSplit, ...remote };
    if (spec.service) return await measureService(serviceBase, spec.service, phases);
    if (context.service) return await context.service(serviceBase, phases);
    const concurrency = spec.concurrency ?? 1;
    const measured = concurrency > 1 && session.endpoint
      ? await runRemoteStreams(context.variant.path, sessionOptionsOf(spec, options.remote), session, inputs.tensors(), concurrency, { ...phases, extend: budgetExtension(options.budgets, options.budgetTimeCapMs) })
      : concurrency > 1
      ? await runConcurrentTrial({ ...phases, model: context.variant.path, session: sessionOptionsOf(spec, options.remote), ...resolved, seed: options.seed, concurrency })
      : await runTrial(inputs.driver, { ...phases, extend: budgetExtension(options.budgets, options.budgetTimeCapMs) });
    const { iterations, durationMs } = measured.measure;
    // Throughput from wall time: everything the phase took, stages or not (accounting.ts).
    const inferencesPerSec = durationMs > 0 ? (iterations * 1000) / durationMs : 0;
    const accounting = wallAccounting(measured.measure, measured.stages.total, measured.overhead, concurrency);
    const endpoint = await endpointStats.section();
    return {
      status: 'ok',
      spec,
      backend: session.backend,
      inputs: inputs.descriptions(),
      coldStart: { modelLoadMs, ...measured.firstIteration },
      warmup: measured.warmup,
      measure: measured.measure,
      stages: measured.stages,
      throughput: throughputOf(inferencesPerSec, spec.batch ?? 1, 'rateInterval' in measured ? measured.rateInterval : undefined),
      accounting,
      ...(measured.memory && { memory: { outputs: spec.outputs ?? DEFAULT_OUTPUT_HANDLING, ...measured.memory } }),
      ...(measured.latencyTimeline && { latencyTimeline: measured.latencyTimeline }),
      ...(endpoint && { endpoint }),
      peakRssBytes: readPeakRssBytes(),
      overhead: measured.overhead,
      warnings: [...measured.warnings, ...accountingWarnings(accounting), ...leakWarnings(session), ...(session.endpoint ? [] : oversubscription(spec, context.logicalCores))],
    };
  } catch (error) {
    // A stream's own session failing (to open, or mid-run) is this trial's failure, in its phase.
    if (error instanceof StreamError) return failed(spec, error.phase, error);
    // Serving flags the model cannot take (batching on a fixed batch dim) stop the run (exit 2).
    if ((spec.service || context.service) && isRunWideError(error, spec)) throw error;
    // The first run is where the runtime first sees our shapes and values: say what was tried.
    if (phase === 'cold-start' && !isInferbenchError(error)) return failed(spec, phase, inputsRejected(error, inputs.descriptions()));
    return failed(spec, phase, error);
  }
}

/** Items/s with the batch-means interval scaled onto it, when the loop could make one. */
function throughputOf(inferencesPerSec: number, batch: number, rate: { relative: [number, number]; windows: number; level: number } | undefined): TrialThroughput {
  const itemsPerSec = inferencesPerSec * batch;
  if (rate === undefined) return { inferencesPerSec, itemsPerSec };
  return { inferencesPerSec, itemsPerSec, interval: { itemsPerSec: [itemsPerSec * rate.relative[0], itemsPerSec * rate.relative[1]], level: rate.level, method: 'batch-means', windows: rate.windows } };
}

/** Why `device` cannot run here ("device cuda unavailable: …"), or null when it can (probed). */
export async function deviceUnavailable(adapter: RuntimeAdapter, name: string): Promise<string | null> {
  const devices = await adapter.devices();
  const listed = devices.find((d) => d.device === name);
  const device = listed?.available && adapter.probe ? await adapter.probe(name) : listed;
  if (device?.available) return null;
  const detail = device?.detail ?? `not one of: ${devices.map((d) => d.device).join(', ')}`;
  return `device ${name} unavailable: ${detail}`;
}

/** Profiled runs behind --op-profile's table: enough to average, few enough to stay quick. */
const OP_PROFILE_ITERATIONS = 20;

/** The measure phase's utilisation; the sample that closes the phase is taken before re-tagging. */
async function utilisationOf(sampler: Sampler | null, trialId: string): Promise<UtilisationSummary | null> {
  if (!sampler) return null;
  const series = await sampler.snapshot();
  sampler.setTag(trialId, 'idle');
  return summarizeSamples(series, { trial: trialId, phase: 'measure' });
}

function classifierInput(u: UtilisationSummary): UtilisationInput {
  return {
    sampleCount: u.sampleCount,
    cpuTotalPct: u.cpuTotalPct?.mean ?? null,
    cpuCoreMaxPct: u.cpuCoreMaxPct?.mean ?? null,
    processCpuPctOfCore: u.processCpuPctOfCore?.mean ?? null,
    iowaitPct: u.iowaitPct?.mean ?? null,
    diskReadBytesPerSec: u.diskReadBytesPerSec?.mean ?? null,
    gpuUtilPct: u.gpus[0]?.utilizationPct?.mean ?? null,
  };
}

function leakWarnings(session: Session): Warning[] {
  const leak = session.resourceLeak?.();
  return leak ? [{ code: 'memory-growth', message: leak }] : [];
}

/** A precision variant's part: where its file came from and, when an fp32 reference runs here, its drift from fp32. */
async function variantPart(precision: Precision, context: TrialContext, session: Session, sets: () => Promise<InputSets>): Promise<VariantPart> {
  const drift = context.reference ? await accuracyPart(precision, context.reference, session, sets) : { warnings: [] };
  return { variant: context.variant, ...drift, warnings: [...variantWarnings(precision, context.variant), ...drift.warnings] };
}

/**
 * Accuracy is evidence, not the trial's purpose: if it cannot be computed, say so and go on.
 * Outputs bit-identical to fp32's are no perfect score but a sign that nothing changed.
 */
async function accuracyPart(precision: Precision, reference: Fp32Reference, session: Session, sets: () => Promise<InputSets>): Promise<{ accuracy?: AccuracyVsFp32; warnings: Warning[] }> {
  try {
    const accuracy = await reference.accuracyOf(session, await sets());
    if (!accuracy.identical) return { accuracy, warnings: [] };
    return {
      accuracy,
      warnings: [{ code: 'variant-identical', message: `${precision} outputs are bit-identical to fp32's on all ${accuracy.inputSets} input sets (${accuracy.inputSource}): the variant computes exactly what fp32 computes — no sign that it runs in ${precision}, and no evidence of a lossless conversion` }],
    };
  } catch (error) {
    return { warnings: [{ code: 'accuracy-unavailable', message: `could not compare outputs with fp32: ${messageOf(error)}` }] };
  }
}

/** Streams × threads beyond the cores: the tail then measures the OS scheduler, not the model. */
export function oversubscription(spec: TrialSpec, logicalCores: number): Warning[] {
  const streams = spec.concurrency ?? 1;
  if (streams === 1) return [];
  const threads = spec.threads ?? logicalCores; // ORT's default: a thread per core
  if (streams * threads <= logicalCores) return [];
  return [{
    code: 'oversubscribed',
    message: `${streams} streams × ${threads} intra-op thread${threads === 1 ? '' : 's'} = ${streams * threads} threads on ${logicalCores} cores: requests queue in the OS scheduler, which shows in the tail latency — ${streams > logicalCores ? `use at most ${logicalCores} streams with --threads 1` : `use --threads ${Math.floor(logicalCores / streams)} for ${streams} streams`}`,
  }];
}

export function sessionOptionsOf(spec: TrialSpec, remote?: RemoteClientOptions): SessionOptions {
  return { device: spec.device, intraOpThreads: spec.threads, interOpThreads: spec.interThreads, graphOptimization: spec.graphOptimization, ...(spec.outputs && { outputs: spec.outputs }), ...(remote && { remote }) };
}

export function failed(spec: TrialSpec, phase: TrialFailed['phase'], error: unknown): TrialFailed {
  const code = isInferbenchError(error) ? error.code : 'runtime-error';
  const message = isInferbenchError(error) ? error.message : cleanOrtMessage(messageOf(error));
  const hint = error instanceof InferbenchError ? error.hint : ortHint(message);
  return { status: 'failed', spec, phase, error: { code, message, ...(hint && { hint }) } };
}

/** The batch size the trial really ran: the batch dim of the first input that has one. */
export function batchOf(inputs: readonly TensorSpec[], shapes: Map<string, number[]>, batchDim: string | undefined): number | null {
  for (const input of inputs) {
    const axis = batchDimOf(input, batchDim);
    const size = axis === null ? undefined : shapes.get(input.name)?.[axis];
    if (size !== undefined) return size;
  }
  return null;
}

/** Why a requested batch cannot run (a fixed-batch model, or shapes that pin the batch). */
export function batchRefusal(spec: TrialSpec, batch: number | null, inputs: readonly TensorSpec[], shapes: Map<string, number[]>): string | null {
  if (spec.batch === null || batch === spec.batch) return null;
  const first = inputs[0];
  const firstShape = shapes.get(first?.name ?? '') ?? [];
  if (batch === null && firstShape[0] === spec.batch) return null; // fixed leading dim that matches
  const why = batch === null
    ? `the model has no batch dim to set (input ${first?.name} has the fixed shape [${firstShape.join(', ')}])`
    : `the shapes given fix the batch at ${batch}`;
  return `batch ${spec.batch} not possible: ${why}`;
}
