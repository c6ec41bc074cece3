import { describe, expect, it } from 'vitest';
import { DRIVER_LEAD_MS, startDriver } from '../../src/load/driver.js';
import { PreciseTimer } from '../../src/load/precise-timer.js';
import type { ServingClock, TimerHandle } from '../../src/serving/clock.js';
import { VirtualClock } from '../serving/virtual-clock.js';

describe('startDriver', () => {
  it('sends each request at start + its offset, on absolute deadlines', async () => {
    const clock = new VirtualClock();
    const sends: [number, number, number][] = [];
    const run = startDriver(clock, Float64Array.from([0, 2.5, 2.5, 10]), (i, at, sent) => sends.push([i, at, sent]));
    await clock.run();
    await run.finished;
    const t0 = DRIVER_LEAD_MS;
    expect(sends).toEqual([[0, t0, t0], [1, t0 + 2.5, t0 + 2.5], [2, t0 + 2.5, t0 + 2.5], [3, t0 + 10, t0 + 10]]);
    expect(run.sent()).toBe(4);
  });

  it('a late wake-up sends every request already due at once, and later deadlines do not shift', async () => {
    const inner = new VirtualClock();
    // A clock whose timers fire 3 ms late, like an event loop busy elsewhere.
    const late: ServingClock = { now: () => inner.now(), at: (t, fn): TimerHandle => inner.at(t + 3, fn), cancel: (h) => inner.cancel(h) };
    const sends: [number, number, number][] = [];
    startDriver(late, Float64Array.from([0, 1, 2, 20]), (i, at, sent) => sends.push([i, at - DRIVER_LEAD_MS, sent - DRIVER_LEAD_MS]));
    await inner.run();
    expect(sends).toEqual([[0, 0, 3], [1, 1, 3], [2, 2, 3], [3, 20, 23]]);
  });

  it('stop() ends sending', async () => {
    const clock = new VirtualClock();
    let n = 0;
    const run = startDriver(clock, Float64Array.from([0, 5, 10]), () => n++);
    await clock.run(DRIVER_LEAD_MS + 6);
    run.stop();
    await clock.run();
    await run.finished;
    expect(n).toBe(2);
  });
});

describe('PreciseTimer', () => {
  it('runs timers in deadline order and skips cancelled ones', async () => {
    const timer = new PreciseTimer();
    const order: string[] = [];
    const now = timer.now();
    await new Promise<void>((resolve) => {
      timer.at(now + 4, () => order.push('c'));
      const b = timer.at(now + 3, () => order.push('cancelled'));
      timer.at(now + 2, () => order.push('b'));
      timer.at(now + 1, () => order.push('a'));
      timer.cancel(b);
      timer.at(now + 5, () => resolve());
    });
    expect(order).toEqual(['a', 'b', 'c']);
  });
});
