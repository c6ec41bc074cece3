// comparePaired(options) → Comparison: the paired path of `inferbench compare BASE HEAD` when
// BASE and HEAD are models. One process loads both, builds the same inputs for both, and measures
// them interleaved (paired-loop.ts) for every planned trial configuration; the verdict comes from
// the pairs (paired-stats.ts). Failures are values: a configuration that cannot run on one side is
// reported with the reason and the others go on. Never prints.
import { availableParallelism } from 'node:os';
import type { RuntimeAdapter, Session } from '../adapters/adapter.js';
import { resolveAdapter } from '../adapters/resolve.js';
import { InferbenchError, isInferbenchError, messageOf } from '../errors.js';
import { withNpyShapes } from '../inputs/input-file.js';
import { resolveShapes } from '../inputs/shapes.js';
import { checkPinNamesOfEither, pinsFor } from '../inputs/side-pins.js';
import { elapsedNs, now } from '../measure/clock.js';
import { mulberry32 } from '../measure/prng.js';
import { summarizeMeasurement } from '../measure/run-trial.js';
import { syntheticDriver } from '../measure/timed-loop.js';
import { plan, rejectUnknownDevices } from '../profile.js';
import { resolveProfileOptions, type ProfileOptions, type ResolvedProfileOptions } from '../profile-options.js';
import { readPeakRssBytes, resetPeakRss } from '../sample/machine.js';
import { batchOf, batchRefusal, deviceUnavailable, isRunWideError, sessionOptionsOf } from '../sweep/run-spec.js';
import { prepareInputs, type TrialInputs } from '../sweep/trial-inputs.js';
import { trialId } from '../sweep/plan.js';
import { VariantResolver } from '../sweep/variants.js';
import type { InputDescription, ModelInfo, TrialOk, TrialSpec } from '../types.js';
import type { StageRecorder } from '../measure/recorder.js';
import { inProcessSide } from './in-process-side.js';
import { DEFAULT_EPOCHS, MAX_EPOCHS, runPairedLoop, type PairedLoopOptions, type PairedMeasurement, type PairedSide, type ReopenSides } from './paired-loop.js';
import { childLane, duetSide, laneSide, type ChildLane } from './child-side.js';
import type { OpenedReply } from './child-protocol.js';

/** What `compare BASE HEAD` takes when both are models: the profile options, minus the model. */
export interface PairedOptions extends Omit<ProfileOptions, 'model' | 'repeat' | 'variants' | 'opProfile' | 'concurrency' | 'sample' | 'sampleIntervalMs' | 'budgets'> {
  base: string;
  head: string;
  /** The threshold the verdict uses for p50 (the auto bound's precision goal); default 5%. */
  threshold?: number;
  /**
   * in-process (default): both sessions here, alternating blocks. child-processes: each side in
   * its own child process, alternating (set by `isolate: true` too). duet: each side in a child,
   * both running every block at the same time.
   */
  mode?: PairedMode;
  /**
   * The measurement is split into this many epochs, each on freshly opened sessions, so that the
   * interval holds how much where they land in memory moves the ratio (default DEFAULT_EPOCHS;
   * 1: one pair of sessions for the whole run).
   */
  epochs?: number;
}

export interface PairedHooks {
  onPlan?: (specs: TrialSpec[]) => void;
  onTrialStart?: (spec: TrialSpec, index: number, total: number) => void;
  onBlock?: (spec: TrialSpec, blocks: number, elapsedMs: number) => void;
}

/** One measured pair of trials, or why there is none. */
export type PairedTrial =
  | { status: 'ok'; spec: TrialSpec; base: TrialOk; head: TrialOk; measurement: PairedMeasurement; mode: PairedMode; samples: Sides<StageRecorder>; cores: number; inputsDiffer?: string }
  | { status: 'failed' | 'skipped'; spec: TrialSpec; side: 'base' | 'head' | 'both'; message: string };

export type PairedMode = 'in-process' | 'child-processes' | 'duet';

