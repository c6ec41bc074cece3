// Plain data shared by every layer: tensors, models, trial configurations, units. JSON-serialisable;
// units live in the names (Ms, Us, Bytes). Like every file in model/, it imports nothing outside model/.
import type { ServingSettings } from './serving.js';

/** Microseconds. Stage histograms record integer microseconds. */
export type Micros = number;

/** `load` is reading input data (I/O); model loading is `modelLoadMs`, a different thing. */
export type Stage = 'load' | 'preprocess' | 'inference' | 'postprocess' | 'total';

/** The stages every iteration of the timing loop records, in order. */
export const TIMED_STAGES = ['preprocess', 'inference', 'postprocess', 'total'] as const;
export type TimedStage = (typeof TIMED_STAGES)[number];

/** ONNX tensor element types that ONNX Runtime's JS API accepts. */
export type ElementType =
  | 'float32'
  | 'float16'
  | 'float64'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool'
  | 'string';

/** A dimension: fixed size, a symbolic name ('batch'), or null for a dynamic dim with no name. */
export type Dim = number | string | null;

export interface TensorSpec {
  name: string;
  type: ElementType;
  shape: Dim[];
}

export interface ModelInfo {
  path: string;
  /** `remote`: an endpoint (a URL): `path` is its URL, sizeBytes 0, sha256 that of its metadata. */
  format: 'onnx' | 'tfjs-layers' | 'tfjs-graph' | 'saved-model' | 'remote';
  sizeBytes: number;
  sha256: string;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** From the ONNX ModelProto when readable. */
  irVersion?: number;
  opsets?: { domain: string; version: number }[];
  producer?: string;
  nodeCount?: number;
}

export type GraphOptimization = 'disabled' | 'basic' | 'extended' | 'all';
export const GRAPH_OPTIMIZATIONS: readonly GraphOptimization[] = ['disabled', 'basic', 'extended', 'all'];
/** int8 = dynamic quantization (weights int8, activations quantized at run time); int8-static = QDQ with calibrated activations. */
export type Precision = 'fp32' | 'fp16' | 'int8' | 'int8-static';
export const PRECISIONS: readonly Precision[] = ['fp32', 'fp16', 'int8', 'int8-static'];

/** One configuration to measure. The sweep issue grows the axes; the shape stays. */
export interface TrialSpec {
  id: string;
  model: string;
  precision: Precision;
  device: string;
  /** Value of the batch dim, when the model has one we could set. */
  batch: number | null;
  /** Intra-op threads; null = runtime default. */
  threads: number | null;
  interThreads: number | null;
  graphOptimization: GraphOptimization;
  /** Requests in flight at once, each stream on its own session in a worker thread; absent = 1. */
  concurrency?: number;
  /** What happens to each request's outputs (--outputs); absent = 'drop' (docs/large-outputs.md). */
  outputs?: OutputHandling;
  /** Open-loop service trial (--rate): arrivals, batcher and instances (model/service.ts); absent = closed loop. */
  service?: ServingSettings;
  /** A `--serve` trial: the protocol its requests went over (model/serving-overhead.ts SERVED_PROTOCOLS); absent = measured as planned. */
  served?: string;
}

/**
 * What the timing loop does with a request's outputs after reading them (--outputs):
 * `drop` keeps no reference (a server sending each response and moving on), `dispose` also calls
 * the runtime's dispose(), `reuse` keeps the previous request's outputs alive until the next
 * arrive (the `o = await session.run(feeds)` loop), `fetches` passes preallocated output tensors
 * to run(). What each costs: docs/large-outputs.md.
 */
export type OutputHandling = 'drop' | 'dispose' | 'reuse' | 'fetches';
export const OUTPUT_HANDLINGS: readonly OutputHandling[] = ['drop', 'dispose', 'reuse', 'fetches'];
export const DEFAULT_OUTPUT_HANDLING: OutputHandling = 'drop';

/** How the warm-up or measurement phase is bounded. `auto` adapts to the model's speed. */
export type PhaseBound =
  | { kind: 'auto' }
  | { kind: 'count'; iterations: number }
  | { kind: 'time'; ms: number };

export type StopReason =
  | 'iterations' // the requested -n was reached
  | 'duration' // the requested --duration elapsed
  | 'auto-target' // auto: enough samples for p99 and the minimum time elapsed
  | 'auto-time-budget' // auto: the time budget ran out before the sample target (slow model)
  | 'max-iterations' // hard safety cap
  | 'interrupted' // Ctrl-C
  | 'overloaded'; // a service probe ended early: the queue kept growing (load/overload.ts)

export type PercentileKey = 'p50' | 'p90' | 'p95' | 'p99' | 'p999';

/** How a percentile is written for people: "p99.9" for p999. */
export const PERCENTILE_LABEL: Record<PercentileKey, string> = { p50: 'p50', p90: 'p90', p95: 'p95', p99: 'p99', p999: 'p99.9' };


export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** A tensor in host memory, independent of any runtime. float16 is stored as raw Uint16 bits. */
export interface HostTensor {
  name: string;
  type: ElementType;
  dims: number[];
  data: TypedArray | string[];
}
