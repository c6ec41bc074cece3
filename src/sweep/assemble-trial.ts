// A trial result is built once, here, from its parts: the measurement, the utilisation while it
// ran, the variant and its accuracy against fp32, and the analysis after it. Each part is a value
// some function returned; none of them writes to another, so what a trial says can be traced to
// the one function that computed it. What is added after a trial was reported (paired speed-ups,
// measured after the whole sweep: sweep/speedups.ts) makes a new object from this one.
import type { Bottleneck } from '../model/bottleneck.js';
import type { UtilisationSummary } from '../model/samples.js';
import type { TrialOk, Warning } from '../types.js';

/** The timed trial (run-spec's measure()), before the evidence and analysis that follow it. */
export type TrialMeasurement = Omit<TrialOk, 'utilisation' | 'variant' | 'accuracy' | 'providers' | 'opProfile' | 'cost' | 'roofline' | 'bottleneck' | 'pairedSpeedUp' | 'repetitions'>;

/** A precision variant's part: where its file came from, its drift from fp32, and what they warn of. */
export interface VariantPart extends Readonly<Pick<TrialOk, 'variant' | 'accuracy'>> {
  readonly warnings: readonly Warning[];
}

/** What the analysis after the measurement found (sweep/analyse-trial.ts). */
export interface TrialAnalysis extends Readonly<Pick<TrialOk, 'providers' | 'opProfile' | 'cost' | 'roofline'>> {
  readonly bottleneck: Bottleneck;
  readonly warnings: readonly Warning[];
}

export interface TrialParts {
  readonly measurement: Readonly<TrialMeasurement>;
  /** Warnings about the inputs the trial ran on (guessed shapes): they come first, as they qualify every number. */
  readonly inputWarnings?: readonly Warning[];
  readonly utilisation?: UtilisationSummary | null;
  /** Absent for fp32, the reference itself. */
  readonly variant?: VariantPart | null;
  readonly analysis: TrialAnalysis;
}

export function assembleTrial({ measurement, inputWarnings = [], utilisation, variant, analysis }: TrialParts): TrialOk {
  const { warnings: analysisWarnings, ...analysed } = analysis;
  return {
    ...measurement,
    warnings: [...inputWarnings, ...measurement.warnings, ...(variant?.warnings ?? []), ...analysisWarnings],
    ...(utilisation && { utilisation }),
    ...(variant?.variant && { variant: variant.variant }),
    ...(variant?.accuracy && { accuracy: variant.accuracy }),
    ...analysed,
  };
}