export interface PairedRun {
  trials: PairedTrial[];
  base: { path: string; runtime: string; info?: ModelInfo };
  head: { path: string; runtime: string; info?: ModelInfo };
  startedAt: string;
  interrupted: boolean;
}

export async function runPaired(options: PairedOptions, hooks: PairedHooks = {}): Promise<PairedRun> {
  checkEpochs(options.epochs);
  const resolved = resolveProfileOptions({ ...options, model: options.base, sample: false });
  const [baseAdapter, headAdapter] = [await resolveAdapter(options.base), await resolveAdapter(options.head)];
  await rejectUnknownDevices(baseAdapter, resolved.devices);
  await rejectUnknownDevices(headAdapter, resolved.devices);
  const specs = plan({ ...options, model: options.base });
  hooks.onPlan?.(specs);
  const variants = {
    base: new VariantResolver(options.base, {}, resolved.variantCacheDir ?? undefined, { adapter: baseAdapter, options: { ...resolved, model: options.base } }),
    head: new VariantResolver(options.head, {}, resolved.variantCacheDir ?? undefined, { adapter: headAdapter, options: { ...resolved, model: options.head } }),
  };
  const startedAt = new Date().toISOString();
  const models: Partial<Sides<ModelInfo>> = {};
  const trials: PairedTrial[] = [];
  const mode: PairedMode = options.mode ?? (resolved.isolate ? 'child-processes' : 'in-process');
  for (const [index, spec] of specs.entries()) {
    if (resolved.signal?.aborted) break;
    hooks.onTrialStart?.(spec, index, specs.length);
    const context = { variants, options: resolved, threshold: options.threshold ?? 0.05, hooks, models, epochs: options.epochs ?? DEFAULT_EPOCHS };
    trials.push(mode === 'in-process' ? await runPair(spec, { base: baseAdapter, head: headAdapter }, context) : await runPairInChildren(spec, { base: baseAdapter, head: headAdapter }, context, mode));
  }
  return {
    trials,
    base: { path: options.base, runtime: baseAdapter.runtime, ...(models.base && { info: models.base }) },
    head: { path: options.head, runtime: headAdapter.runtime, ...(models.head && { info: models.head }) },
    startedAt,
    interrupted: resolved.signal?.aborted ?? false,
  };
}

/** epochs (--epochs, paired.epochs) is a whole number in [1, MAX_EPOCHS]; the same check as the flag's. */
export function checkEpochs(epochs: number | undefined): void {
  if (epochs === undefined || (Number.isInteger(epochs) && epochs >= 1 && epochs <= MAX_EPOCHS)) return;
  throw new InferbenchError('usage', `epochs must be a whole number from 1 to ${MAX_EPOCHS}, got ${epochs}`, EPOCHS_WHY);
}

/** Why epochs are bounded. */
const EPOCHS_WHY = `each epoch reopens both sessions and warms them up again; ${MAX_EPOCHS} is 20× the default of ${DEFAULT_EPOCHS}`;

type Sides<T> = { base: T; head: T };

interface PairContext {
  variants: Sides<VariantResolver>;
  options: ResolvedProfileOptions;
  threshold: number;
  hooks: PairedHooks;
  /** Each side's model as the runtime describes it (fp32), filled by the first trial that opens it. */
  models: Partial<Sides<ModelInfo>>;
  epochs: number;
}

/** Why a configuration cannot run on one of the sides' runtimes, or null. */
async function unavailableOn(spec: TrialSpec, adapters: Sides<RuntimeAdapter>): Promise<PairedTrial | null> {
  for (const side of ['base', 'head'] as const) {
    const unavailable = await deviceUnavailable(adapters[side], spec.device);
    if (unavailable !== null) return { status: 'skipped', spec, side, message: unavailable };
  }
  return null;
}

function loopOptions(context: PairContext, spec: TrialSpec, reopen: ReopenSides, duet = false): PairedLoopOptions {
  const { options, threshold, hooks, epochs } = context;
  return { warmup: options.warmup, measure: options.measure, seed: options.seed, threshold, signal: options.signal, duet, epochs, reopen, onProgress: (blocks, ms) => hooks.onBlock?.(spec, blocks, ms) };
}

