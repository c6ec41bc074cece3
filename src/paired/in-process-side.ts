// A side of a paired run that lives in this process: a trial driver (synthetic feeds or a data
// pipeline over an open session) whose blocks record into the side's own recorder.
import { elapsedNs, now } from '../measure/clock.js';
import { StageRecorder } from '../measure/recorder.js';
import { harnessCostUs, timeFirstIteration, warmUp } from '../measure/run-trial.js';
import type { IterationSink, TrialDriver } from '../measure/timed-loop.js';
import type { PairedSide } from './paired-loop.js';

/** Where unrecorded iterations go: nowhere. */
const DISCARD: IterationSink = { record: () => undefined };

export interface InProcessSide extends PairedSide {
  /**
   * Runs the model, unrecorded, until `done()` (asked after each iteration, so at least once).
   * A side in a child process runs one before each block, after the wait for the parent's
   * request: there the first iteration of a block ran 1.3–2.7× its steady time (2026-12-02), a
   * cost per block that would shrink every ratio toward 1. In duet mode the side that ends its
   * block first keeps running until the other ends too.
   */
  unrecorded(done: () => boolean): Promise<void>;
}

/** `recorder`: where the blocks go (a later epoch's side records into the first one's). */
export function inProcessSide(driver: TrialDriver, recorder = new StageRecorder(null, driver.hasLoad)): InProcessSide {
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
    async unrecorded(done) {
      await driver.loop(DISCARD, { stop: () => (done() ? 'iterations' : null) });
    },
  };
}
