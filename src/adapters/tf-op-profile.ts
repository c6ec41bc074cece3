// The per-operator profile of a TensorFlow.js model (`--op-profile`), from tf.profile(), in the
// same OpProfile shape as ONNX Runtime's profiler gives (model/op-profile.ts), so the report's
// operator tables, FLOP count and roofline work for both runtimes.
//
// What tf.profile() records (tfjs-core engine.ts, `profiler.profileKernel`): one entry per kernel
// run with its name, input/output shapes (no dtypes) and `kernelTimeMs` from backend.time() — wall
// time on wasm and the pure-JS cpu backend (they compute synchronously), the TF runtime's time on
// tfjs-node. Ops built with customGrad (fusedConv2d, fusedMatMul) also appear as `<op>__op`
// entries that wrap their kernel: they are left out, or the kernel's time would count twice.
//
// A TF graph has no node names here, so a "node" is the n-th run of a kernel within one inference
// (`FusedConv2D_1` is the second FusedConv2D): stable across runs of the same model. Its op type is
// the ONNX operator that does the same work (FusedConv2D → FusedConv, Mean → ReduceMean), with the
// filter shape turned from HWIO to ONNX's OIHW, so analyze/flops.ts counts TF kernels with the same
// formulas as ONNX nodes; a kernel without an ONNX twin keeps its TF name (FLOPs unknown, bytes
// counted). Tensors are counted as float32: tfjs computes these kernels in float32.
import { aggregateByOpType } from './op-table.js';
import type { NodeProfile, OpProfile, TensorShape } from '../types.js';
import type { HostTensor } from './adapter.js';
import type { TfSession } from './tf-session.js';

/** TF kernel → the ONNX operator that does the same work, for analyze/flops.ts's formulas. */
const ONNX_OP: Readonly<Record<string, string>> = {
  FusedConv2D: 'FusedConv', Conv2D: 'Conv', FusedDepthwiseConv2D: 'FusedConv', DepthwiseConv2dNative: 'Conv',
  BatchMatMul: 'MatMul', _FusedMatMul: 'FusedMatMul', MatMul: 'MatMul',
  MaxPool: 'MaxPool', AvgPool: 'AveragePool',
  Mean: 'ReduceMean', Sum: 'ReduceSum', Max: 'ReduceMax', Min: 'ReduceMin', Prod: 'ReduceProd',
  Add: 'Add', AddV2: 'Add', BiasAdd: 'Add', AddN: 'Sum', Sub: 'Sub', Multiply: 'Mul', Mul: 'Mul', RealDiv: 'Div',
  Maximum: 'Max', Minimum: 'Min', Pow: 'Pow', Neg: 'Neg', Abs: 'Abs', Sqrt: 'Sqrt', Exp: 'Exp', Log: 'Log',
  Erf: 'Erf', Tanh: 'Tanh', Sigmoid: 'Sigmoid', Relu: 'Relu', Relu6: 'Clip', ClipByValue: 'Clip',
  LeakyRelu: 'LeakyRelu', Prelu: 'PRelu', Elu: 'Elu', Selu: 'Selu', Softplus: 'Softplus', Floor: 'Floor',
  Ceil: 'Ceil', Round: 'Round', Sign: 'Sign', Sin: 'Sin', Cos: 'Cos', Equal: 'Equal', Less: 'Less',
  Greater: 'Greater', LessEqual: 'LessOrEqual', GreaterEqual: 'GreaterOrEqual', LogicalAnd: 'And',
  LogicalOr: 'Or', LogicalNot: 'Not', Select: 'Where', Softmax: 'Softmax', LogSoftmax: 'LogSoftmax',
  FusedBatchNorm: 'BatchNormalization',
  Reshape: 'Reshape', Transpose: 'Transpose', Identity: 'Identity', Cast: 'Cast', Concat: 'Concat',
  Pack: 'Concat', Unpack: 'Split', SplitV: 'Split', Slice: 'Slice', StridedSlice: 'Slice', GatherV2: 'Gather',
  GatherNd: 'GatherND', PadV2: 'Pad', MirrorPad: 'Pad', Tile: 'Tile', Squeeze: 'Squeeze',
  ExpandDims: 'Unsqueeze', Fill: 'ConstantOfShape', Range: 'Range', DepthToSpace: 'DepthToSpace',
  SpaceToDepth: 'SpaceToDepth',
};
/** Convolution kernels whose input 1 is the filter: HWIO [kh, kw, in, out] (depthwise: [kh, kw, in, multiplier]). */
const DEPTHWISE = new Set(['FusedDepthwiseConv2D', 'DepthwiseConv2dNative']);
const CONV = new Set(['FusedConv2D', 'Conv2D', ...DEPTHWISE]);
/** tf.profile records no dtypes; tfjs computes these kernels in float32. */
const DTYPE = 'float32';

