// The serving layer's clock on real time for the server: performance.now() and setTimeout, whose
// ~1 ms granularity bounds how exactly a --max-delay is kept (a measuring server, not a
// production one; docs/endpoints.md says so).
import type { ServingClock, TimerHandle } from '../serving/clock.js';

export function realtimeClock(): ServingClock {
  const timers = new Map<number, NodeJS.Timeout>();
  let next = 0;
  return {
    now: () => performance.now(),
    at(atMs, fn) {
      const id = next++;
      timers.set(id, setTimeout(() => {
        timers.delete(id);
        fn();
      }, Math.max(0, atMs - performance.now())));
      return { id };
    },
    cancel(handle: TimerHandle) {
      clearTimeout(timers.get(handle.id));
      timers.delete(handle.id);
    },
  };
}
