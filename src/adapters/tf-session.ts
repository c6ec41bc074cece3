// The TensorFlow.js Session: one timed stage per method, like the ONNX adapter's.
//   prepare  host data → tf tensors (tf.tensor copies into the backend: wasm heap, libtensorflow)
//   run      predict/execute AND await data() on every output: the read-back is part of
//            inference, so an asynchronous backend is timed for the work it really did
//   collect  the already-read typed arrays become HostTensors; inputs and outputs are disposed
//            (tfjs frees tensor memory only on dispose, so --outputs drop and dispose are the
//            same here; --outputs reuse keeps the previous request's outputs until the next)
// Intermediate tensors are freed by tfjs itself (layers predict runs in tidy, the graph executor
// disposes what it no longer needs); `tensorLeak()` checks that the count returns to baseline.
import type { ElementType, ModelInfo, TensorSpec } from '../types.js';
import type { HostTensor, Session, TypedArray } from './adapter.js';
import type { Tf } from './tf-backend.js';

type Tensor = import('@tensorflow/tfjs-core').Tensor;
type NamedTensorMap = import('@tensorflow/tfjs-core').NamedTensorMap;
type DataType = import('@tensorflow/tfjs-core').DataType;
type TensorData = TypedArray | Uint8Array[];

/** A loaded model behind one calling convention: tensors in the order of `inputs`. */
export interface TfRunner {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Runs the model; returns outputs in the order of `outputs` (a promise only when it must). */
  execute(feeds: Tensor[]): Tensor[] | Promise<Tensor[]>;
  dispose(): void;
}

export interface TfOutputs {
  inputs: Tensor[];
  outputs: Tensor[];
  data: TensorData[];
}

/** tf.memory() now against right after the model loaded (weights and constants). */
export interface TensorLeak {
  /** Live tensors after loading. */
  baseline: number;
  current: number;
  /** current − baseline: > 0 means tensors outlived their iteration. */
  leaked: number;
  /** Bytes held by live tensors now minus after loading (tf.memory().numBytes). */
  leakedBytes: number;
}

/** Bytes per element as tf.memory().numBytes counts them (tfjs util.bytesPerElement; strings vary). */
const BYTES_PER_ELEMENT_OF: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, complex64: 8, string: 0 };

export class TfSession implements Session {
  private readonly baseline: { numTensors: number; numBytes: number };
  private readonly order: Map<string, number>;
  private kept: Tensor[] = [];

  constructor(
    readonly tf: Tf,
    private readonly runner: TfRunner,
    readonly info: ModelInfo,
    readonly backend: string,
    /** The tfjs backend that runs ('wasm', 'tfjs-cpu', 'tensorflow', 'cuda'): the op profile's provider. */
    readonly backendKind: string = tf.getBackend(),
    /** --outputs reuse: keep the previous request's output tensors alive until the next arrive. */
    private readonly reuse = false,
  ) {
    const { numTensors, numBytes } = tf.memory();
    this.baseline = { numTensors, numBytes };
    this.order = new Map(runner.inputs.map((spec, i) => [spec.name, i]));
  }

  prepare(inputs: readonly HostTensor[]): Tensor[] {
    const feeds = new Array<Tensor>(inputs.length);
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      const tensor = this.tf.tensor(input.data as Float32Array, input.dims, tfDtype(input.type));
      feeds[this.order.get(input.name) ?? i] = tensor;
    }
    return feeds;
  }

  async run(feeds: unknown): Promise<TfOutputs> {
    const inputs = feeds as Tensor[];
    let outputs: Tensor[];
    try {
      const result = this.runner.execute(inputs);
      outputs = result instanceof Promise ? await result : result;
    } catch (error) {
      this.tf.dispose(inputs);
      throw error;
    }
    const data = new Array<TensorData>(outputs.length);
    for (let i = 0; i < outputs.length; i++) data[i] = (await outputs[i]!.data()) as TensorData;
    return { inputs, outputs, data };
  }

  collect(result: unknown): HostTensor[] {
    const { inputs, outputs, data } = result as TfOutputs;
    const host: HostTensor[] = [];
    for (let i = 0; i < outputs.length; i++) {
      const tensor = outputs[i]!;
      host.push({
        name: this.runner.outputs[i]?.name ?? `output_${i}`,
        type: elementType(tensor.dtype),
        dims: tensor.shape,
        data: hostData(data[i]!),
      });
    }
    this.tf.dispose(inputs);
    if (this.reuse) {
      this.tf.dispose(this.kept);
      this.kept = outputs;
    } else {
      this.tf.dispose(outputs);
    }
    return host;
  }

  /** Live tensors now vs after loading; call between iterations (after collect). */
  tensorLeak(): TensorLeak {
    const { numTensors: live, numBytes: liveBytes } = this.tf.memory();
    // Outputs kept on purpose (--outputs reuse) are not a leak.
    const numTensors = live - this.kept.length;
    const numBytes = liveBytes - this.kept.reduce((sum, t) => sum + t.size * (BYTES_PER_ELEMENT_OF[t.dtype] ?? 4), 0);
    return { baseline: this.baseline.numTensors, current: numTensors, leaked: numTensors - this.baseline.numTensors, leakedBytes: numBytes - this.baseline.numBytes };
  }

  /** After a run: tensors that outlived their iteration (tf.memory() against after loading), or null. */
  resourceLeak(): string | null {
    const { leaked, current, leakedBytes } = this.tensorLeak();
    if (leaked <= 0) return null;
    return `${leaked} tfjs tensors (${leakedBytes} bytes) outlived their iterations (${current} live, ${this.baseline.numTensors} after loading): memory grows over the run — dispose what the model or pipeline keeps (tf.tidy, tf.dispose)`;
  }

  close(): Promise<void> {
    this.tf.dispose(this.kept);
    this.kept = [];
    this.runner.dispose();
    return Promise.resolve();
  }
}

function tfDtype(type: ElementType): DataType {
  if (type === 'int32' || type === 'bool' || type === 'string') return type;
  return 'float32';
}

function elementType(dtype: DataType): ElementType {
  return dtype === 'int32' || dtype === 'bool' || dtype === 'string' ? dtype : 'float32';
}

/** tfjs returns string tensors as byte arrays; HostTensor wants strings. */
function hostData(data: TensorData): TypedArray | string[] {
  if (Array.isArray(data)) {
    const decoder = new TextDecoder();
    return data.map((bytes) => decoder.decode(bytes));
  }
  return data;
}

/** Flattens predict/execute results (one tensor, a list, or a name → tensor map) in `names` order. */
export function outputList(result: Tensor | Tensor[] | NamedTensorMap, names: readonly string[]): Tensor[] {
  if (Array.isArray(result)) return result;
  if (isTensor(result)) return [result];
  return names.map((name) => {
    const tensor = result[name];
    if (!tensor) throw new Error(`the model returned no output '${name}' (got ${Object.keys(result).join(', ')})`);
    return tensor;
  });
}

function isTensor(value: unknown): value is Tensor {
  return typeof value === 'object' && value !== null && 'dataId' in value && 'shape' in value;
}

/**
 * Tensor count after `iterations` prepare/run/collect rounds, against the count after loading.
 * Run it outside the timed loop (e.g. after a trial) and report `leaked > 0`.
 */
export async function checkTensorLeak(session: TfSession, inputs: readonly HostTensor[], iterations: number): Promise<TensorLeak> {
  for (let i = 0; i < iterations; i++) session.collect(await session.run(session.prepare(inputs)));
  return session.tensorLeak();
}
