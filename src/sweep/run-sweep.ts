// The sweep loop: each planned trial in turn, in-process or isolated. A trial never throws out of
// the sweep (its failure is recorded and the sweep goes on), except for errors that every trial
// would share; after each trial the caller gets the partial report to persist.
import type { RuntimeAdapter } from '../adapters/adapter.js';
import type { ProfileHooks } from '../hooks.js';
import type { ResolvedProfileOptions } from '../profile-options.js';
import type { ModelInfo, Report, TrialResult, TrialSpec } from '../types.js';
import { runSpecIsolated } from './isolate.js';
import { failed, isRunWideError, runSpec, type TrialOutcome } from './run-spec.js';
import { Fp32Reference, VariantResolver } from './variants.js';

export interface SweepResult {
  trials: TrialResult[];
  /** The model as the runtime described it, when any trial opened it. */
  model?: ModelInfo;
}

export async function runSweep(
  adapter: RuntimeAdapter,
  specs: readonly TrialSpec[],
  options: ResolvedProfileOptions,
  hooks: ProfileHooks,
  snapshot: (sofar: SweepResult) => Promise<Report>,
): Promise<SweepResult> {
  const sofar: SweepResult = { trials: [] };
  const variants = new VariantResolver(options.model, options.variants, options.variantCacheDir ?? undefined);
  const reference = options.isolate ? null : new Fp32Reference(adapter, options.model);
  try {
    for (const [index, spec] of specs.entries()) {
      if (options.signal?.aborted) break;
      hooks.onTrialStart?.(spec, index, specs.length);
      const outcome = await runOne(adapter, spec, { variants, reference }, options, hooks);
      sofar.model ??= outcome.model;
      sofar.trials.push(outcome.result);
      if (hooks.onTrialEnd) hooks.onTrialEnd(outcome.result, await snapshot(sofar));
    }
  } finally {
    await reference?.close();
  }
  return sofar;
}

async function runOne(
  adapter: RuntimeAdapter,
  spec: TrialSpec,
  shared: { variants: VariantResolver; reference: Fp32Reference | null },
  options: ResolvedProfileOptions,
  hooks: ProfileHooks,
): Promise<TrialOutcome> {
  try {
    const unsupported = await adapter.precisionUnsupported?.(spec.device, spec.precision);
    if (unsupported) return { result: { status: 'skipped', spec, reason: unsupported } };
    const variant = await shared.variants.resolve(spec.precision);
    return options.isolate
      ? await runSpecIsolated(spec, variant, options, hooks)
      : await runSpec(adapter, spec, { variant, reference: shared.reference }, options, hooks);
  } catch (error) {
    if (isRunWideError(error, spec)) throw error;
    return { result: failed(spec, 'open', error) };
  }
}
