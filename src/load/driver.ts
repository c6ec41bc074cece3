// The open-loop sender: sends request i at start + schedule[i] on the monotonic clock, whatever
// the model is doing (arrivals never wait on responses: no coordinated omission), and measures
// its own lateness (actual − intended send) for every request. Each send is armed as an absolute
// deadline on the PreciseTimer (sleep, then poll the last SPIN_MS): a late wake-up sends every
// request already due at once, in order (like perf_analyzer, none is skipped), and never shifts
// the deadlines after it. Event-loop delay is monitored while it runs (perf_hooks).
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { ServingClock } from '../serving/clock.js';
import type { Schedule } from './arrivals.js';

/** Time from arming to the first arrival, so the first send is not late by the set-up itself (ms). */
export const DRIVER_LEAD_MS = 5;
/** monitorEventLoopDelay's sampling resolution (ms). */
const LOOP_DELAY_RESOLUTION_MS = 10;

export interface DriverRun {
  /** Clock time of schedule offset 0. */
  startedAt: number;
  /** Requests sent so far. */
  sent(): number;
  /** Stops sending (what was sent stays sent). */
  stop(): void;
  /** Resolves when every request was sent, or after stop(). */
  finished: Promise<void>;
  /** Event-loop delay p99 over the run so far, ms. */
  eventLoopDelayP99Ms(): number;
}

/**
 * Starts sending. `send(i, intendedAt, sentAt)` is called for each request in order, on time or
 * as soon after as the event loop allows; times are clock ms.
 */
export function startDriver(clock: ServingClock, schedule: Schedule, send: (i: number, intendedAt: number, sentAt: number) => void): DriverRun {
  const startedAt = clock.now() + DRIVER_LEAD_MS;
  const loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  loopDelay.enable();
  let next = 0;
  let stopped = false;
  let timer: ReturnType<ServingClock['at']> | null = null;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const end = (): void => {
    loopDelay.disable();
    finish();
  };
  const fire = (): void => {
    timer = null;
    if (stopped) return;
    const now = clock.now();
    // Everything due by now goes, in order; each send reads the clock it was really sent at.
    while (next < schedule.length && startedAt + schedule[next]! <= now) {
      const i = next++;
      send(i, startedAt + schedule[i]!, clock.now());
      if (stopped) return;
    }
    if (next < schedule.length) timer = clock.at(startedAt + schedule[next]!, fire);
    else end();
  };
  if (schedule.length === 0) end();
  else timer = clock.at(startedAt + schedule[0]!, fire);
  return {
    startedAt,
    sent: () => next,
    stop: () => {
      if (stopped) return;
      stopped = true;
      if (timer) clock.cancel(timer);
      end();
    },
    finished,
    // The histogram holds each interval of its RESOLUTION ms timer (≥ the resolution): the delay is the excess.
    eventLoopDelayP99Ms: () => (loopDelay.count > 0 ? Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_DELAY_RESOLUTION_MS) : 0),
  };
}
