// The core's only channel to a UI: callbacks, all optional, never awaited.
import type { TrialPhase } from './measure/run-trial.js';
import type { Report, TrialResult, TrialSpec } from './types.js';

/**
 * 'op-profile': the per-operator pass after the measurement; 'calibrate': measuring the device's
 * roofline peaks, reported only when no cached calibration exists (the first run on a machine).
 */
export type HookPhase = 'open' | 'cold-start' | TrialPhase | 'op-profile' | 'calibrate';

export interface ProfileHooks {
  onPlan?(trials: readonly TrialSpec[]): void;
  onTrialStart?(spec: TrialSpec, index: number, total: number): void;
  /** Progress inside a trial, at most every 100 ms, outside the timed region. */
  onPhase?(spec: TrialSpec, phase: HookPhase, iterations: number, elapsedMs: number): void;
  /** A trial's speed-up is being measured paired with the baseline trial (after the sweep). */
  onSpeedUpStart?(spec: TrialSpec, baseline: TrialSpec, index: number, total: number): void;
  /** `partial` is the report so far, for callers that persist results as they arrive. */
  onTrialEnd?(result: TrialResult, partial: Report): void;
}
