// The sweep loop: each planned trial in turn, in-process or isolated. A trial never throws out of
// the sweep (its failure is recorded and the sweep goes on), except for errors that every trial
// would share; after each trial the caller gets the partial report to persist.
import type { RuntimeAdapter } from '../adapters/adapter.js';
import type { ProfileHooks } from '../hooks.js';
import type { ResolvedProfileOptions } from '../profile-options.js';
import type { ModelInfo, Report, TrialResult, TrialSpec } from '../types.js';
import { runSpecIsolated } from './isolate.js';
import { availableParallelism } from 'node:os';
import { startSampler } from '../sample/sampler.js';
import type { SampleSeries } from '../model/samples.js';
import { mergeRepetitions } from './repetitions.js';
import { failed, isRunWideError, runSpec, type TrialContext, type TrialOutcome } from './run-spec.js';
import { Fp32Reference, VariantResolver, variantSkipReason } from './variants.js';
import { isVariantDeclined } from '../variants/declined.js';
import { baselineTrial } from '../report/sweep-table.js';
import { pairedSpeedUps } from './speedups.js';

export interface SweepResult {
  trials: TrialResult[];
  /** The model as the runtime described it, when any trial opened it. */
  model?: ModelInfo;
  /** Raw utilisation samples of the whole sweep (in-process trials only). */
  samples?: SampleSeries;
}

export async function runSweep(
  adapter: RuntimeAdapter,
  specs: readonly TrialSpec[],
  options: ResolvedProfileOptions,
  hooks: ProfileHooks,
  snapshot: (sofar: SweepResult) => Promise<Report>,
  /** --shard: the whole plan's baseline, which the speed-ups pair with even when another shard measures it. */
  pairWith?: TrialSpec | null,
  /** --rate auto: each configuration's measurement is a knee search (sweep/knee-sweep.ts). */
  service?: TrialContext['service'],
): Promise<SweepResult> {
  const sofar: SweepResult = { trials: [] };
  const variants = new VariantResolver(options.model, options.variants, options.variantCacheDir ?? undefined, { adapter, options });
  const reference = options.isolate ? null : new Fp32Reference(adapter, options.model);
  // With --isolate each child samples its own process; here one sampler serves the whole sweep.
  const sampler = options.sample && !options.isolate ? startSampler({ intervalMs: options.sampleIntervalMs }) : null;
  await sampler?.ready();
  const shared = { variants, reference, sampler, logicalCores: availableParallelism(), ...(service && { service }) };
  // Repetitions interleave: every trial once, then every trial again, so drift hits all alike.
  const perSpec: TrialResult[][] = specs.map(() => []);
  const total = specs.length * options.repeat;
  // A planned 'batch=model' becomes the batch that ran ('batch=1') once the model is open; the
  // samples taken while it opened carry the planned id, renamed at the end (one id per trial).
  const measuredIds = new Map<string, string>();
  try {
    for (let round = 0; round < options.repeat; round++) {
      for (const [index, spec] of specs.entries()) {
        if (options.signal?.aborted) break;
        const earlier = perSpec[index]!;
        if (earlier[0]?.status === 'skipped') continue; // a skip (no device, no batch) will not change
        hooks.onTrialStart?.(spec, round * specs.length + index, total);
        const outcome = await runOne(adapter, spec, shared, options, hooks);
        if (outcome.result.spec.id !== spec.id) measuredIds.set(spec.id, outcome.result.spec.id);
        // The report describes the user's model: a precision variant's session describes the
        // generated file, so a variant-only sweep leaves it to the caller to describe the model.
        if (outcome.model?.path === options.model) sofar.model ??= outcome.model;
        earlier.push(outcome.result);
        sofar.trials = perSpec.filter((results) => results.length > 0).map(mergeRepetitions);
        if (hooks.onTrialEnd) hooks.onTrialEnd(outcome.result, await snapshot(sofar));
      }
    }
    // The planned baseline may have run under another id ('batch=model' → 'batch=1'): never pair it with itself.
    const pairId = pairWith && (measuredIds.get(pairWith.id) ?? pairWith.id);
    const baseline = pairWith ? (sofar.trials.find((t) => t.status === 'ok' && t.spec.id === pairId) ?? { spec: pairWith }) : baselineTrial(sofar.trials);
    if (options.pairedSpeedUp && !options.isolate && !options.signal?.aborted && baseline !== undefined) {
      sampler?.setTag('speed-ups', 'idle');
      sofar.trials = await pairedSpeedUps(adapter, sofar.trials, baseline, variants, options, hooks);
    }
  } finally {
    await reference?.close();
    const series = await sampler?.stop();
    if (series) sofar.samples = renameTrials(series, measuredIds);
  }
  return sofar;
}

async function runOne(
  adapter: RuntimeAdapter,
  spec: TrialSpec,
  shared: { variants: VariantResolver } & Omit<TrialContext, 'variant'>,
  options: ResolvedProfileOptions,
  hooks: ProfileHooks,
): Promise<TrialOutcome> {
  try {
    const unsupported = await adapter.precisionUnsupported?.(spec.device, spec.precision);
    if (unsupported) return { result: { status: 'skipped', spec, reason: unsupported } };
    const variant = await shared.variants.resolve(spec.precision);
    const nothingConverted = variantSkipReason(spec.precision, variant);
    if (nothingConverted) return { result: { status: 'skipped', spec, reason: nothingConverted } };
    return options.isolate
      ? await runSpecIsolated(spec, variant, options, hooks)
      : await runSpec(adapter, spec, { ...shared, variant }, options, hooks);
  } catch (error) {
    // A converter that declined (or made an invalid model, declined by the validation) says why: skipped, not failed.
    if (isVariantDeclined(error)) return { result: { status: 'skipped', spec, reason: error.reason } };
    if (isRunWideError(error, spec)) throw error;
    return { result: failed(spec, 'open', error) };
  }
}

/** The series with planned trial ids replaced by the ids the trials ran under. */
export function renameTrials(series: SampleSeries, ids: ReadonlyMap<string, string>): SampleSeries {
  if (ids.size === 0) return series;
  const rename = <T extends { trial: string }>(x: T): T => {
    const id = ids.get(x.trial);
    return id === undefined ? x : { ...x, trial: id };
  };
  return { ...series, samples: series.samples.map(rename), marks: series.marks.map(rename) };
}
