// The runtime adapter interface: tiny on purpose (compare ONNX Runtime JS's `Backend`). Each
// timed stage of an iteration is one Session method, so the timing loop never knows the runtime.
import type { HostTensor, GraphOptimization, ModelInfo, OpProfile, OutputHandling, Precision, TrialSpec } from '../types.js';
import type { EndpointInfo, ServerStatsDelta } from '../model/trial.js';

/** Host tensors are plain data (model/spec.ts); re-exported here because every adapter speaks them. */
export type { HostTensor, TypedArray } from '../types.js';

export interface SessionOptions {
  device: string;
  intraOpThreads: number | null;
  interOpThreads: number | null;
  graphOptimization: GraphOptimization;
  /** What collect() does with each request's outputs (--outputs); absent = 'drop'. */
  outputs?: OutputHandling;
  /** How a remote target (a URL instead of a model file) is reached: adapters/remote.ts. */
  remote?: RemoteClientOptions;
}

/** The client side of a remote target (--encoding, --header, --token, --tls-ca, --insecure, --request-timeout). */
export interface RemoteClientOptions {
  /** Tensor encoding: KServe REST json|binary, TF Serving json (row form) | columnar; 'auto' = json, gRPC raw. */
  encoding: 'auto' | 'json' | 'binary' | 'columnar';
  /** Extra request headers (auth); never written to a report. */
  headers: Record<string, string>;
  /** A request that has not answered in this time fails the trial. */
  timeoutMs: number;
  /** PEM file of the CA that signed the server's certificate; null = the system's. */
  tlsCa: string | null;
  /** Accept any certificate (self-signed test servers). */
  insecure: boolean;
}

export interface DeviceStatus {
  device: string;
  available: boolean;
  /** Why it is unavailable, or what provides it. */
  detail: string;
}

/** Runtime-specific feed/output objects are opaque to the harness. */
export type Feeds = unknown;
export type Outputs = unknown;

export interface Session {
  readonly info: ModelInfo;
  /** What really ran, e.g. 'onnxruntime-node 1.30.0 (cpu)'. */
  readonly backend: string;
  /** Preprocess stage: turn host tensors into the runtime's feeds. */
  prepare(inputs: readonly HostTensor[]): Feeds;
  /** Inference stage: run the model; resolves when outputs are ready on the host. */
  run(feeds: Feeds): Promise<Outputs>;
  /** Postprocess stage: read outputs into host memory and release runtime resources. */
  collect(outputs: Outputs): HostTensor[];
  /**
   * The postprocess stage when nothing post-processes the outputs (synthetic inputs): what
   * collect() does to them, minus building HostTensors no one reads. Those objects are garbage
   * a server that sends its outputs would not make; on sub-millisecond requests with MiB outputs
   * they cost a few percent of the wall time in extra collections (docs/large-outputs.md).
   * Absent: the loop calls collect().
   */
  consume?(outputs: Outputs): void;
  close(): Promise<void>;
  /** After a run: a description of runtime resources that outlived their iterations, or null. */
  resourceLeak?(): string | null;
  /** A remote target: what the stages are and how tensors travel (adapters/remote.ts). */
  readonly endpoint?: EndpointInfo;
  /** A remote target with the statistics extension: a snapshot of the server's counters (null: none). */
  serverStats?(): Promise<unknown>;
  /** A remote target: the server's per-request averages between two snapshots, or null. */
  serverStatsDelta?(before: unknown, after: unknown): ServerStatsDelta | null;
}

export interface RuntimeAdapter {
  readonly runtime: string;
  /** Version of the runtime package, for the environment fingerprint. */
  version(): string;
  accepts(path: string): boolean;
  /** Every device name this runtime knows, installed or not; default: the names devices() lists. */
  readonly knownDevices?: readonly string[];
  /** What the installed packages provide: cheap, no device is touched. */
  devices(): Promise<DeviceStatus[]>;
  /** Whether a device listed as available really runs here (a tiny session on it); cached. */
  probe?(device: string): Promise<DeviceStatus>;
  /** Why this runtime cannot compute in a precision on a device, or null when it can. */
  precisionUnsupported?(device: string, precision: Precision): Promise<string | null>;
  /** Whether a device computes on the host CPU (classifier, roofline); default: device === 'cpu'. */
  onCpu?(device: string): boolean;
  /** Intra-op threads a device really computes with, given the requested count (null: the runtime decides). */
  computeThreads?(device: string, requested: number | null): Promise<number | null>;
  open(path: string, options: SessionOptions): Promise<Session>;
  /** A short profiled run (outside any timing) giving the per-operator table and provider of each node. */
  profileOps?(path: string, spec: TrialSpec, inputs: readonly HostTensor[], iterations: number): Promise<OpProfile>;
}