/** The order in which an epoch opens the two sides' sessions: drawn, so neither always comes first. */
function openingOrder(seed: number, epoch: number): ['base', 'head'] | ['head', 'base'] {
  return mulberry32(seed + epoch)() < 0.5 ? ['base', 'head'] : ['head', 'base'];
}

async function runPair(spec: TrialSpec, adapters: Sides<RuntimeAdapter>, context: PairContext): Promise<PairedTrial> {
  const { variants, options, models } = context;
  const skipped = await unavailableOn(spec, adapters);
  if (skipped !== null) return skipped;
  const sessions: Partial<Sides<Session>> = {};
  const inputs: Partial<Sides<TrialInputs>> = {};
  const paths: Partial<Sides<string>> = {};
  let phase = 'open';
  try {
    const loadMs = { base: 0, head: 0 };
    for (const side of ['base', 'head'] as const) {
      paths[side] = (await variants[side].resolve(spec.precision)).path;
      const start = now();
      sessions[side] = await adapters[side].open(paths[side], sessionOptionsOf(spec));
      loadMs[side] = elapsedNs(start, now()) / 1e6;
      if (spec.precision === 'fp32') models[side] ??= sessions[side]!.info;
    }
    const open = sessions as Sides<Session>;
    phase = 'inputs';
    const pins = withNpyShapes(options.pins);
    // Each side builds its inputs from its own metadata; a pin applies to every side that has its input.
    checkPinNamesOfEither(open.base.info.inputs, open.head.info.inputs, pins);
    const sidePins = { base: pinsFor(open.base.info.inputs, pins), head: pinsFor(open.head.info.inputs, pins) };
    const shapes = resolveShapes(open.base.info.inputs, sidePins.base, spec.batch);
    const headShapes = resolveShapes(open.head.info.inputs, sidePins.head, spec.batch);
    const inputsDiffer = inputMismatch(describeInputs(open.base.info.inputs, shapes), describeInputs(open.head.info.inputs, headShapes));
    const batch = batchOf(open.base.info.inputs, shapes, sidePins.base.batchDim);
    const refusal = batchRefusal(spec, batch, open.base.info.inputs, shapes);
    if (refusal !== null) return { status: 'skipped', spec, side: 'both', message: refusal };
    const measured = { ...spec, batch, id: trialId({ ...spec, batch }) };
    // Both sides' inputs, or none: base's are closed when head's cannot be built.
    const prepare = async (s: Sides<Session>): Promise<Sides<TrialInputs>> => {
      const base = await prepareInputs(s.base, shapes, batch ?? 1, sidePins.base, options);
      // Same inputs: head is fed base's very tensors. Different inputs: head builds its own.
      if (synthetic(options) && inputsDiffer === null) return { base, head: { ...base, driver: syntheticDriver(s.head, base.tensors()), close: async () => undefined } };
      try {
        return { base, head: await prepareInputs(s.head, headShapes, batch ?? 1, sidePins.head, options) };
      } catch (error) {
        await base.close();
        throw error;
      }
    };
    Object.assign(inputs, await prepare(open));
    // A later epoch opens fresh sessions and inputs before it closes the last ones, so they land elsewhere.
    const reopen: ReopenSides = async (recorders, epoch) => {
      const fresh: Partial<Sides<Session>> = {};
      let freshInputs: Sides<TrialInputs> | undefined;
      try {
        for (const side of openingOrder(options.seed, epoch)) fresh[side] = await adapters[side].open(paths[side]!, sessionOptionsOf(spec));
        freshInputs = await prepare(fresh as Sides<Session>);
      } catch (error) {
        await fresh.base?.close();
        await fresh.head?.close();
        throw error;
      }
      await closeAll(sessions, inputs);
      Object.assign(sessions, fresh);
      Object.assign(inputs, freshInputs);
      return { base: inProcessSide(freshInputs.base.driver, recorders.base), head: inProcessSide(freshInputs.head.driver, recorders.head) };
    };
    phase = 'measure';
    resetPeakRss();
    const sides = { base: inProcessSide(inputs.base!.driver), head: inProcessSide(inputs.head!.driver) };
    const measurement = await runPairedLoop(sides.base, sides.head, loopOptions(context, measured, reopen));
    const peak = readPeakRssBytes();
    const side = (name: 'base' | 'head'): TrialOk => sideTrial(measured, name, sides[name], measurement, { backend: open[name].backend, inputs: inputs[name]!.descriptions(), modelLoadMs: loadMs[name], peakRssBytes: peak });
    return { status: 'ok', spec: measured, base: side('base'), head: side('head'), measurement, mode: 'in-process', samples: { base: sides.base.recorder, head: sides.head.recorder }, cores: availableParallelism(), ...(inputsDiffer !== null && { inputsDiffer }) };
  } catch (error) {
    if (isRunWideError(error, spec) && phase !== 'measure') throw error;
    const which = sessions.base === undefined ? 'base' : sessions.head === undefined && phase === 'open' ? 'head' : 'both';
    return { status: 'failed', spec, side: which, message: `${phase}: ${messageOf(error)}${isInferbenchError(error) && error.hint ? ` (hint: ${error.hint})` : ''}` };
  } finally {
    await closeAll(sessions, inputs);
  }
}

