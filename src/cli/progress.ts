// Sweep progress on stderr: "[k/N] trial" lines, a live status line with a bar for the current
// phase and the sweep's estimated time left; per-trial summaries with --verbose.
import type { ProfileHooks } from '../hooks.js';
import type { ProfileOptions } from '../profile-options.js';
import { formatMs } from '../report/format.js';
import { renderPlan } from '../report/plan.js';
import type { PhaseBound, TrialResult, TrialSpec } from '../types.js';
import { bar, type Terminal } from './terminal.js';

export interface SweepProgress extends Required<Pick<ProfileHooks, 'onPlan' | 'onTrialStart' | 'onPhase' | 'onSpeedUpStart'>> {
  onTrialEnd(result: TrialResult): void;
}

export function sweepProgress(terminal: Terminal, options: ProfileOptions): SweepProgress {
  const sweepStart = Date.now();
  let done = 0;
  let total = 0;
  let label = '';
  let trialStart = sweepStart;
  let announced = true;
  const announce = (id: string): void => {
    if (announced) return;
    announced = true;
    terminal.clearStatus();
    terminal.info(`${label} ${id}`);
  };
  return {
    onPlan(specs: readonly TrialSpec[]) {
      // A sweep shows what it is about to run (the same table as --dry-run); one trial needs no plan.
      if (specs.length > 1) for (const line of renderPlan(specs).trimEnd().split('\n')) terminal.info(line);
    },
    onSpeedUpStart(spec: TrialSpec, baseline: TrialSpec, index: number, count: number) {
      terminal.info(`[speed-up ${index + 1}/${count}] ${spec.id} vs ${baseline.id}, interleaved`);
    },
    onTrialStart(_spec: TrialSpec, index: number, count: number) {
      total = count;
      trialStart = Date.now();
      label = `[${index + 1}/${count}]`;
      // The header waits for the trial's own id: a planned 'batch=model' is 'batch=1' once the
      // model is open (the first phase after 'open' carries it), as in the tables and the JSON.
      announced = false;
    },
    onPhase(spec, phase, iterations, elapsedMs) {
      if (phase !== 'open') announce(spec.id);
      if (phase === 'calibrate') {
        // Seconds of work the user did not ask for by name: say what it is, and that it is once.
        terminal.clearStatus();
        terminal.info(`  calibrating ${spec.device} peaks for the roofline (first run on this machine, a few seconds; cached — \`inferbench calibrate --refresh\` redoes it, --no-op-profile skips it)`);
        return;
      }
      const bound = phase === 'measure' ? options.measure : phase === 'warmup' ? options.warmup : undefined;
      const fraction = phaseFraction(bound, iterations, elapsedMs);
      // Finished trials' mean duration × the trials not finished, less what the current one has run.
      const now = Date.now();
      const left = done > 0 ? Math.max(0, ((trialStart - sweepStart) / done) * (total - done) - (now - trialStart)) : null;
      const eta = left === null ? '' : `, sweep ~${formatMs(left)} left`;
      const shown = fraction === undefined ? '' : `${bar(fraction)} `;
      terminal.status(`${label} ${phase} ${shown}${iterations} it, ${formatMs(elapsedMs)}${eta}`);
    },
    onTrialEnd(result: TrialResult) {
      announce(result.spec.id);
      done++;
      terminal.clearStatus();
      terminal.debug(`  ${trialSummary(result)}`);
      // The message itself is in the report and in the closing error summary: once each is enough.
      if (result.status === 'failed') terminal.warn(`  failed during ${result.phase} (${result.error.code}); the sweep goes on`);
      if (result.status === 'skipped') terminal.info(`  skipped: ${result.reason}`);
    },
  };
}

function phaseFraction(bound: PhaseBound | undefined, iterations: number, elapsedMs: number): number | undefined {
  if (bound?.kind === 'count') return iterations / bound.iterations;
  if (bound?.kind === 'time') return elapsedMs / bound.ms;
  return undefined;
}

function trialSummary(result: TrialResult): string {
  if (result.status === 'ok') return `${result.spec.id}: inference p50 ${formatMs(result.stages.inference.p50Ms)} (${result.measure.iterations} iterations)`;
  if (result.status === 'failed') return `${result.spec.id}: failed in ${result.phase}`;
  return `${result.spec.id}: skipped`;
}
