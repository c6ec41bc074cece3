// The two micro-benchmarks behind a machine calibration, run through the same runtime and
// execution provider as the trials (onnxruntime-node), on models built in memory with onnx-proto.
// Feeding 64 MiB tensors from JS times the binding's copies, not the kernel (measured on the
// 2-core VM: a host-fed Add moved 4.8 GB/s, the same Add on resident data 34 GB/s), and on a GPU
// it would time the host→device copy. So the big operand lives in the model as an initializer
// (uploaded, and for MatMul pre-packed, once at session creation, as a real model's weights are)
// and the timed run takes one scalar in and hands one scalar out. A chain of K kernels makes the launch and the 4-byte
// transfers negligible against the work; the scalar input keeps ORT from constant-folding it.
//   compute:   A0 = W·s, A(i+1) = A(i) × W (MatMul n×n), out = ReduceMax(A(K)); K·2n³ FLOPs
//   bandwidth: A0 = V·s, A(i+1) = A(i) + V (Add, STREAM's kernel), out = ReduceMax(A(K));
//              bytes = (2 + 3K + 1) × |V| (Mul reads V and writes A0; each Add reads two, writes
//              one; ReduceMax reads one), the write-allocate read not counted, as in STREAM.
// Best run of `repeats`, as STREAM does. The result is checked against its closed form (a max,
// not a sum: a float32 sum of millions of elements drifts by a percent), so a provider that
// silently skips work cannot report an impossible peak.
import onnxProto from 'onnx-proto';
import { loadOrt } from '../adapters/ort.js';
import { elapsedNs, now } from '../measure/clock.js';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const BYTES_PER_FLOAT = 4;

export interface KernelOptions {
  /** ONNX Runtime execution provider name: 'cpu', 'cuda', 'webgpu', ... */
  provider: string;
  /** Kernels chained in one run. */
  chain: number;
  /** Intra-op threads; null = ORT's default (one per physical core). */
  threads: number | null;
  /** Timed runs; the best one counts. One untimed, checked run comes first (uploads, pre-packing). */
  repeats: number;
}

export interface KernelResult {
  /** Best run, seconds. */
  bestSeconds: number;
  /** Work per run: FLOPs for the MatMul chain, bytes for the Add chain. */
  work: number;
}

function scalarInfo(name: string, dims: number[]) {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } };
}

/** `op` applied `chain` times to the initializer `c` (filled with `fill`), reduced to a scalar. */
export function chainModel(op: 'MatMul' | 'Add', dims: number[], fill: number, chain: number): Uint8Array {
  const elements = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(elements).fill(fill);
  const node = [{ name: 'scale', opType: 'Mul', input: ['c', 's'], output: ['a0'] }];
  for (let i = 0; i < chain; i++) node.push({ name: `${op}${i}`, opType: op, input: [`a${i}`, 'c'], output: [`a${i + 1}`] });
  node.push({ name: 'reduce', opType: 'ReduceMax', input: [`a${chain}`], output: ['y'], attribute: [{ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 }] } as never);
  const model = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'inferbench-calibrate',
    graph: {
      name: `calibrate-${op.toLowerCase()}-chain`,
      node,
      initializer: [{ name: 'c', dims, dataType: FLOAT, rawData: new Uint8Array(data.buffer) }],
      input: [scalarInfo('s', [1])],
      output: [scalarInfo('y', [])],
    },
  };
  const error = onnx.ModelProto.verify(model);
  if (error) throw new Error(`calibration model: ${error}`);
  return onnx.ModelProto.encode(model).finish();
}

async function bestRun(model: Uint8Array, expected: number, options: KernelOptions): Promise<number> {
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(model, {
    executionProviders: [options.provider],
    graphOptimizationLevel: 'basic',
    logSeverityLevel: 4,
    ...(options.threads !== null && { intraOpNumThreads: options.threads }),
  });
  try {
    const feeds = { s: new ort.Tensor('float32', new Float32Array([1]), [1]) };
    const first = (await session.run(feeds)).y;
    const got = first ? Number((first.data as Float32Array)[0]) : NaN;
    if (!(Math.abs(got - expected) <= Math.abs(expected) * 1e-3)) {
      throw new Error(`calibration kernel on ${options.provider} computed ${got}, expected ${expected}: the provider did not run the work`);
    }
    let best = Infinity;
    for (let i = 0; i < options.repeats; i++) {
      const start = now();
      const out = await session.run(feeds);
      best = Math.min(best, elapsedNs(start, now()) / 1e9);
      out.y?.dispose();
    }
    return best;
  } finally {
    await session.release();
  }
}

/** K chained n×n MatMuls with W = 1/n everywhere: every element of every A(i) is 1/n. */
export async function matMulKernel(n: number, options: KernelOptions): Promise<KernelResult> {
  const bestSeconds = await bestRun(chainModel('MatMul', [n, n], 1 / n, options.chain), 1 / n, options);
  return { bestSeconds, work: options.chain * 2 * n ** 3 };
}

/** K chained Adds of V = 0.5: A(K) = 0.5·(K+1) everywhere, exactly in float32. */
export async function addKernel(vectorBytes: number, options: KernelOptions): Promise<KernelResult> {
  const elements = Math.floor(vectorBytes / BYTES_PER_FLOAT);
  const expected = 0.5 * (options.chain + 1);
  const bestSeconds = await bestRun(chainModel('Add', [elements], 0.5, options.chain), expected, options);
  return { bestSeconds, work: (3 * options.chain + 3) * elements * BYTES_PER_FLOAT };
}
