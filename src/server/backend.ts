// What `inferbench serve` runs requests on: the serving layer's queue and dynamic batcher
// (serving/batcher.ts) over model instances in worker threads (serving/instances.ts), so the
// event loop that parses HTTP and gRPC never waits on onnxruntime (measure/load-worker.ts says
// why: session.run holds its thread). Keeps the statistics extension's counters as it goes.
import { resolveAdapter } from '../adapters/resolve.js';
import type { SessionOptions } from '../adapters/adapter.js';
import { batchDimOf } from '../inputs/shapes.js';
import type { BatchingPolicy } from '../model/service.js';
import type { HostTensor, ModelInfo } from '../model/spec.js';
import { emptyModelStats, type V2ModelStats } from '../protocols/kserve-v2/stats.js';
import { ProtocolError } from '../protocols/protocol-error.js';
import { Batcher, type CompletedBatch } from '../serving/batcher.js';
import { WorkerInstance } from '../serving/instances.js';
import { realtimeClock } from './realtime-clock.js';

export interface BackendOptions {
  model: string;
  session: SessionOptions;
  /** Model instances (worker threads, one batch at a time each). */
  instances: number;
  /** Largest batch in items; 1 = no batching (each request runs alone, whatever its batch). */
  maxBatch: number;
  maxDelayMs: number;
  batching: BatchingPolicy;
  /** Requests allowed to wait; beyond it a request is refused with 503. null = unbounded. */
  queueLimit: number | null;
}

/** A request's answer and where its time went on the server (ms). */
export interface Served {
  outputs: HostTensor[];
  queueMs: number;
  computeInputMs: number;
  computeInferMs: number;
  computeOutputMs: number;
}

interface Waiter {
  resolve(served: Served): void;
  reject(error: Error): void;
}

export class ServingBackend {
  readonly stats: V2ModelStats;
  private readonly batchAxes: Map<string, number | null>;

  private constructor(
    readonly info: ModelInfo,
    readonly backend: string,
    private readonly options: BackendOptions,
    private readonly instances: WorkerInstance[],
    private readonly batcher: Batcher<HostTensor[], HostTensor[], Waiter>,
    name: string,
    version: string,
  ) {
    this.stats = emptyModelStats(name, version);
    this.batchAxes = new Map(info.inputs.map((s) => [s.name, batchDimOf(s)]));
  }

  /** Opens the model once here for its metadata, then the instances; fails as the adapter does. */
  static async open(options: BackendOptions, name: string, version: string): Promise<ServingBackend> {
    const adapter = await resolveAdapter(options.model);
    const probe = await adapter.open(options.model, options.session);
    const info = probe.info;
    await probe.close();
    const batchAxes = new Map(info.inputs.map((s) => [s.name, batchDimOf(s)]));
    const instances = Array.from({ length: options.instances }, (_, i) => new WorkerInstance(i, { model: options.model, session: options.session, batchAxes }));
    let backend: string;
    try {
      backend = (await Promise.all(instances.map((i) => i.ready)))[0]!.backend;
    } catch (error) {
      await Promise.all(instances.map((i) => i.close()));
      throw error;
    }
    let self: ServingBackend | undefined;
    const batcher = new Batcher<HostTensor[], HostTensor[], Waiter>({
      policy: options.batching,
      maxBatch: options.maxBatch,
      maxDelayMs: options.maxDelayMs,
      queueLimit: options.queueLimit,
      runners: instances,
      clock: realtimeClock(),
      onDone: (batch) => self!.done(batch),
      onError: (error, requests) => {
        const failure = new ProtocolError(500, `the model failed: ${error instanceof Error ? error.message : String(error)}`);
        for (const r of requests) r.tag.reject(failure);
      },
    });
    self = new ServingBackend(info, backend, options, instances, batcher, name, version);
    return self;
  }

  /** Items a request carries along the batch dim (what a batch is counted in). */
  private itemsOf(inputs: readonly HostTensor[]): number {
    for (const input of inputs) {
      const axis = this.batchAxes.get(input.name);
      if (axis !== null && axis !== undefined) return input.dims[axis] ?? 1;
    }
    return 1;
  }

  infer(inputs: HostTensor[]): Promise<Served> {
    // Batching off: every request alone, as one "item", whatever batch it carries.
    const items = this.options.maxBatch === 1 ? 1 : this.itemsOf(inputs);
    if (items > this.options.maxBatch) return Promise.reject(new ProtocolError(400, `the request carries a batch of ${items}, more than this server's --max-batch ${this.options.maxBatch}`));
    if (items < 1) return Promise.reject(new ProtocolError(400, 'the request carries an empty batch'));
    return new Promise<Served>((resolve, reject) => {
      if (!this.batcher.submit(inputs, items, { resolve, reject })) reject(new ProtocolError(503, `the queue is full (--queue-limit ${this.options.queueLimit}): try again later`));
    });
  }

  private done(batch: CompletedBatch<HostTensor[], HostTensor[], Waiter>): void {
    const stages = batch.outcome.stagesMs ?? { preprocess: 0, inference: 0, postprocess: 0 };
    this.stats.execution_count++;
    this.stats.inference_count += batch.items;
    this.stats.last_inference = Date.now();
    const size = batch.requests.length;
    let row = this.stats.batch_stats.find((b) => b.batch_size === batch.items);
    if (!row) {
      row = { batch_size: batch.items, compute_input: { count: 0, ns: 0 }, compute_infer: { count: 0, ns: 0 }, compute_output: { count: 0, ns: 0 } };
      this.stats.batch_stats.push(row);
      this.stats.batch_stats.sort((a, b) => a.batch_size - b.batch_size);
    }
    add(row.compute_input, stages.preprocess);
    add(row.compute_infer, stages.inference);
    add(row.compute_output, stages.postprocess);
    batch.requests.forEach((request, i) => {
      const outputs = batch.outcome.results[i];
      if (!outputs) {
        request.tag.reject(new ProtocolError(500, `the batch of ${size} returned no outputs for request ${i + 1}`));
        return;
      }
      request.tag.resolve({
        outputs,
        queueMs: batch.dispatchedAt - request.enqueuedAt,
        computeInputMs: stages.preprocess,
        computeInferMs: stages.inference,
        computeOutputMs: stages.postprocess,
      });
    });
  }

  /** Counts one answered request in the statistics extension (its server-side times). */
  record(served: Served | null, totalMs: number): void {
    const s = this.stats.inference_stats;
    if (!served) {
      add(s.fail, totalMs);
      return;
    }
    add(s.success, totalMs);
    add(s.queue, served.queueMs);
    add(s.compute_input, served.computeInputMs);
    add(s.compute_infer, served.computeInferMs);
    add(s.compute_output, served.computeOutputMs);
  }

  /** Waits for queued and running requests, then stops the instances. */
  async close(): Promise<void> {
    await this.batcher.idle();
    await Promise.all(this.instances.map((i) => i.close()));
  }
}

function add(duration: { count: number; ns: number }, ms: number): void {
  duration.count++;
  duration.ns += Math.round(ms * 1e6);
}
