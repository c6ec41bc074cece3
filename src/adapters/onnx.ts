// ONNX Runtime adapter (onnxruntime-node), loaded lazily so that `--help` and report-only commands
// never pay for the native binding.
import { cleanOrtMessage, ortHint } from './ort-message.js';
import { basename } from 'node:path';
import { InferbenchError, messageOf } from '../errors.js';
import { DEFAULT_OUTPUT_HANDLING, type ElementType, type ModelInfo, type OutputHandling } from '../types.js';
import type { DeviceStatus, HostTensor, RuntimeAdapter, Session, SessionOptions } from './adapter.js';
import { readOnnxFile } from './onnx-model.js';
import { probeProvider } from './onnx-probe.js';
import { loadedOrtVersion, loadOrt, toTensorSpec, type Ort } from './ort.js';

type OrtTensor = import('onnxruntime-node').Tensor;
type OrtSession = import('onnxruntime-node').InferenceSession;

/** inferbench device names → ONNX Runtime execution provider names. */
const PROVIDER_FOR_DEVICE: Record<string, string> = {
  cpu: 'cpu',
  cuda: 'cuda',
  tensorrt: 'tensorrt',
  webgpu: 'webgpu',
  dml: 'dml',
  coreml: 'coreml',
};


export const onnxAdapter: RuntimeAdapter = {
  runtime: 'onnxruntime',
  knownDevices: Object.keys(PROVIDER_FOR_DEVICE),

  version(): string {
    return loadedOrtVersion() ?? 'not loaded';
  },

  accepts(path: string): boolean {
    return path.toLowerCase().endsWith('.onnx') || path.toLowerCase().endsWith('.ort');
  },

  async devices(): Promise<DeviceStatus[]> {
    const ort = await loadOrt();
    const version = ort.env.versions.node ?? 'unknown';
    const backends = ort.listSupportedBackends();
    return backends.map(({ name, bundled }) => ({
      device: name,
      available: bundled || name === 'cpu',
      detail: bundled
        ? `onnxruntime-node ${version}: ${name} execution provider is in the installed binary`
        : `onnxruntime-node ${version} was installed without the ${name} provider; reinstall with ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node`,
    }));
  },

  async probe(device: string): Promise<DeviceStatus> {
    const listed = (await onnxAdapter.devices()).find((d) => d.device === device);
    if (!listed?.available || device === 'cpu') return listed ?? { device, available: false, detail: 'not an onnxruntime execution provider' };
    const result = await probeProvider(await loadOrt(), PROVIDER_FOR_DEVICE[device] ?? device);
    return { device, available: result.ok, detail: result.ok ? listed.detail : `in the installed binary, but cannot run here: ${result.detail}` };
  },

  async profileOps(path, spec, inputs, iterations) {
    const { profileOnnxOps } = await import('./onnx-op-profile.js');
    return profileOnnxOps(path, { buildFeeds: () => [...inputs], iterations, device: PROVIDER_FOR_DEVICE[spec.device] ?? spec.device, threads: spec.threads, graphOptimization: spec.graphOptimization });
  },

  async open(path: string, options: SessionOptions): Promise<Session> {
    const provider = PROVIDER_FOR_DEVICE[options.device];
    if (!provider) {
      throw new InferbenchError('device-unavailable', `unknown device '${options.device}'`, `use one of: ${Object.keys(PROVIDER_FOR_DEVICE).join(', ')} (inferbench devices lists what this machine can run)`);
    }
    const [ort, file] = await Promise.all([loadOrt(), readOnnxFile(path)]);
    const status = await onnxAdapter.probe!(options.device);
    if (!status?.available) {
      throw new InferbenchError('device-unavailable', `device ${options.device} unavailable: ${status?.detail ?? 'not supported by this onnxruntime-node build'}`, 'run `inferbench devices` to see what this machine can run');
    }
    let session: OrtSession;
    try {
      session = await ort.InferenceSession.create(file.bytes, {
        executionProviders: [provider],
        graphOptimizationLevel: options.graphOptimization,
        // Errors reach the user through our own messages; ORT's log would print them twice.
        logSeverityLevel: 4,
        ...(options.intraOpThreads !== null && { intraOpNumThreads: options.intraOpThreads }),
        ...(options.interOpThreads !== null && { interOpNumThreads: options.interOpThreads, executionMode: 'parallel' as const }),
      });
    } catch (error) {
      const message = cleanOrtMessage(messageOf(error));
      throw new InferbenchError('model-invalid', `onnxruntime cannot load ${path}: ${message}`, ortHint(message) ?? `check the model with onnx.checker, or whether its opset/operators are supported by onnxruntime ${ort.env.versions.node ?? ''}`.trim());
    }
    const info: ModelInfo = {
      path,
      format: 'onnx',
      sizeBytes: file.sizeBytes,
      sha256: file.sha256,
      inputs: session.inputMetadata.map(toTensorSpec),
      outputs: session.outputMetadata.map(toTensorSpec),
      irVersion: file.irVersion,
      opsets: file.opsets,
      producer: file.producer,
      nodeCount: file.nodeCount,
    };
    return new OnnxSession(ort, session, info, `onnxruntime-node ${ort.env.versions.node} (${provider})`, options.outputs ?? DEFAULT_OUTPUT_HANDLING);
  },
};

