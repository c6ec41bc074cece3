// FLOPs and bytes moved per operator, from the op type and the tensor shapes ONNX Runtime's
// profiler records (no attributes are available there, so every formula works from shapes).
//
// Conventions (those of fvcore / ptflops-style analytic counters, made explicit):
// - a multiply-accumulate is 2 FLOPs; bias adds of Conv/Gemm are not counted (≤ 1/K of the work);
// - an elementwise op costs a fixed number of FLOPs per OUTPUT element (ELEMENTWISE_FLOPS below),
//   transcendental functions (exp, erf, tanh, sqrt) counting 1 each;
// - integer ops (ConvInteger, MatMulInteger, QLinear*) count their multiply-adds the same way;
// - bytes = every input and output tensor's size by element type, read or written once (the
//   roofline model's "compulsory traffic", Williams, Waterman & Patterson, CACM 2009). ORT
//   pre-packs constant MatMul/Gemm weights and then leaves them out of the recorded inputs: their
//   K×N bytes are added back, since a batch-1 run streams them from memory every time.
// An op type not listed gets flops = null (unknown) and its bytes still count.
import type { TensorShape } from '../types.js';

export interface OpCost {
  /** Floating-point (or integer) operations per execution; null when the op type is unknown. */
  flops: number | null;
  /** Bytes read and written per execution. */
  bytes: number;
}

/** Bytes per element for ORT's type names (DataTypeImpl) and ONNX/JS names alike. */
const ELEMENT_BYTES: Readonly<Record<string, number>> = {
  float: 4, float32: 4, double: 8, float64: 8, float16: 2, MLFloat16: 2, bfloat16: 2, BFloat16: 2,
  int8: 1, uint8: 1, bool: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8,
  Float8E4M3FN: 1, Float8E4M3FNUZ: 1, Float8E5M2: 1, Float8E5M2FNUZ: 1, int4: 0.5, uint4: 0.5,
};

/** Bytes of one element, or 0 for types with no fixed size (string). */
export function elementBytes(type: string): number {
  return ELEMENT_BYTES[type] ?? 0;
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((product, d) => product * d, 1);
}

export function tensorBytes(tensor: TensorShape): number {
  return elementCount(tensor.dims) * elementBytes(tensor.type);
}

/** FLOPs per output element of elementwise ops. Composite activations are spelled out. */
export const ELEMENTWISE_FLOPS: Readonly<Record<string, number>> = {
  Add: 1, Sub: 1, Mul: 1, Div: 1, Pow: 1, Max: 1, Min: 1, Mod: 1, Neg: 1, Abs: 1, Reciprocal: 1,
  Sqrt: 1, Exp: 1, Log: 1, Erf: 1, Tanh: 1, Sin: 1, Cos: 1, Floor: 1, Ceil: 1, Round: 1, Sign: 1,
  Relu: 1, Clip: 1, Where: 1, Equal: 1, Less: 1, Greater: 1, LessOrEqual: 1, GreaterOrEqual: 1,
  Not: 1, And: 1, Or: 1, Xor: 1, Sum: 1, Mean: 2, PRelu: 2, LeakyRelu: 2, Elu: 3, Selu: 4,
  HardSigmoid: 3, HardSwish: 4, Softplus: 2, Softsign: 3,
  /** 1 / (1 + exp(−x)): neg, exp, add, div. */
  Sigmoid: 4,
  /** x · sigmoid(x). */
  Silu: 5, Swish: 5, QuickGelu: 5,
  /** 0.5 · x · (1 + erf(x / √2)): div, erf, add, mul, mul. */
  Gelu: 5,
  /** Gelu plus the fused bias add (ORT contrib). */
  BiasGelu: 6,
  /** 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))): 3 for x³·c, add, mul, tanh, add, mul, mul. */
  FastGelu: 9,
  /** (x − zero_point) · scale and back: sub, mul (+ round/clip on quantise). */
  DequantizeLinear: 2, QuantizeLinear: 3,
};

/** FLOPs per element for normalisations and softmax (per output element). */
export const NORMALISATION_FLOPS: Readonly<Record<string, number>> = {
  /** Inference form: (x − mean) / √(var + ε) · γ + β folds into one multiply-add per element. */
  BatchNormalization: 2,
  /** mean (add), centre (sub), square (mul), variance (add), normalise (mul), γ (mul), β (add). */
  LayerNormalization: 7, InstanceNormalization: 7, GroupNormalization: 7,
  /** LayerNormalization plus the residual (skip) add. */
  SkipLayerNormalization: 8,
  /** RMSNorm: square, sum, normalise, γ. */
  SimplifiedLayerNormalization: 4, SkipSimplifiedLayerNormalization: 5,
  /** max, subtract max, exp, sum, divide (the numerically stable form). */
  Softmax: 5, LogSoftmax: 5,
};

