// The two micro-benchmarks behind a machine calibration, run through the same runtime as the
// trials (onnxruntime-node), on single-node ONNX models built in memory with onnx-proto:
//   - peak compute: MatMul of two n×n fp32 matrices, 2·n³ FLOPs per run;
//   - peak memory bandwidth: Add of two fp32 vectors into a third, STREAM's "Add" kernel
//     (McCalpin, STREAM benchmark): 3 × vector bytes per run (two reads, one write; the
//     write-allocate read is not counted, as STREAM does not count it).
// Both report the BEST run of `repeats`, as STREAM does ("best rate"): a peak is what the machine
// can do, and every disturbance only makes a run slower. The output tensor is pre-allocated and
// passed as a fetch so that ORT writes into it directly instead of copying a fresh 64 MiB result
// into a JS buffer, which would count a memcpy that is not the kernel's.
import onnxProto from 'onnx-proto';
import { loadOrt } from '../adapters/onnx.js';
import { elapsedNs, now } from '../measure/clock.js';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const BYTES_PER_FLOAT = 4;

export interface KernelOptions {
  /** Intra-op threads; null = ORT's default (one per physical core). */
  threads: number | null;
  /** Timed runs; the best one counts. One untimed run comes first (page faults, pre-packing). */
  repeats: number;
}

export interface KernelResult {
  /** Best run, seconds. */
  bestSeconds: number;
  /** Work per run: FLOPs for the MatMul, bytes for the Add. */
  work: number;
}

/** A one-node model: `opType(a, b) → y`, all fp32 with the given shapes. */
function oneNodeModel(opType: string, aDims: number[], bDims: number[], yDims: number[]): Uint8Array {
  const info = (name: string, dims: number[]) => ({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
  });
  const model = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'inferbench-calibrate',
    graph: {
      name: `calibrate-${opType.toLowerCase()}`,
      node: [{ name: opType, opType, input: ['a', 'b'], output: ['y'] }],
      input: [info('a', aDims), info('b', bDims)],
      output: [info('y', yDims)],
    },
  };
  const error = onnx.ModelProto.verify(model);
  if (error) throw new Error(`calibration model: ${error}`);
  return onnx.ModelProto.encode(model).finish();
}

async function bestRunSeconds(model: Uint8Array, dims: { a: number[]; b: number[]; y: number[] }, options: KernelOptions): Promise<number> {
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    ...(options.threads !== null && { intraOpNumThreads: options.threads }),
  });
  try {
    const tensor = (d: number[], value: number) => new ort.Tensor('float32', new Float32Array(count(d)).fill(value), d);
    // Non-zero, non-denormal values: some kernels take shortcuts on zeros.
    const feeds = { a: tensor(dims.a, 0.5), b: tensor(dims.b, 0.25) };
    const fetches = { y: tensor(dims.y, 0) };
    await session.run(feeds, fetches);
    let best = Infinity;
    for (let i = 0; i < options.repeats; i++) {
      const start = now();
      await session.run(feeds, fetches);
      best = Math.min(best, elapsedNs(start, now()) / 1e9);
    }
    return best;
  } finally {
    await session.release();
  }
}

function count(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** n×n · n×n fp32 MatMul: 2·n³ FLOPs. */
export async function matMulKernel(n: number, options: KernelOptions): Promise<KernelResult> {
  const dims = { a: [n, n], b: [n, n], y: [n, n] };
  const bestSeconds = await bestRunSeconds(oneNodeModel('MatMul', dims.a, dims.b, dims.y), dims, options);
  return { bestSeconds, work: 2 * n ** 3 };
}

/** Add of two fp32 vectors of `vectorBytes` each: 3 · vectorBytes moved per run. */
export async function addKernel(vectorBytes: number, options: KernelOptions): Promise<KernelResult> {
  const elements = Math.floor(vectorBytes / BYTES_PER_FLOAT);
  const dims = { a: [elements], b: [elements], y: [elements] };
  const bestSeconds = await bestRunSeconds(oneNodeModel('Add', dims.a, dims.b, dims.y), dims, options);
  return { bestSeconds, work: 3 * elements * BYTES_PER_FLOAT };
}
