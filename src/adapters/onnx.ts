// ONNX Runtime adapter (onnxruntime-node), loaded lazily so that `--help` and report-only commands
// never pay for the native binding.
import { cleanOrtMessage, ortHint } from './ort-message.js';
import { basename } from 'node:path';
import { InferbenchError, messageOf } from '../errors.js';
import type { Dim, ElementType, ModelInfo, TensorSpec } from '../types.js';
import type { DeviceStatus, HostTensor, RuntimeAdapter, Session, SessionOptions } from './adapter.js';
import { readOnnxFile } from './onnx-model.js';
import { probeProvider } from './onnx-probe.js';

export type Ort = typeof import('onnxruntime-node');
type OrtTensor = import('onnxruntime-node').Tensor;
type OrtSession = import('onnxruntime-node').InferenceSession;

let ortModule: Promise<Ort> | undefined;
let ortVersion: string | undefined;
export function loadOrt(): Promise<Ort> {
  ortModule ??= import('onnxruntime-node').then((m) => {
    const ort = ((m as { default?: Ort }).default ?? m) as Ort;
    ortVersion = ort.env.versions.node ?? ort.env.versions.common;
    return ort;
  });
  return ortModule;
}

/** inferbench device names → ONNX Runtime execution provider names. */
const PROVIDER_FOR_DEVICE: Record<string, string> = {
  cpu: 'cpu',
  cuda: 'cuda',
  tensorrt: 'tensorrt',
  webgpu: 'webgpu',
  dml: 'dml',
  coreml: 'coreml',
};

const ONNX_TYPES = new Set<ElementType>([
  'float32', 'float16', 'float64', 'int8', 'uint8', 'int16', 'uint16',
  'int32', 'uint32', 'int64', 'uint64', 'bool', 'string',
]);

export const onnxAdapter: RuntimeAdapter = {
  runtime: 'onnxruntime',
  knownDevices: Object.keys(PROVIDER_FOR_DEVICE),

  version(): string {
    return ortVersion ?? 'not loaded';
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
    const { profileOnnxOps } = await import('../analyze/op-profile-run.js');
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
    return new OnnxSession(ort, session, info, `onnxruntime-node ${ort.env.versions.node} (${provider})`);
  },
};

function toTensorSpec(meta: import('onnxruntime-node').InferenceSession.ValueMetadata): TensorSpec {
  if (!meta.isTensor) {
    throw new InferbenchError('model-invalid', `input/output '${meta.name}' is not a tensor (sequences, maps and optionals are not supported)`, 'inferbench feeds and reads tensors only: export a variant of the model whose inputs and outputs are tensors (e.g. concatenate a sequence into one tensor)');
  }
  const type = meta.type as ElementType;
  if (!ONNX_TYPES.has(type)) {
    throw new InferbenchError('model-invalid', `tensor '${meta.name}' has element type ${meta.type}, which inferbench cannot feed`);
  }
  // ORT reports a symbolic dim as its name and an unnamed dynamic dim as '' (or -1).
  const shape: Dim[] = meta.shape.map((d) => (typeof d === 'number' ? (d < 0 ? null : d) : d === '' ? null : d));
  return { name: meta.name, type, shape };
}

class OnnxSession implements Session {
  constructor(
    private readonly ort: Ort,
    private readonly session: OrtSession,
    readonly info: ModelInfo,
    readonly backend: string,
  ) {}

  prepare(inputs: readonly HostTensor[]): Record<string, OrtTensor> {
    const feeds: Record<string, OrtTensor> = {};
    for (const input of inputs) {
      feeds[input.name] = new this.ort.Tensor(input.type as 'float32', input.data as Float32Array, input.dims);
    }
    return feeds;
  }

  run(feeds: unknown): Promise<unknown> {
    return this.session.run(feeds as Record<string, OrtTensor>);
  }

  collect(outputs: unknown): HostTensor[] {
    const result: HostTensor[] = [];
    for (const [name, tensor] of Object.entries(outputs as Record<string, OrtTensor>)) {
      // CPU outputs are already host memory; `data` would throw for GPU-resident tensors, which
      // this adapter never requests (no preferredOutputLocation), so the read is the real cost.
      result.push({ name, type: tensor.type as ElementType, dims: [...tensor.dims], data: tensor.data as Float32Array });
      tensor.dispose();
    }
    return result;
  }

  close(): Promise<void> {
    return this.session.release();
  }
}

export function firstLine(message: string): string {
  return cleanOrtMessage(message);
}

export function modelLabel(path: string): string {
  return basename(path);
}