/** Ops that move or re-index data and do no arithmetic: bytes only. */
const DATA_MOVEMENT = new Set([
  'Transpose', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Concat', 'Split', 'Slice', 'Expand',
  'Pad', 'Shape', 'Size', 'Identity', 'Cast', 'Tile', 'Gather', 'GatherElements', 'GatherND',
  'ReorderInput', 'ReorderOutput', 'DepthToSpace', 'SpaceToDepth', 'ConstantOfShape', 'Range',
]);

const MATMUL_LIKE = new Set(['MatMul', 'MatMulInteger', 'FusedMatMul', 'QLinearMatMul', 'DynamicQuantizeMatMul', 'MatMulIntegerToFloat']);
/** Conv-like ops and the index of their weight input. */
const CONV_WEIGHT_INDEX: Readonly<Record<string, number>> = { Conv: 1, ConvInteger: 1, FusedConv: 1, NhwcConv: 1, QLinearConv: 3 };
const POOLS = new Set(['MaxPool', 'AveragePool', 'LpPool', 'GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool']);
const REDUCTIONS = new Set(['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL2', 'ReduceSumSquare']);

/** Cost of one execution of an operator with these recorded input and output shapes. */
export function opCost(opType: string, inputs: readonly TensorShape[], outputs: readonly TensorShape[]): OpCost {
  const io = inputs.reduce((s, t) => s + tensorBytes(t), 0) + outputs.reduce((s, t) => s + tensorBytes(t), 0);
  const x = inputs[0];
  const y = outputs[0];
  if (x === undefined || y === undefined) return { flops: DATA_MOVEMENT.has(opType) ? 0 : null, bytes: io };
  const out = elementCount(y.dims);
  if (MATMUL_LIKE.has(opType)) return matMulCost(inputs, x, y, io);
  if (opType === 'Gemm' || opType === 'FusedGemm') {
    const cost = gemmCost(inputs, x, y, io);
    return opType === 'FusedGemm' ? { ...cost, flops: (cost.flops ?? 0) + out } : cost;
  }
  const weightIndex = CONV_WEIGHT_INDEX[opType];
  if (weightIndex !== undefined) {
    const w = inputs[weightIndex];
    if (w === undefined || w.dims.length < 3) return { flops: null, bytes: io };
    // Each output element is a dot product over (C / group) × kernel: W is [M, C/group, k1, k2...].
    const flops = 2 * out * elementCount(w.dims.slice(1)) + (opType === 'FusedConv' ? out : 0);
    return { flops, bytes: io };
  }
  if (opType === 'ConvTranspose') {
    const w = inputs[1];
    // Each input element scatters into M/group × kernel outputs: W is [C, M/group, k1, k2...].
    return { flops: w && w.dims.length >= 3 ? 2 * elementCount(x.dims) * elementCount(w.dims.slice(1)) : null, bytes: io };
  }
  // Window inferred as in/out spatial ratio, so the count is one op per input element: exact for
  // non-overlapping windows (stride = kernel, no padding), low for overlapping ones (3×3/2).
  if (POOLS.has(opType) || REDUCTIONS.has(opType)) return { flops: elementCount(x.dims), bytes: io };
  if (opType === 'Gather') return { flops: 0, bytes: gatherBytes(inputs, y) };
  if (DATA_MOVEMENT.has(opType)) return { flops: 0, bytes: io };
  const perElement = ELEMENTWISE_FLOPS[opType] ?? NORMALISATION_FLOPS[opType];
  if (perElement !== undefined) return { flops: perElement * out, bytes: io };
  if (opType === 'Attention') return { flops: attentionFlops(inputs, x, y), bytes: io };
  if (opType === 'MultiHeadAttention') return { flops: multiHeadAttentionFlops(inputs, x, y), bytes: io };
  return { flops: null, bytes: io };
}

/** [..., M, K] × [..., K, N] → [..., M, N]: 2·K FLOPs per output element. */
function matMulCost(inputs: readonly TensorShape[], a: TensorShape, y: TensorShape, io: number): OpCost {
  const k = a.dims.at(-1) ?? 1;
  const n = y.dims.at(-1) ?? 1;
  const flops = 2 * elementCount(y.dims) * k;
  const hasB = inputs.slice(1).some((t) => t.dims.length >= 2);
  return { flops, bytes: io + (hasB ? 0 : k * n * elementBytes(a.type)) };
}

