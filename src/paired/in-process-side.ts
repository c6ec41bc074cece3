// A side of a paired run that lives in this process: a trial driver (synthetic feeds or a data
// pipeline over an open session) whose blocks record into the side's own recorder.
import { elapsedNs, now } from '../measure/clock.js';
import { StageRecorder } from '../measure/recorder.js';
import { harnessCostUs, timeFirstIteration, warmUp } from '../measure/run-trial.js';
import type { TrialDriver } from '../measure/timed-loop.js';
import type { PairedSide } from './paired-loop.js';

export function inProcessSide(driver: TrialDriver): PairedSide {
  const recorder = new StageRecorder(null, driver.hasLoad);
  return {
    recorder,
    first: () => timeFirstIteration(driver),
    warmup: (bound, signal) => warmUp(driver, { warmup: bound, signal }),
    harnessCostUs: () => harnessCostUs(driver),
    async block(k) {
      const stop = (n: number): 'iterations' | null => (n >= k ? 'iterations' : null);
      const start = now();
      await driver.loop(recorder, { stop });
      return elapsedNs(start, now());
    },
  };
}
