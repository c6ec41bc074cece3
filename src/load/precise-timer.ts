// Sub-millisecond wake-ups on Node's event loop, for the arrival driver and the batcher's delay.
//
// Node's setTimeout wakes at whole milliseconds and late (≥ 1 ms granularity, plus whatever the
// loop was doing), and chaining `setTimeout(gap)` adds each wake's lateness to every later send —
// the drift wrk2 and LoadGen avoid by scheduling on absolute times. Here every timer is an
// ABSOLUTE deadline on performance.now(); one wake-up serves the earliest:
// - more than SPIN_MS away: a setTimeout for (deadline − SPIN_MS), so the coarse sleep ends early;
// - within SPIN_MS: setImmediate, re-checking the clock once per event-loop turn — a poll that
//   still lets I/O through (the instances' results arrive as worker messages in the same loop),
//   at the cost of a busy main thread in the last SPIN_MS before each deadline (at rates above
//   ~1000/s, all the time: the generator then uses one core).
// Every due timer runs in deadline order, late ones at once (never skipped), and the caller
// measures the lateness it got.
import type { ServingClock, TimerHandle } from '../serving/clock.js';

/** How close to a deadline the timer stops sleeping and polls (ms): setTimeout's granularity. */
export const SPIN_MS = 1.5;

interface Entry {
  id: number;
  at: number;
  fn: () => void;
}

export class PreciseTimer implements ServingClock {
  private heap: Entry[] = [];
  private cancelled = new Set<number>();
  private nextId = 0;
  private sleeping: { handle: NodeJS.Timeout; until: number } | null = null;
  private polling = false;

  now(): number {
    return performance.now();
  }

  at(at: number, fn: () => void): TimerHandle {
    const entry = { id: this.nextId++, at, fn };
    this.push(entry);
    this.wake();
    return { id: entry.id };
  }

  cancel(handle: TimerHandle): void {
    this.cancelled.add(handle.id);
  }

  /** Cancels everything pending (the probe is over). */
  clear(): void {
    this.heap = [];
    this.cancelled.clear();
    if (this.sleeping) clearTimeout(this.sleeping.handle);
    this.sleeping = null;
  }

  private wake(): void {
    const next = this.peek();
    if (next === undefined || this.polling) return;
    const wait = next.at - performance.now() - SPIN_MS;
    if (wait <= 0) {
      if (this.sleeping) clearTimeout(this.sleeping.handle);
      this.sleeping = null;
      this.polling = true;
      setImmediate(this.poll);
      return;
    }
    if (this.sleeping && this.sleeping.until <= next.at) return;
    if (this.sleeping) clearTimeout(this.sleeping.handle);
    this.sleeping = { handle: setTimeout(this.onSleepEnd, wait), until: next.at };
  }

  private onSleepEnd = (): void => {
    this.sleeping = null;
    this.wake();
  };

  private poll = (): void => {
    this.polling = false;
    const now = performance.now();
    for (let next = this.peek(); next !== undefined && next.at <= now; next = this.peek()) {
      this.pop();
      next.fn();
    }
    this.wake();
  };

  /** The earliest live entry (cancelled ones are dropped here). */
  private peek(): Entry | undefined {
    while (this.heap.length > 0 && this.cancelled.has(this.heap[0]!.id)) {
      this.cancelled.delete(this.heap[0]!.id);
      this.pop();
    }
    return this.heap[0];
  }

  private push(entry: Entry): void {
    const h = this.heap;
    h.push(entry);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

/** Deadline order; equal deadlines in the order they were set. */
function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.id < b.id);
}