/** One kernel run as tf.profile() records it (tfjs's KernelInfo, the fields used here). */
export interface TfKernelRecord {
  name: string;
  inputShapes: readonly (readonly number[] | null | undefined)[];
  outputShapes: readonly (readonly number[] | null | undefined)[];
  kernelTimeMs: number | { error: string } | Promise<number | { error: string }>;
}

/** One profiled inference: its kernels and the wall time of the run (including read-back). */
export interface TfProfiledRun {
  kernels: readonly TfKernelRecord[];
  runUs: number;
}

/** Runs `warmupRuns` unprofiled, then `iterations` inferences each under tf.profile(). Outside any timing. */
export async function profileRuns(session: TfSession, inputs: readonly HostTensor[], iterations: number, warmupRuns = 1): Promise<TfProfiledRun[]> {
  if (!(Number.isInteger(iterations) && iterations >= 1)) throw new RangeError(`iterations must be an integer ≥ 1, got ${iterations}`);
  for (let i = 0; i < warmupRuns; i++) session.collect(await session.run(session.prepare(inputs)));
  const runs: TfProfiledRun[] = [];
  for (let i = 0; i < iterations; i++) {
    const feeds = session.prepare(inputs);
    let outputs: unknown;
    let runUs = 0;
    const info = await session.tf.profile(async () => {
      const t0 = performance.now();
      outputs = await session.run(feeds);
      runUs = (performance.now() - t0) * 1000;
    });
    session.collect(outputs);
    const kernels: TfKernelRecord[] = [];
    for (const k of info.kernels) kernels.push({ ...k, kernelTimeMs: await k.kernelTimeMs });
    runs.push({ kernels, runUs });
  }
  return runs;
}

/** Profiled runs → the per-operator table. `provider` names the backend that ran (e.g. 'wasm'). */
export function tfOpProfile(runs: readonly TfProfiledRun[], provider: string): OpProfile {
  const nodes = new Map<string, Omit<NodeProfile, 'meanUs' | 'shareOfInference'>>();
  let kernelUs = 0;
  let inferenceUs = 0;
  for (const run of runs) {
    inferenceUs += run.runUs;
    const seen = new Map<string, number>();
    for (const kernel of run.kernels) {
      if (kernel.name.endsWith('__op')) continue; // customGrad wrapper around the real kernel
      const occurrence = seen.get(kernel.name) ?? 0;
      seen.set(kernel.name, occurrence + 1);
      const node = `${kernel.name}_${occurrence}`;
      const us = typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs * 1000 : 0;
      kernelUs += us;
      const entry = nodes.get(node);
      if (entry) {
        entry.count += 1;
        entry.totalUs += us;
      } else {
        nodes.set(node, { node, opType: ONNX_OP[kernel.name] ?? kernel.name, provider, count: 1, totalUs: us, ...onnxShapes(kernel) });
      }
    }
  }
  const share = (us: number): number => (inferenceUs > 0 ? us / inferenceUs : 0);
  const list: NodeProfile[] = [...nodes.values()]
    .map((n) => ({ ...n, meanUs: n.totalUs / n.count, shareOfInference: share(n.totalUs) }))
    .sort((a, b) => b.totalUs - a.totalUs);
  return { runs: runs.length, inferenceUs, kernelUs, nodes: list, byOpType: aggregateByOpType(list, share), nodesPerProvider: list.length > 0 ? { [provider]: list.length } : {} };
}

/** Shapes as TensorShapes; a convolution's filter in ONNX's [out, in/group, kh, kw] order. */
function onnxShapes(kernel: TfKernelRecord): { inputs: TensorShape[]; outputs: TensorShape[] } {
  const shape = (dims: readonly number[]): TensorShape => ({ type: DTYPE, dims: [...dims] });
  const inputs = kernel.inputShapes.map((dims, i) => {
    if (!dims) return null;
    if (i !== 1 || !CONV.has(kernel.name) || dims.length !== 4) return shape(dims);
    const [kh, kw, cin, cout] = dims as [number, number, number, number];
    return shape(DEPTHWISE.has(kernel.name) ? [cin * cout, 1, kh, kw] : [cout, cin, kh, kw]);
  });
  return { inputs: inputs.filter((t): t is TensorShape => t !== null), outputs: kernel.outputShapes.filter((d): d is readonly number[] => !!d).map(shape) };
}