async function closeAll(sessions: Partial<Sides<Session>>, inputs: Partial<Sides<TrialInputs>>): Promise<void> {
  await inputs.base?.close();
  await inputs.head?.close();
  await sessions.base?.close();
  await sessions.head?.close();
}

function synthetic(options: ResolvedProfileOptions): boolean {
  const { pipeline } = options;
  return pipeline.name === 'none' && pipeline.data === null && pipeline.postprocess === null;
}

/** A side's inputs as resolved: names, types and shapes, sorted. */
function describeInputs(inputs: readonly { name: string; type: string }[], shapes: ReadonlyMap<string, readonly number[]> | readonly (readonly [string, readonly number[]])[]): string {
  const shapeOf = new Map(shapes as Iterable<readonly [string, readonly number[]]>);
  return inputs.map((i) => `${i.name} ${i.type} [${(shapeOf.get(i.name) ?? []).join(', ')}]`).sort().join(', ');
}

/**
 * Null when both sides take the same inputs (names, types, resolved shapes): they are then fed the
 * same data. Else what differs, for the report: each side was fed inputs built for it.
 */
function inputMismatch(base: string, head: string): string | null {
  return base === head ? null : `base and head take different inputs, each fed its own: base takes ${base}; head takes ${head}`;
}

/** Both sides in one child process, alternating (--isolate); or both sides in each of two, at once (duet). */
async function runPairInChildren(spec: TrialSpec, adapters: Sides<RuntimeAdapter>, context: PairContext, mode: Exclude<PairedMode, 'in-process'>): Promise<PairedTrial> {
  const skipped = await unavailableOn(spec, adapters);
  if (skipped !== null) return skipped;
  const spawn = (): ChildLane[] => (mode === 'duet' ? [childLane(spec, context.options), childLane(spec, context.options)] : [childLane(spec, context.options)]);
  let lanes = spawn();
  const opened: Partial<Sides<OpenedReply>> = {};
  const paths: Partial<Sides<string>> = {};
  let failing: 'base' | 'head' | 'both' = 'base';
  try {
    for (const side of ['base', 'head'] as const) {
      failing = side;
      paths[side] = (await context.variants[side].resolve(spec.precision)).path;
      for (const lane of lanes) opened[side] = await lane.open(side, paths[side]);
      if (spec.precision === 'fp32') context.models[side] ??= opened[side]!.info;
    }
    failing = 'both';
    const { base, head } = opened as Sides<OpenedReply>;
    // Each child built its side's inputs with the pins that concern it; a pin neither side has is a typo.
    checkPinNamesOfEither(base.info.inputs, head.info.inputs, withNpyShapes(context.options.pins));
    const inputsDiffer = inputMismatch(describeInputs(base.info.inputs, base.shapes), describeInputs(head.info.inputs, head.shapes));
    const refusal = batchRefusal(spec, base.batch, base.info.inputs, new Map(base.shapes));
    if (refusal !== null) return { status: 'skipped', spec, side: 'both', message: refusal };
    const measured = { ...spec, batch: base.batch, id: trialId({ ...spec, batch: base.batch }) };
    const sidesIn = (l: ChildLane[], recorders?: Sides<StageRecorder>): Sides<PairedSide> =>
      l.length === 2 ? { base: duetSide([l[0]!, l[1]!], 'base', recorders?.base), head: duetSide([l[0]!, l[1]!], 'head', recorders?.head) } : { base: laneSide(l[0]!, 'base', recorders?.base), head: laneSide(l[0]!, 'head', recorders?.head) };
    // A later epoch runs in fresh child processes: new sessions, new address space.
    const reopen: ReopenSides = async (recorders, epoch) => {
      const fresh = spawn();
      try {
        for (const side of openingOrder(context.options.seed, epoch)) for (const lane of fresh) await lane.open(side, paths[side]!);
      } catch (error) {
        for (const lane of fresh) await lane.close();
        throw error;
      }
      for (const lane of lanes) await lane.close();
      lanes = fresh;
      return sidesIn(fresh, recorders);
    };
    const sides = sidesIn(lanes);
    const measurement = await runPairedLoop(sides.base, sides.head, loopOptions(context, measured, reopen, mode === 'duet'));
    const side = (name: 'base' | 'head'): TrialOk => sideTrial(measured, name, sides[name], measurement, { backend: opened[name]!.backend, inputs: opened[name]!.inputs, modelLoadMs: opened[name]!.loadMs, peakRssBytes: 0 });
    return { status: 'ok', spec: measured, base: side('base'), head: side('head'), measurement, mode, samples: { base: sides.base.recorder, head: sides.head.recorder }, cores: availableParallelism(), ...(inputsDiffer !== null && { inputsDiffer }) };
  } catch (error) {
    if (isRunWideError(error, spec)) throw error;
    return { status: 'failed', spec, side: failing, message: `${messageOf(error)}${isInferbenchError(error) && error.hint ? ` (hint: ${error.hint})` : ''}` };
  } finally {
    for (const lane of lanes) await lane.close();
  }
}

