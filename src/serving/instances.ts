// N model instances, each a session in its own worker thread (instance-worker.ts), as BatchRunners
// for the batcher. Threads: each instance's session gets its own intra-op pool of
// `session.intraOpThreads` threads (service trials default it to ⌊(cores − 1) ÷ instances⌋, at
// least 1: one core stays with the event loop that sends arrivals and runs the batcher), so N
// instances use N × threads compute threads plus the main thread; nothing is shared between
// instances but the cores.
import type { SessionOptions } from '../adapters/adapter.js';
import type { HostTensor } from '../model/spec.js';
import { startModuleWorker } from '../sample/worker-entry.js';
import type { BatchOutcome, BatchRunner } from './batcher.js';
import type { InstanceMessage, InstanceRequest, InstanceWorkerData } from './instance-protocol.js';

export interface InstanceOptions {
  model: string;
  session: SessionOptions;
  /** Input name → batch axis (null: none). */
  batchAxes: ReadonlyMap<string, number | null>;
}

type Pending = { resolve(outcome: BatchOutcome<HostTensor[]>): void; reject(error: Error): void };

/** A model instance in a worker thread; runs one batch at a time (the batcher's contract). */
export class WorkerInstance implements BatchRunner<HostTensor[], HostTensor[]> {
  private readonly worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  readonly ready: Promise<{ backend: string }>;
  private failure: Error | null = null;

  constructor(readonly index: number, options: InstanceOptions) {
    const data: InstanceWorkerData = { index, model: options.model, session: options.session, batchAxes: [...options.batchAxes] };
    this.worker = startModuleWorker(new URL('./instance-worker', import.meta.url), data);
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (message: InstanceMessage) => {
        if (message.type === 'ready') resolve({ backend: message.backend });
        else if (message.type === 'done') this.settle(message.id)?.resolve({ results: message.results, stagesMs: message.stagesMs });
        else if (message.id === null) reject(new Error(`instance ${index + 1}: ${message.message}`));
        else this.settle(message.id)?.reject(new Error(`instance ${index + 1}: ${message.message}`));
      });
      const fail = (error: Error): void => {
        this.failure = error;
        reject(error);
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
      };
      this.worker.on('error', (error) => fail(new Error(`instance ${index + 1} crashed: ${error.message}`)));
      this.worker.on('exit', (code) => fail(new Error(`instance ${index + 1} exited (code ${code})`)));
    });
    this.ready.catch(() => undefined);
  }

  run(payloads: readonly HostTensor[][], counts: readonly number[]): Promise<BatchOutcome<HostTensor[]>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'run', id, payloads: payloads as HostTensor[][], counts: [...counts] } satisfies InstanceRequest);
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    this.pending.delete(id);
    return p;
  }
}
