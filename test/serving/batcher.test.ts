import { describe, expect, it } from 'vitest';
import { arrivalSchedule } from '../../src/load/arrivals.js';
import { Batcher, type CompletedBatch } from '../../src/serving/batcher.js';
import type { BatchingPolicy } from '../../src/types.js';
import { fakeRunner, VirtualClock } from './virtual-clock.js';

interface Setup {
  policy?: BatchingPolicy;
  maxBatch?: number;
  maxDelayMs?: number;
  instances?: number;
  queueLimit?: number | null;
  serviceMs?: (items: number) => number;
}

function setup(s: Setup = {}) {
  const clock = new VirtualClock();
  const log: { items: number; at: number }[] = [];
  const done: CompletedBatch<number, number, number>[] = [];
  const batcher = new Batcher<number, number, number>({
    policy: s.policy ?? 'triton',
    maxBatch: s.maxBatch ?? 4,
    maxDelayMs: s.maxDelayMs ?? 2,
    queueLimit: s.queueLimit ?? null,
    runners: Array.from({ length: s.instances ?? 1 }, () => fakeRunner<number>(clock, s.serviceMs ?? (() => 10), log)),
    clock,
    onDone: (b) => done.push(b),
    onError: (e) => {
      throw e;
    },
  });
  const at = (ms: number, id: number, items = 1): void => {
    clock.at(ms, () => batcher.submit(id, items, id));
  };
  return { clock, log, done, batcher, at };
}

describe('Batcher, triton policy', () => {
  it('holds a partial batch until its oldest request has waited the max delay', async () => {
    const { clock, log, done, at } = setup({ maxDelayMs: 2 });
    at(0, 1);
    at(0.5, 2);
    at(1, 3);
    await clock.run();
    expect(log).toEqual([{ items: 3, at: 2 }]);
    expect(done[0]!.batchWaitMs).toEqual([2, 1.5, 1]); // an instance was free all along: batch wait, no queue
  });

  it('sends a full batch at once, and the outputs go back to their own requests', async () => {
    const { clock, log, done, at } = setup({ maxBatch: 4, maxDelayMs: 5 });
    for (let i = 0; i < 5; i++) at(0, i);
    await clock.run();
    expect(log[0]).toEqual({ items: 4, at: 0 });
    const first = done[0]!;
    expect(first.requests.map((r) => r.tag)).toEqual([0, 1, 2, 3]);
    expect(first.outcome.results).toEqual([0, 1, 2, 3]);
    // The fifth waited for the instance (busy 0..10), then it had waited past the delay: sent at 10 alone.
    expect(log[1]).toEqual({ items: 1, at: 10 });
    expect(done[1]!.batchWaitMs).toEqual([0]);
  });

  it('with delay 0 sends what is queued as soon as an instance is free', async () => {
    const { clock, log, at } = setup({ maxDelayMs: 0 });
    at(0, 1);
    at(1, 2);
    at(2, 3);
    await clock.run();
    expect(log).toEqual([{ items: 1, at: 0 }, { items: 2, at: 10 }]);
  });

  it('never splits a request: items count against the max batch', async () => {
    const { clock, log, at } = setup({ maxBatch: 4, maxDelayMs: 0 });
    at(0, 1, 3);
    at(0, 2, 3);
    await clock.run();
    expect(log).toEqual([{ items: 3, at: 0 }, { items: 3, at: 10 }]);
  });
});

describe('Batcher, timeout policy (TorchServe / Ray Serve)', () => {
  it('closes a batch max delay after the first request, or when full', async () => {
    const { clock, log, at } = setup({ policy: 'timeout', maxDelayMs: 2 });
    at(0, 1);
    at(1.5, 2);
    await clock.run();
    expect(log).toEqual([{ items: 2, at: 2 }]);
  });

  it('starts the window when a free instance picks the request, so an old request waits a window more (triton sends it at once)', async () => {
    const runs = async (policy: BatchingPolicy) => {
      const { clock, log, at } = setup({ policy, maxDelayMs: 2, maxBatch: 2 });
      at(0, 1);
      at(0, 2); // full: runs 0..10
      at(3, 3); // waits for the instance; by 10 it is 7 ms old
      await clock.run();
      return log[1]!.at;
    };
    expect(await runs('triton')).toBe(10);
    expect(await runs('timeout')).toBe(12);
  });
});

describe('Batcher, accounting', () => {
  it('counts a wait for a busy instance as queue and a hold by the batcher as batch', async () => {
    const { clock, done, at } = setup({ maxBatch: 1, maxDelayMs: 0, serviceMs: () => 10 });
    at(0, 1);
    at(4, 2); // instance busy until 10: 6 ms of queue, no batch wait
    await clock.run();
    expect(done[1]!.dispatchedAt - done[1]!.requests[0]!.enqueuedAt).toBe(6);
    expect(done[1]!.batchWaitMs).toEqual([0]);
  });

  it('refuses arrivals beyond the queue limit, and says so to the caller', async () => {
    const { clock, batcher } = setup({ maxBatch: 1, maxDelayMs: 0, queueLimit: 2 });
    const accepted: boolean[] = [];
    clock.at(0, () => {
      for (let i = 0; i < 5; i++) accepted.push(batcher.submit(i, 1, i));
    });
    await clock.run();
    // One dispatched at once, two wait, two refused.
    expect(accepted).toEqual([true, true, true, false, false]);
  });

  it('spreads batches over instances', async () => {
    const { clock, done, at } = setup({ instances: 2, maxBatch: 1, maxDelayMs: 0 });
    at(0, 1);
    at(0, 2);
    await clock.run();
    expect(done.map((b) => [b.instance, b.dispatchedAt])).toEqual([[0, 0], [1, 0]]);
  });

  it('abandon() takes the waiting requests out; idle() waits for the running batch', async () => {
    const { clock, batcher, done, at } = setup({ maxBatch: 1, maxDelayMs: 0 });
    for (let i = 0; i < 4; i++) at(0, i);
    await clock.run(1);
    expect(batcher.abandon().map((r) => r.tag)).toEqual([1, 2, 3]);
    const idle = batcher.idle();
    await clock.run();
    await idle;
    expect(done).toHaveLength(1);
  });
});

describe('Batcher as an M/D/1 queue', () => {
  it('mean wait of Poisson arrivals at ρ = 0.5 matches Pollaczek–Khinchine (ρS / 2(1−ρ))', async () => {
    const service = 10;
    const rate = 50; // per second: ρ = 50 × 0.010 = 0.5
    const { clock, done, batcher } = setup({ maxBatch: 1, maxDelayMs: 0, serviceMs: () => service });
    const schedule = arrivalSchedule({ kind: 'poisson', rate, seed: 7, count: 20_000 });
    // Each arrival sets the next one's timer, so the clock holds few timers at a time.
    const arrive = (i: number): void => {
      batcher.submit(i, 1, i);
      if (i + 1 < schedule.length) clock.at(schedule[i + 1]!, () => arrive(i + 1));
    };
    clock.at(schedule[0]!, () => arrive(0));
    await clock.run();
    let wait = 0;
    for (const b of done) wait += b.dispatchedAt - b.requests[0]!.enqueuedAt;
    const mean = wait / done.length;
    const rho = (rate * service) / 1000;
    const expected = (rho * service) / (2 * (1 - rho)); // 5 ms
    expect(done).toHaveLength(20_000);
    expect(Math.abs(mean - expected) / expected).toBeLessThan(0.1);
  }, 60_000);
});
