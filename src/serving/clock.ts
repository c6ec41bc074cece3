// The serving layer's only contact with time: a clock in ms and one-shot timers. Injected, so
// the queue and batcher run on real time in a trial (load/precise-timer.ts, sub-ms wake-ups) and
// on a virtual clock in tests (a fake model with a known service time, no wall-clock asserts).

export interface ServingClock {
  /** Monotonic time, ms (fractional). */
  now(): number;
  /** Calls `fn` once at (or just after) `atMs` on this clock; returns a handle for cancel. */
  at(atMs: number, fn: () => void): TimerHandle;
  cancel(handle: TimerHandle): void;
}

export type TimerHandle = { readonly id: number };
