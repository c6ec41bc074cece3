// The dynamic batcher: requests wait in one FIFO; free instances take batches of up to maxBatch
// items from its head, under one of two documented policies (model/service.ts BatchingPolicy):
//
// - triton (Triton's dynamic_batching with max_queue_delay_microseconds, docs/user_guide/batcher.md):
//   a free instance takes a full batch at once; while a full batch cannot form it holds the
//   requests, but only until the OLDEST of them has waited maxDelay since it was queued; an
//   arrival that completes a full batch sends it at once. maxDelay 0 = "as large as possible,
//   no delay" (Triton's default).
// - timeout (TorchServe batch_size/max_batch_delay, Ray Serve max_batch_size/batch_wait_timeout_s):
//   a free instance picks the first queued request and opens a window; the batch goes when full
//   or when maxDelay has passed since that pick (Ray's wait_for_batch and TorchServe's
//   aggregator poll from the moment the batch loop takes its first request), whatever the
//   request's age — so under load a request can wait its queue time AND a full window. One
//   window is open at a time; the next free instance opens the next.
//
// Time is the injected ServingClock's. Each request's wait from enqueue to dispatch is split into
// `queue` (every instance was busy: the AllBusyClock's growth over the wait) and `batch` (an
// instance was free but the batcher held the request for a fuller batch). Pure scheduling over
// BatchRunners: no threads, no I/O here (serving/instances.ts runs batches on model sessions).
import type { BatchingPolicy } from '../model/service.js';
import type { ServingClock, TimerHandle } from './clock.js';
import { AllBusyClock, RequestQueue, type QueuedRequest } from './queue.js';

/** Per-batch stage times an instance may report (ms), e.g. measured inside its worker thread. */
export interface BatchStagesMs {
  preprocess: number;
  inference: number;
  postprocess: number;
}

export interface BatchOutcome<R> {
  /** One result per request of the batch, in order. */
  results: R[];
  stagesMs?: BatchStagesMs;
}

/** Something that runs one batch at a time: a model instance, a fake with a known service time, a remote endpoint. */
export interface BatchRunner<P, R> {
  /** `counts`: each request's items along the batch dim (their sum is the model batch). */
  run(payloads: readonly P[], counts: readonly number[]): Promise<BatchOutcome<R>>;
}

export interface CompletedBatch<P, R, T> {
  instance: number;
  requests: QueuedRequest<P, T>[];
  /** Per request: ms held by the batcher while an instance was free (the rest of its wait was queue). */
  batchWaitMs: number[];
  /** Sum of the requests' items: the model batch that ran. */
  items: number;
  dispatchedAt: number;
  /** When the instance's result was back and the instance free again: dispatch → here is its service time. */
  completedAt: number;
  outcome: BatchOutcome<R>;
}

export interface BatcherOptions<P, R, T> {
  policy: BatchingPolicy;
  /** Largest batch in items (≥ 1); 1 = no batching. */
  maxBatch: number;
  maxDelayMs: number;
  /** Waiting requests allowed; a submit beyond it is refused (the caller counts the drop). null = unbounded. */
  queueLimit: number | null;
  runners: readonly BatchRunner<P, R>[];
  clock: ServingClock;
  onDone(batch: CompletedBatch<P, R, T>): void;
  /** A runner failed: its batch's requests did not complete. */
  onError(error: unknown, requests: QueuedRequest<P, T>[]): void;
}

export class Batcher<P, R, T> {
  private readonly queue = new RequestQueue<P, T>();
  private readonly allBusy: AllBusyClock;
  private readonly free: number[];
  private timer: { handle: TimerHandle; at: number } | null = null;
  /** timeout policy: when the open window started (a free instance picked its first request). */
  private windowStart: number | null = null;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: BatcherOptions<P, R, T>) {
    if (!(options.maxBatch >= 1)) throw new RangeError(`maxBatch must be ≥ 1, got ${options.maxBatch}`);
    if (!(options.maxDelayMs >= 0)) throw new RangeError(`maxDelayMs must be ≥ 0, got ${options.maxDelayMs}`);
    if (options.runners.length === 0) throw new RangeError('at least one runner');
    this.allBusy = new AllBusyClock(options.runners.length);
    this.free = options.runners.map((_, i) => i);
  }

  /** Requests waiting for dispatch. */
  get depth(): number {
    return this.queue.length;
  }

  /** Batches running on instances now. */
  get running(): number {
    return this.inFlight;
  }

  /** Queues a request; false when the bounded queue is full (dropped: the caller counts it). */
  submit(payload: P, items: number, tag: T): boolean {
    const { queueLimit, maxBatch, clock } = this.options;
    if (items > maxBatch) throw new RangeError(`a request of ${items} items cannot fit a max batch of ${maxBatch}`);
    if (queueLimit !== null && this.queue.length >= queueLimit) return false;
    const now = clock.now();
    this.queue.push({ payload, items, tag, enqueuedAt: now, allBusyAtEnqueue: this.allBusy.total(now) });
    this.pump();
    return true;
  }

  /** Removes every waiting request (they are not served) and returns them; running batches go on. */
  abandon(): QueuedRequest<P, T>[] {
    this.disarm();
    this.windowStart = null;
    const abandoned = this.queue.clear();
    this.notifyIdle();
    return abandoned;
  }

  /** Resolves when nothing waits and nothing runs. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    const { policy, maxBatch, maxDelayMs, clock } = this.options;
    while (this.free.length > 0 && this.queue.length > 0) {
      const now = clock.now();
      const full = this.queue.items >= maxBatch;
      let due: number;
      if (policy === 'triton') {
        due = this.queue.peek()!.enqueuedAt + maxDelayMs;
      } else {
        this.windowStart ??= now;
        due = this.windowStart + maxDelayMs;
      }
      if (!full && now < due) {
        this.arm(due);
        return;
      }
      this.windowStart = null;
      this.dispatch(now);
    }
    this.disarm();
  }

  private dispatch(now: number): void {
    const { maxBatch } = this.options;
    const requests: QueuedRequest<P, T>[] = [];
    let items = 0;
    for (let next = this.queue.peek(); next !== undefined && (requests.length === 0 || items + next.items <= maxBatch); next = this.queue.peek()) {
      requests.push(this.queue.shift()!);
      items += next.items;
    }
    const allBusyNow = this.allBusy.total(now);
    const batchWaitMs = requests.map((r) => Math.max(0, now - r.enqueuedAt - (allBusyNow - r.allBusyAtEnqueue)));
    const instance = this.free.shift()!;
    this.allBusy.acquire(now);
    this.inFlight++;
    const runner = this.options.runners[instance]!;
    const finish = (): number => {
      const completedAt = this.options.clock.now();
      this.allBusy.release(completedAt);
      this.free.push(instance);
      this.inFlight--;
      return completedAt;
    };
    runner.run(requests.map((r) => r.payload), requests.map((r) => r.items)).then(
      (outcome) => {
        const completedAt = finish();
        this.options.onDone({ instance, requests, batchWaitMs, items, dispatchedAt: now, completedAt, outcome });
        this.settle();
      },
      (error: unknown) => {
        finish();
        this.options.onError(error, requests);
        this.settle();
      },
    );
  }

  private settle(): void {
    this.pump();
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.queue.length === 0 && this.inFlight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private arm(at: number): void {
    if (this.timer?.at === at) return;
    this.disarm();
    const handle = this.options.clock.at(at, () => {
      this.timer = null;
      this.pump();
    });
    this.timer = { handle, at };
  }

  private disarm(): void {
    if (this.timer) this.options.clock.cancel(this.timer.handle);
    this.timer = null;
  }
}