interface SideFacts {
  backend: string;
  inputs: InputDescription[];
  modelLoadMs: number;
  /** Peak RSS of the process during the run (0 where the side ran in a child). */
  peakRssBytes: number;
}

/** A side's numbers as a trial result, so budgets, exporters and JSON read them as any trial. */
function sideTrial(spec: TrialSpec, name: 'base' | 'head', side: PairedSide, m: PairedMeasurement, facts: SideFacts): TrialOk {
  const wallNs = name === 'base' ? m.blocks.baseWallNs : m.blocks.headWallNs;
  const durationMs = wallNs.reduce((sum, ns) => sum + ns, 0) / 1e6;
  const iterations = side.recorder.count;
  const summary = summarizeMeasurement({
    recorder: side.recorder,
    loop: { iterations, durationMs, stopReason: m.stopReason },
    bound: { kind: 'auto' },
    firstIteration: m.first[name],
    warmup: m.warmup[name],
    perIterationUs: m.harnessUs[name],
  });
  const inferencesPerSec = durationMs > 0 ? (iterations * 1000) / durationMs : 0;
  return {
    status: 'ok',
    spec,
    backend: facts.backend,
    inputs: facts.inputs,
    coldStart: { modelLoadMs: facts.modelLoadMs, ...summary.firstIteration },
    warmup: summary.warmup,
    measure: summary.measure,
    stages: summary.stages,
    throughput: { inferencesPerSec, itemsPerSec: inferencesPerSec * (spec.batch ?? 1) },
    peakRssBytes: facts.peakRssBytes,
    overhead: summary.overhead,
    // Drift within a side is what the pairing cancels; only the warnings about the data stay.
    warnings: summary.warnings.filter((w) => w.code !== 'drift'),
  };
}
