// A virtual ServingClock for the queue/batcher tests: time moves only when the test runs it, from
// timer to timer, with every promise settled in between — so a fake model with a known service
// time gives exact, repeatable schedules (no wall-clock anywhere).
import type { ServingClock, TimerHandle } from '../../src/serving/clock.js';
import type { BatchRunner } from '../../src/serving/batcher.js';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

export class VirtualClock implements ServingClock {
  private t = 0;
  private nextId = 0;
  private timers: Timer[] = [];

  now(): number {
    return this.t;
  }

  at(at: number, fn: () => void): TimerHandle {
    const timer = { id: this.nextId++, at, fn };
    this.timers.push(timer);
    return { id: timer.id };
  }

  cancel(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle.id);
  }

  /** Runs every timer due up to `until` (default: until none is left), in time order (ties: first set first). */
  async run(until = Infinity): Promise<void> {
    for (;;) {
      await settle();
      let next: Timer | undefined;
      for (const t of this.timers) if (t.at <= until && (next === undefined || t.at < next.at)) next = t;
      if (next === undefined) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    if (until !== Infinity) this.t = Math.max(this.t, until);
    await settle();
  }
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

/** A model with a known service time per batch (ms, from its item count); results echo the payloads. */
export function fakeRunner<P>(clock: VirtualClock, serviceMs: (items: number) => number, log?: { items: number; at: number }[]): BatchRunner<P, P> {
  return {
    run(payloads, counts) {
      const items = counts.reduce((a, b) => a + b, 0);
      log?.push({ items, at: clock.now() });
      return new Promise((resolve) => clock.at(clock.now() + serviceMs(items), () => resolve({ results: [...payloads] })));
    },
  };
}