/**
 * Gemm: Y[M, N] = A'·B' (+ C). K = |A| / M holds whether or not A is transposed. B is present
 * when input 1 is 2-D with K·N elements (otherwise ORT pre-packed it and input 1 is C).
 */
function gemmCost(inputs: readonly TensorShape[], a: TensorShape, y: TensorShape, io: number): OpCost {
  const [m = 1, n = 1] = y.dims;
  const k = elementCount(a.dims) / m;
  const b = inputs[1];
  const hasB = b !== undefined && b.dims.length === 2 && elementCount(b.dims) === k * n;
  return { flops: 2 * m * k * n, bytes: io + (hasB ? 0 : k * n * elementBytes(a.type)) };
}

/** Gather reads only the indexed rows, not the whole table: indices + rows read + output written. */
function gatherBytes(inputs: readonly TensorShape[], y: TensorShape): number {
  const indices = inputs[1];
  return (indices ? tensorBytes(indices) : 0) + 2 * tensorBytes(y);
}

/**
 * com.microsoft Attention: input [B, S, Hin], weights [Hin, Hq+Hk+Hv] (absent when pre-packed:
 * then 3·H), output [B, S, H]. Projection 2·B·S·Hin·Hqkv, then QKᵀ and scores·V, 2·B·S²·H each.
 * The softmax over the B·heads·S² scores is left out: heads is an attribute, not in the trace.
 */
function attentionFlops(inputs: readonly TensorShape[], x: TensorShape, y: TensorShape): number | null {
  const [b, s, h] = y.dims;
  const hIn = x.dims[2];
  if (b === undefined || s === undefined || h === undefined || hIn === undefined) return null;
  const w = inputs[1];
  const qkv = w !== undefined && w.dims.length === 2 && w.dims[0] === hIn ? (w.dims[1] ?? 3 * h) : 3 * h;
  return 2 * b * s * hIn * qkv + 4 * b * s * s * h;
}

/**
 * com.microsoft MultiHeadAttention: query [B, S, D], key [B, L, D] or [B, N, L, d], output
 * [B, S, Dv]: QKᵀ 2·B·S·L·D plus scores·V 2·B·S·L·Dv (softmax left out, as above). Packed or
 * absent keys are taken as self-attention (L = S).
 */
function multiHeadAttentionFlops(inputs: readonly TensorShape[], q: TensorShape, y: TensorShape): number | null {
  const [b, s, d] = q.dims;
  const dv = y.dims.at(-1);
  if (q.dims.length !== 3 || b === undefined || s === undefined || d === undefined || dv === undefined) return null;
  const key = inputs[1];
  const l = key?.dims.length === 3 ? key.dims[1] : key?.dims.length === 4 ? key.dims[2] : s;
  return 2 * b * s * (l ?? s) * (d + dv);
}

export interface NodeCostInput {
  node: string;
  opType: string;
  /** Executions recorded (count over all runs). */
  count: number;
  inputs: TensorShape[];
  outputs: TensorShape[];
}

export interface NodeCost extends OpCost {
  node: string;
  opType: string;
}

export interface ModelCost {
  /** FLOPs per inference, summed over nodes whose op type is known. */
  flops: number;
  /** Bytes moved per inference. */
  bytes: number;
  /** flops / bytes (FLOP per byte); 0 when bytes is 0. */
  arithmeticIntensity: number;
  /** Per node, per execution. */
  nodes: NodeCost[];
  /** Op types with no FLOP formula (their FLOPs are not in the sum). */
  unknownOpTypes: string[];
}

/** Sums per-node costs into per-inference totals: each node counts count / runs times. */
export function modelCost(nodes: readonly NodeCostInput[], runs: number): ModelCost {
  const perRun = runs > 0 ? runs : 1;
  let flops = 0;
  let bytes = 0;
  const unknown = new Set<string>();
  const costs: NodeCost[] = [];
  for (const n of nodes) {
    const cost = opCost(n.opType, n.inputs, n.outputs);
    const times = n.count / perRun;
    if (cost.flops === null) unknown.add(n.opType);
    else flops += cost.flops * times;
    bytes += cost.bytes * times;
    costs.push({ node: n.node, opType: n.opType, ...cost });
  }
  return { flops, bytes, arithmeticIntensity: bytes > 0 ? flops / bytes : 0, nodes: costs, unknownOpTypes: [...unknown].sort() };
}
