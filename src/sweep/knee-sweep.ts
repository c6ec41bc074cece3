// `--rate auto` in the sweep: each planned (closed-loop) configuration becomes a knee search on
// its open model (run-spec hands the session and inputs over as a ServiceBase). The trial at the
// knee is that configuration's trial — analysed like any other — and every other probe, the
// capacity found and the batching advice are kept here for the report.
import { InferbenchError } from '../errors.js';
import type { ResolvedProfileOptions } from '../profile-options.js';
import { kneeBudget, type KneeBudget } from '../load/knee-budget.js';
import type { BatchingAdvice, KneeSearch, ServingSettings, TrialResult } from '../types.js';
import type { TrialMeasurement } from './assemble-trial.js';
import { adviseBatching, searchKnee, type KneeEngine } from './knee-search.js';
import { serviceEngine, type ServiceBase, type ServicePhases } from './service-spec.js';

export class KneeRun {
  readonly knees: KneeSearch[] = [];
  advice: BatchingAdvice | undefined;
  private readonly probes: TrialResult[] = [];
  private readonly budget: KneeBudget;
  private readonly settings: Omit<ServingSettings, 'rate'>;

  constructor(private readonly options: ResolvedProfileOptions) {
    if (!options.service?.auto) throw new Error('KneeRun without --rate auto');
    // The probes share one rig per configuration in this process; an isolated child could not report them.
    if (options.isolate) throw new InferbenchError('usage', '--rate auto runs its probes in this process, so it does not take --isolate', 'drop --isolate');
    this.budget = kneeBudget(options.budgets);
    this.settings = options.service.settings;
  }

  /** The knee search (and with --advise-batching the advice) for one configuration; returns the trial at the knee. */
  readonly measure = async (base: ServiceBase, phases: ServicePhases): Promise<TrialMeasurement> => {
    const engine = serviceEngine(base) as unknown as KneeEngine & { trial: (...a: Parameters<KneeEngine['trial']>) => TrialMeasurement };
    const maxBatch = Math.max(this.settings.maxBatch, engine.itemsPerRequest);
    const run = { budget: this.budget, signal: phases.signal };
    phases.onPhaseStart?.('warmup');
    let trials: TrialResult[];
    let knees: KneeSearch[];
    if (this.options.service?.adviseBatching) {
      phases.onPhaseStart?.('measure');
      const advised = await adviseBatching(engine, { ...this.settings, maxBatch }, run);
      this.advice = advised.advice;
      knees = advised.knees;
      trials = advised.trials;
    } else {
      const rig = await engine.open(this.settings.instances, maxBatch);
      try {
        phases.onPhaseStart?.('measure');
        const searched = await searchKnee(engine, rig, { ...this.settings, maxBatch }, run);
        knees = [searched.knee];
        trials = searched.trials;
      } finally {
        await rig.close();
      }
    }
    this.knees.push(...knees);
    // With the advice: the best predicted setting's knee (replayed first).
    const main = atKnee(knees[0], trials);
    if (main === undefined) throw new Error('the knee search ran no probe');
    this.probes.push(...trials.filter((t) => t !== main));
    return main as TrialMeasurement;
  };

  /** Every probe but the knee trials (those are the sweep's own trials). */
  probeTrials(): TrialResult[] {
    return [...this.probes];
  }
}

/** The highest passing probe of the knee, else the last probe run. */
function atKnee(knee: KneeSearch | undefined, trials: readonly TrialResult[]): TrialResult | undefined {
  const id = knee?.kneeRate == null ? undefined : knee.probes.find((p) => p.rate === knee.kneeRate && p.verdict === 'pass')?.trialId;
  return trials.find((t) => t.spec.id === id) ?? trials.at(-1);
}
