// A sweep's speed-ups, measured paired. The sweep runs its trials one after another, so the
// machine's drift enters any ratio of their numbers: here a byte-for-byte unchanged "int8" copy
// of a model came out at 0.71× the fp32 latency. After the sweep, each trial is therefore
// measured once more against the baseline trial, interleaved in short blocks with the same
// machinery as `compare BASE HEAD` (src/paired/), in epochs on freshly opened sessions, and its
// speed-up — items/s of the trial over items/s of the baseline — gets a bootstrap interval over
// the pairs of blocks, widened by the spread between epochs.
import type { RuntimeAdapter, Session } from '../adapters/adapter.js';
import { DEFAULT_SIGNIFICANCE } from '../compare/significance.js';
import type { ProfileHooks } from '../hooks.js';
import { withNpyShapes } from '../inputs/input-file.js';
import { resolveShapes } from '../inputs/shapes.js';
import { messageOf } from '../errors.js';
import { inProcessSide } from '../paired/in-process-side.js';
import { DEFAULT_EPOCHS, runPairedLoop, type ReopenSides } from '../paired/paired-loop.js';
import { comparePairedThroughput } from '../paired/paired-stats.js';
import type { ResolvedProfileOptions } from '../profile-options.js';
import type { PairedSpeedUp, TrialOk, TrialResult } from '../types.js';
import { sessionOptionsOf } from './run-spec.js';
import { prepareInputs, type TrialInputs } from './trial-inputs.js';
import type { VariantResolver } from './variants.js';

/**
 * Each pair is measured this long in all (both sides), after SPEEDUP_WARMUP per side: enough
 * blocks for an interval of about ±1–2% on the development VM, while a 24-trial sweep pays about
 * a minute for all of its speed-ups. `--no-paired-speedup` skips them.
 */
export const SPEEDUP_MEASURE_MS = 1_500;
export const SPEEDUP_WARMUP_MS = 300;

interface Opened {
  session: Session;
  inputs: TrialInputs;
}

/** A trial, or a planned trial another shard measures (only its spec is needed to pair with it). */
type Planned = Pick<TrialOk, 'spec'>;

async function open(adapter: RuntimeAdapter, trial: Planned, variants: VariantResolver, options: ResolvedProfileOptions): Promise<Opened> {
  const variant = await variants.resolve(trial.spec.precision);
  const session = await adapter.open(variant.path, sessionOptionsOf(trial.spec));
  try {
    const pins = withNpyShapes(options.pins);
    const shapes = resolveShapes(session.info.inputs, pins, trial.spec.batch);
    return { session, inputs: await prepareInputs(session, shapes, trial.spec.batch ?? 1, pins, options) };
  } catch (error) {
    await session.close();
    throw error;
  }
}

async function close(o: Opened | undefined): Promise<void> {
  await o?.inputs.close();
  await o?.session.close();
}

/**
 * Trials that can be paired with the baseline in this process (one stream each). Service trials
 * (--rate) are not: their numbers are latency under a given load, and a closed-loop paired
 * measurement of the same session would compare something else.
 */
function pairable(trial: TrialResult, baseline: Planned): trial is TrialOk {
  return trial.status === 'ok' && trial.spec.id !== baseline.spec.id && (trial.spec.concurrency ?? 1) === 1 && trial.spec.service === undefined && baseline.spec.service === undefined;
}

/**
 * The trials with `pairedSpeedUp` set on each one that could be paired with `baseline`; a pair
 * that fails to run keeps the trial as it was, with a warning saying why.
 */
export async function pairedSpeedUps(
  adapter: RuntimeAdapter,
  trials: readonly TrialResult[],
  baseline: Planned,
  variants: VariantResolver,
  options: ResolvedProfileOptions,
  hooks: ProfileHooks,
): Promise<TrialResult[]> {
  const targets = trials.filter((t): t is TrialOk => pairable(t, baseline));
  if (targets.length === 0) return [...trials];
  const measured = new Map<TrialOk, PairedSpeedUp | string>();
  let base: Opened | undefined;
  try {
    base = await open(adapter, baseline, variants, options);
    for (const [index, trial] of targets.entries()) {
      if (options.signal?.aborted) break;
      hooks.onSpeedUpStart?.(trial.spec, baseline.spec, index, targets.length);
      measured.set(trial, await measurePair(adapter, base, baseline, trial, variants, options));
    }
  } catch (error) {
    for (const trial of targets) if (!measured.has(trial)) measured.set(trial, `the baseline could not be opened again: ${messageOf(error)}`);
  } finally {
    await close(base);
  }
  // New objects, not writes: these trials were assembled and reported (onTrialEnd, the partial
  // report) before the sweep ended, and a speed-up can only be measured once the baseline is known.
  return trials.map((t) => {
    const result = t.status === 'ok' ? measured.get(t) : undefined;
    if (result === undefined || t.status !== 'ok') return t;
    if (typeof result === 'string') return { ...t, warnings: [...t.warnings, { code: 'speedup-unpaired', message: `the speed-up is from separate runs, not paired: ${result}` }] };
    return { ...t, pairedSpeedUp: result };
  });
}

async function measurePair(adapter: RuntimeAdapter, base: Opened, baseline: Planned, trial: TrialOk, variants: VariantResolver, options: ResolvedProfileOptions): Promise<PairedSpeedUp | string> {
  let other: Opened | undefined;
  // Later epochs: both sides opened afresh (the sweep's baseline session stays open for the next pair).
  let fresh: Opened[] = [];
  try {
    other = await open(adapter, trial, variants, options);
    const reopen: ReopenSides = async (recorders) => {
      const next: Opened[] = [];
      try {
        next.push(await open(adapter, baseline, variants, options));
        next.push(await open(adapter, trial, variants, options));
      } catch (error) {
        for (const o of next) await close(o);
        throw error;
      }
      for (const o of fresh) await close(o);
      fresh = next;
      return { base: inProcessSide(next[0]!.inputs.driver, recorders.base), head: inProcessSide(next[1]!.inputs.driver, recorders.head) };
    };
    const m = await runPairedLoop(inProcessSide(base.inputs.driver), inProcessSide(other.inputs.driver), {
      warmup: { kind: 'time', ms: SPEEDUP_WARMUP_MS },
      measure: { kind: 'time', ms: SPEEDUP_MEASURE_MS },
      seed: options.seed,
      threshold: 0.05,
      signal: options.signal,
      epochs: DEFAULT_EPOCHS,
      reopen,
    });
    // Iterations per second of head over base; items/s scale by each side's batch.
    const t = comparePairedThroughput(m.blocks, 0.05, DEFAULT_SIGNIFICANCE, options.seed);
    const items = (trial.spec.batch ?? 1) / (baseline.spec.batch ?? 1);
    const ratio = (1 + t.change) * items;
    return {
      vsTrial: baseline.spec.id,
      ratio,
      ci: [(1 + t.ci[0]) * items, (1 + t.ci[1]) * items],
      level: t.level,
      blocks: m.blocks.baseEnds.length,
      iterationsPerBlock: m.iterationsPerBlock,
      durationMs: m.durationMs,
    };
  } catch (error) {
    return messageOf(error);
  } finally {
    for (const o of fresh) await close(o);
    await close(other);
  }
}
