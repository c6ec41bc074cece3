// A FIFO of waiting requests with O(1) push and shift (a growable ring), and the queue's clock of
// "every instance busy": the time split of a request's wait into queue and batch needs, at any
// moment, how long all instances have been busy so far (an integral that only grows).

/** One request inside the serving layer. `tag` is the caller's (an index, a response handle). */
export interface QueuedRequest<P, T> {
  payload: P;
  /** Items along the batch dim this request carries (≥ 1). */
  items: number;
  tag: T;
  /** When the request entered the queue, ms on the serving clock. */
  enqueuedAt: number;
  /** AllBusyClock.total() at enqueue. */
  allBusyAtEnqueue: number;
}

export class RequestQueue<P, T> {
  private ring: (QueuedRequest<P, T> | undefined)[] = new Array(64);
  private head = 0;
  private size = 0;
  /** Sum of `items` of the waiting requests. */
  items = 0;

  get length(): number {
    return this.size;
  }

  push(request: QueuedRequest<P, T>): void {
    if (this.size === this.ring.length) this.grow();
    this.ring[(this.head + this.size) % this.ring.length] = request;
    this.size++;
    this.items += request.items;
  }

  peek(): QueuedRequest<P, T> | undefined {
    return this.size === 0 ? undefined : this.ring[this.head];
  }

  shift(): QueuedRequest<P, T> | undefined {
    if (this.size === 0) return undefined;
    const request = this.ring[this.head]!;
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.ring.length;
    this.size--;
    this.items -= request.items;
    return request;
  }

  /** Removes and returns every waiting request (a probe ended early: they are counted, not served). */
  clear(): QueuedRequest<P, T>[] {
    const all: QueuedRequest<P, T>[] = [];
    for (let r = this.shift(); r !== undefined; r = this.shift()) all.push(r);
    return all;
  }

  private grow(): void {
    const bigger: (QueuedRequest<P, T> | undefined)[] = new Array(this.ring.length * 2);
    for (let i = 0; i < this.size; i++) bigger[i] = this.ring[(this.head + i) % this.ring.length];
    this.ring = bigger;
    this.head = 0;
  }
}

/** ∫ [all N instances busy] dt, ms: a request's queue wait is the growth of this over its wait. */
export class AllBusyClock {
  private busy = 0;
  private since = 0;
  private accumulated = 0;

  constructor(private readonly instances: number) {}

  total(now: number): number {
    return this.accumulated + (this.busy === this.instances ? now - this.since : 0);
  }

  acquire(now: number): void {
    this.busy++;
    if (this.busy === this.instances) this.since = now;
  }

  release(now: number): void {
    if (this.busy === this.instances) this.accumulated += now - this.since;
    this.busy--;
  }
}