/**
 * One session; `outputs` decides what happens to each request's outputs (docs/large-outputs.md):
 *   drop     read them and keep no reference: freed whenever V8 collects them (a server's pattern)
 *   dispose  also call tensor.dispose(): on CPU it only drops the tensor's own reference, so
 *            the buffer dies young (measured: more page faults than drop on large outputs)
 *   reuse    keep the previous request's outputs alive until the next request's arrive
 *   fetches  pass preallocated output tensors to run(); onnxruntime-node 1.30 writes into them
 *            but still returns fresh copies (measured: result.data is not the fetch's buffer)
 */
class OnnxSession implements Session {
  /** reuse: the previous request's outputs; fetches: the preallocated output tensors. */
  private kept: Record<string, OrtTensor> | null = null;
  private lastInputs: readonly HostTensor[] | null = null;
  private lastFeeds: Record<string, OrtTensor> | null = null;
  private lastWrapped: ReadonlyArray<readonly [string, HostTensor['data'], number[]]> = [];

  constructor(
    private readonly ort: Ort,
    private readonly session: OrtSession,
    readonly info: ModelInfo,
    readonly backend: string,
    readonly outputs: OutputHandling,
  ) {}

  /**
   * The same host tensors (synthetic inputs: one array every request) give the same feeds: ORT
   * wraps the data without copying and never writes to inputs, so rebuilding them only adds
   * garbage to each request. New tensors, or the same ones given new data or dims (a pipeline's
   * preprocess), are wrapped anew.
   */
  prepare(inputs: readonly HostTensor[]): Record<string, OrtTensor> {
    if (this.lastFeeds && this.sameAsLast(inputs)) return this.lastFeeds;
    const feeds: Record<string, OrtTensor> = {};
    for (const input of inputs) {
      feeds[input.name] = new this.ort.Tensor(input.type as 'float32', input.data as Float32Array, input.dims);
    }
    this.lastInputs = inputs;
    this.lastWrapped = inputs.map(({ name, data, dims }) => [name, data, dims] as const);
    this.lastFeeds = feeds;
    return feeds;
  }

  private sameAsLast(inputs: readonly HostTensor[]): boolean {
    if (inputs !== this.lastInputs || inputs.length !== this.lastWrapped.length) return false;
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      const [name, data, dims] = this.lastWrapped[i]!;
      if (input.name !== name || input.data !== data || input.dims !== dims) return false;
    }
    return true;
  }

  run(feeds: unknown): Promise<unknown> {
    if (this.outputs === 'fetches' && this.kept && this.kept !== NO_FETCHES) return this.session.run(feeds as Record<string, OrtTensor>, this.kept);
    return this.session.run(feeds as Record<string, OrtTensor>);
  }

  collect(outputs: unknown): HostTensor[] {
    const tensors = outputs as Record<string, OrtTensor>;
    const result: HostTensor[] = [];
    for (const name in tensors) {
      const tensor = tensors[name]!;
      // CPU outputs are already host memory; `data` would throw for GPU-resident tensors, which
      // this adapter never requests (no preferredOutputLocation), so the read is the real cost.
      result.push({ name, type: tensor.type as ElementType, dims: [...tensor.dims], data: tensor.data as Float32Array });
    }
    this.handle(tensors);
    return result;
  }

  consume(outputs: unknown): void {
    const tensors = outputs as Record<string, OrtTensor>;
    for (const name in tensors) void tensors[name]!.data;
    this.handle(tensors);
  }

  /** The output handling, once the outputs are read. */
  private handle(tensors: Record<string, OrtTensor>): void {
    if (this.outputs === 'dispose') for (const name in tensors) tensors[name]!.dispose();
    else if (this.outputs === 'reuse') this.kept = tensors;
    else if (this.outputs === 'fetches' && !this.kept) this.kept = preallocated(this.ort, tensors) ?? NO_FETCHES;
  }

  close(): Promise<void> {
    this.kept = null;
    this.lastInputs = this.lastFeeds = null;
    return this.session.release();
  }
}

/** fetches: the model has an output with no fixed-size buffer (strings), so ORT allocates them all. */
const NO_FETCHES: Record<string, OrtTensor> = {};

/** Output tensors of the same types and shapes as `like`, for run()'s fetches (first request's shapes). */
function preallocated(ort: Ort, like: Record<string, OrtTensor>): Record<string, OrtTensor> | null {
  const fetches: Record<string, OrtTensor> = {};
  for (const name in like) {
    const tensor = like[name]!;
    if (tensor.type === 'string') return null;
    const data = tensor.data as Float32Array;
    const Ctor = data.constructor as new (length: number) => Float32Array;
    fetches[name] = new ort.Tensor(tensor.type as 'float32', new Ctor(data.length), tensor.dims);
  }
  return fetches;
}

export function firstLine(message: string): string {
  return cleanOrtMessage(message);
}

export function modelLabel(path: string): string {
  return basename(path);
}
