// Dynamic int8 quantization of the weight-carrying ops, after ONNX Runtime's `quantize_dynamic`
// (onnxruntime/python/tools/quantization: IntegerOps mode, operators/matmul.py MatMulInteger,
// operators/conv.py ConvInteger, operators/gather.py GatherQuant):
//   MatMul(A, W)   → DynamicQuantizeLinear(A) → MatMulInteger(A_q, W_q, A_zp, W_zp) → Cast(float)
//                    → Mul(·, A_scale · W_scale)
//   Gemm(A, B, C)  → the same on W = alpha · (transB ? Bᵀ : B), then Add(beta · C)
//                    (ORT's dynamic registry has no Gemm: exporters emit it for every Linear, so it is
//                    rewritten as MatMul + Add first, as ORT's own Gemm→MatMul tooling does)
//   Conv(X, W, B)  → DynamicQuantizeLinear(X) → ConvInteger(X_q, W_q, X_zp, W_zp) → Cast(float)
//                    → Mul(·, X_scale · W_scale) → Add(B reshaped to [M, 1, 1])
//   Gather(E, idx) → Gather(E_q, idx) → DequantizeLinear(·, E_scale, E_zp)   (embedding tables)
// Activations are uint8 (DynamicQuantizeLinear only makes uint8); weights are int8, symmetric
// (quantize_dynamic's weight_type=QInt8 default; older ORT CPU builds lacked a u8s8 ConvInteger
// kernel, onnxruntime-node 1.30 has it, checked by the tests). Conv weights are always per tensor:
// ORT's CPU ConvInteger rejects a per-channel w_zero_point ("Non per-tensor quantization is not
// supported now"). ORT's graph optimizer fuses the MatMul pattern into com.microsoft
// DynamicQuantizeMatMul / MatMulIntegerToFloat at load. Everything else stays fp32.
// Weights held in Constant nodes are folded into initializers first (fold-constants.ts), and the
// result says what was converted (coverage.ts): a model with nothing to quantize is not int8.
import { CoverageCounter, weightBytesOf, type VariantCoverage } from './coverage.js';
import { foldConstantWeights } from './fold-constants.js';
import { declineExternalData } from './declined.js';
import {
  allGraphs, allNodes, decodeModel, dimsOf, DT, encodeModel, finishInitializers, floatAttrValue, floatValues, graphOf, intAttr,
  intAttrValue, makeNode, NameSource, overridableInitializers, tensor, type Graph, type Model, type NodeProto, type TensorProto,
} from './onnx-graph.js';
import { raiseDefaultOpset, withOpsetRaise } from './opset-upgrade.js';
import { quantizeWeight, transpose2d, type QuantizedWeight, type WeightType } from './quantize-math.js';

export type QuantizableOp = 'MatMul' | 'Gemm' | 'Conv' | 'Gather' | 'LSTM';
export const DEFAULT_QUANTIZED_OPS: readonly QuantizableOp[] = ['MatMul', 'Gemm', 'Conv', 'Gather', 'LSTM'];

export interface Int8Options {
  /** Op types to quantize. Default: MatMul, Gemm, Conv, Gather. */
  opTypes?: readonly QuantizableOp[];
  /** One scale per output column of MatMul/Gemm weights (axis 1). Default false, as ORT. Conv stays per tensor. */
  perChannel?: boolean;
}

/**
 * DynamicQuantizeLinear appeared in opset 11 (MatMulInteger, ConvInteger, a per-tensor
 * DequantizeLinear and MatMulInteger's per-column zero point in 10): an older model is raised to
 * 11 with every node whose operator changed on the way converted (opset-upgrade.ts); ORT's
 * quantizer raises the number only, with a warning.
 */
const MIN_OPSET = 11;

interface Quantized {
  name: string;
  scale: string;
  zeroPoint: string;
}

/**
 * The rewrite state of a model: its graph and every subgraph (If branches, Loop / Scan bodies),
 * one graph at a time (`enter`). Names are unique across scopes, so one name source and one map
 * of initializers serve all of them. A weight's quantized tensors go into the graph that holds
 * the weight, so a node in a subgraph that reads an outer weight (an outer-scope reference) and a
 * node of the outer graph that reads the same weight share one quantized copy. Initializers a
 * fed input may override are left out: they are inputs, not weights (overridableInitializers).
 */
class Rewriter {
  readonly names: NameSource;
  readonly initializers = new Map<string, TensorProto>();
  /** The graph each initializer lives in. */
  private readonly owners = new Map<string, Graph>();
  /** The graph being rewritten. */
  graph: Graph;
  /** Quantized activations of the graph being rewritten (a subgraph makes its own). */
  private activations = new Map<string, Quantized>();
  private readonly weights = new Map<string, Quantized>();

  constructor(model: Graph, readonly perChannel: boolean, overridable: ReadonlySet<string>) {
    this.names = new NameSource(model);
    this.graph = model;
    for (const g of allGraphs(model)) {
      for (const t of g.initializer ?? []) {
        if (overridable.has(t.name ?? '')) continue;
        this.initializers.set(t.name ?? '', t);
        this.owners.set(t.name ?? '', g);
      }
    }
  }

  /** Starts rewriting graph `g`. */
  enter(g: Graph): void {
    this.graph = g;
    this.activations = new Map();
  }

  /** A 2-D-or-more float32 initializer, or undefined. */
  floatWeight(name: string | undefined, minRank = 1): TensorProto | undefined {
    const t = name ? this.initializers.get(name) : undefined;
    return t && t.dataType === DT.FLOAT && dimsOf(t).length >= minRank ? t : undefined;
  }

  /** Adds an initializer to `owner` (default: the graph being rewritten). */
  addInitializer(t: TensorProto, owner: Graph = this.graph): string {
    owner.initializer = [...(owner.initializer ?? []), t];
    this.initializers.set(t.name ?? '', t);
    this.owners.set(t.name ?? '', owner);
    return t.name ?? '';
  }

  /** The graph holding initializer `name` (the one being rewritten when unknown). */
  ownerOf(name: string | null | undefined): Graph {
    return this.owners.get(name ?? '') ?? this.graph;
  }

  /** DynamicQuantizeLinear of an activation, once per tensor however many ops read it. */
  activation(name: string, out: NodeProto[]): Quantized {
    const known = this.activations.get(name);
    if (known) return known;
    const q = { name: this.names.fresh(`${name}_quantized`), scale: this.names.fresh(`${name}_scale`), zeroPoint: this.names.fresh(`${name}_zero_point`) };
    out.push(makeNode('DynamicQuantizeLinear', [name], [q.name, q.scale, q.zeroPoint], this.names.fresh(`${name}_QuantizeLinear`)));
    this.activations.set(name, q);
    return q;
  }

  /**
   * Quantized initializers for weight `source` (values possibly transposed or scaled); `key`
   * caches them when the same values are reused. They live in the graph that holds `source`.
   */
  weight(source: TensorProto, key: string, values: Float32Array, dims: number[], type: WeightType, axis: number | undefined, scaleDims: (channels: number) => number[]): Quantized {
    const known = this.weights.get(key);
    if (known) return known;
    const w: QuantizedWeight = quantizeWeight(values, dims, type, axis);
    const channels = w.scales.length;
    const zpDims = channels === 1 ? [] : [channels];
    const elem = type === 'int8' ? DT.INT8 : DT.UINT8;
    const owner = this.ownerOf(source.name);
    const q = {
      name: this.addInitializer(tensor(this.names.fresh(`${key}_quantized`), elem, dims, w.values), owner),
      scale: this.addInitializer(tensor(this.names.fresh(`${key}_scale`), DT.FLOAT, channels === 1 ? [] : scaleDims(channels), w.scales), owner),
      zeroPoint: this.addInitializer(tensor(this.names.fresh(`${key}_zero_point`), elem, zpDims, w.zeroPoints), owner),
    };
    this.weights.set(key, q);
    return q;
  }

  /** Cast(int32 → float) of an integer op's output, times the product of the two scales. */
  rescale(integerOut: string, a: Quantized, w: Quantized, output: string, base: string, out: NodeProto[]): void {
    const cast = this.names.fresh(`${integerOut}_cast_output`);
    const scales = this.names.fresh(`${base}_scales_mul:0`);
    out.push(makeNode('Cast', [integerOut], [cast], this.names.fresh(`${integerOut}_cast`), [intAttr('to', DT.FLOAT)]));
    out.push(makeNode('Mul', [a.scale, w.scale], [scales], this.names.fresh(`${base}_scales_mul`)));
    out.push(makeNode('Mul', [cast, scales], [output], this.names.fresh(`${base}_output_scale_mul`)));
  }
}

/** A converted model and what the conversion changed. */
export interface Conversion {
  bytes: Uint8Array;
  coverage: VariantCoverage;
}

/** Quantizes an fp32 ONNX model (bytes) dynamically to int8 and returns the new model's bytes. */
export function quantizeDynamicInt8(bytes: Uint8Array, options: Int8Options = {}): Uint8Array {
  return quantizeDynamicInt8WithCoverage(bytes, options).bytes;
}

/** quantizeDynamicInt8, with the per-op-type coverage of what it converted. */
export function quantizeDynamicInt8WithCoverage(bytes: Uint8Array, options: Int8Options = {}): Conversion {
  const model = decodeModel(bytes);
  const graph = graphOf(model);
  declineExternalData(graph, 'int8');
  const before = weightBytesOf(graph);
  const overridable = overridableInitializers(model);
  const { folded } = foldConstantWeights(graph, overridable);
  const ops = new Set(options.opTypes ?? DEFAULT_QUANTIZED_OPS);
  const rw = new Rewriter(graph, options.perChannel ?? false, overridable);
  const counter = new CoverageCounter();
  let changed = 0;
  // The main graph, then each subgraph (If branches, Loop / Scan bodies), each rewritten in place.
  for (const g of allGraphs(graph)) {
    rw.enter(g);
    const nodes: NodeProto[] = [];
    for (const node of g.node ?? []) {
      const op = node.opType ?? '';
      const isDefaultDomain = !node.domain || node.domain === 'ai.onnx';
      const candidate = isDefaultDomain && ops.has(op as QuantizableOp);
      // A Gather is a weight only when it reads a float table (an embedding), not a shape.
      const weight = candidate ? rw.floatWeight(node.input?.[op === 'Gather' ? 0 : 1], 1) : undefined;
      if (candidate && (op !== 'Gather' || weight)) counter.eligible(node, weight);
      const expansion = candidate ? rewrite(rw, node) : undefined;
      if (expansion) {
        changed += 1;
        counter.converted(node, weight);
      }
      nodes.push(...(expansion ?? [node]));
    }
    g.node = nodes;
  }
  const opsetRaise = changed > 0 ? raiseDefaultOpset(model, MIN_OPSET, 'int8') : null;
  importMicrosoftDomain(model);
  finishInitializers(model);
  return { bytes: encodeModel(model), coverage: withOpsetRaise(counter.result(before, graph, folded), opsetRaise) };
}

function rewrite(rw: Rewriter, node: NodeProto): NodeProto[] | undefined {
  switch (node.opType) {
    case 'MatMul': return matMul(rw, node);
    case 'Gemm': return gemm(rw, node);
    case 'Conv': return conv(rw, node);
    case 'Gather': return gather(rw, node);
    case 'LSTM': return lstm(rw, node);
    default: return undefined;
  }
}

/** A [K, N] float32 weight as MatMulInteger's B: int8, symmetric, per tensor or per column. */
function matMulCore(rw: Rewriter, input: string, source: TensorProto, key: string, values: Float32Array, dims: number[], output: string, base: string): NodeProto[] {
  const out: NodeProto[] = [];
  const a = rw.activation(input, out);
  const w = rw.weight(source, key, values, dims, 'int8', rw.perChannel ? 1 : undefined, (n) => [n]);
  const integer = rw.names.fresh(`${output}_output_quantized`);
  out.push(makeNode('MatMulInteger', [a.name, w.name, a.zeroPoint, w.zeroPoint], [integer], rw.names.fresh(`${base}_quant`)));
  rw.rescale(integer, a, w, output, base, out);
  return out;
}

function matMul(rw: Rewriter, node: NodeProto): NodeProto[] | undefined {
  const [input, weightName] = node.input ?? [];
  const weight = rw.floatWeight(weightName, 2);
  const output = node.output?.[0];
  if (!input || !weight || !output || dimsOf(weight).length !== 2) return undefined;
  return matMulCore(rw, input, weight, weight.name ?? '', floatValues(weight), dimsOf(weight), output, node.name || output);
}

function gemm(rw: Rewriter, node: NodeProto): NodeProto[] | undefined {
  const [input, bName, cName] = node.input ?? [];
  const b = rw.floatWeight(bName, 2);
  const output = node.output?.[0];
  // transA would need a Transpose of the activation; such Gemms stay fp32 (exporters never emit them).
  if (!input || !b || !output || intAttrValue(node, 'transA', 0) !== 0) return undefined;
  const alpha = floatAttrValue(node, 'alpha', 1);
  const beta = floatAttrValue(node, 'beta', 1);
  const [rows = 0, cols = 0] = dimsOf(b);
  const transB = intAttrValue(node, 'transB', 0) !== 0;
  let values = transB ? transpose2d(floatValues(b), rows, cols) : floatValues(b);
  if (alpha !== 1) values = values.map((v) => v * alpha);
  const dims = transB ? [cols, rows] : [rows, cols];
  const base = node.name || output;
  const key = `${b.name ?? ''}${transB ? '_transposed' : ''}${alpha !== 1 ? `_x${alpha}` : ''}`;
  if (!cName) return matMulCore(rw, input, b, key, values, dims, output, base);
  const product = rw.names.fresh(`${output}_matmul`);
  const out = matMulCore(rw, input, b, key, values, dims, product, base);
  out.push(makeNode('Add', [product, scaledBias(rw, cName, beta, out)], [output], rw.names.fresh(`${base}_bias_add`)));
  return out;
}

/** beta · C: a new initializer when C is one, else a Mul node. */
function scaledBias(rw: Rewriter, cName: string, beta: number, out: NodeProto[]): string {
  if (beta === 1) return cName;
  const c = rw.floatWeight(cName, 0);
  if (c) return rw.addInitializer(tensor(rw.names.fresh(`${cName}_scaled`), DT.FLOAT, dimsOf(c), floatValues(c).map((v) => v * beta)));
  const betaName = rw.addInitializer(tensor(rw.names.fresh(`${cName}_beta`), DT.FLOAT, [], Float32Array.of(beta)));
  const scaled = rw.names.fresh(`${cName}_scaled`);
  out.push(makeNode('Mul', [cName, betaName], [scaled], rw.names.fresh(`${cName}_beta_mul`)));
  return scaled;
}

function conv(rw: Rewriter, node: NodeProto): NodeProto[] | undefined {
  const [input, weightName, biasName] = node.input ?? [];
  const weight = rw.floatWeight(weightName, 3);
  const output = node.output?.[0];
  if (!input || !weight || !output) return undefined;
  const dims = dimsOf(weight); // [M, C/group, k...]
  const spatial = dims.length - 2;
  const base = node.name || output;
  const out: NodeProto[] = [];
  const x = rw.activation(input, out);
  const w = rw.weight(weight, weight.name ?? '', floatValues(weight), dims, 'int8', undefined, (m) => [m, ...new Array<number>(spatial).fill(1)]);
  const integer = rw.names.fresh(`${output}_output_quantized`);
  out.push(makeNode('ConvInteger', [x.name, w.name, x.zeroPoint, w.zeroPoint], [integer], rw.names.fresh(`${base}_quant`), node.attribute ?? []));
  if (!biasName) {
    rw.rescale(integer, x, w, output, base, out);
    return out;
  }
  const scaled = rw.names.fresh(`${output}_scaled`);
  rw.rescale(integer, x, w, scaled, base, out);
  out.push(makeNode('Add', [scaled, channelBias(rw, biasName, spatial, out)], [output], rw.names.fresh(`${base}_bias_add`)));
  return out;
}

/** Conv's bias [M] as [M, 1, ...] so that it broadcasts over [N, M, spatial...]. */
function channelBias(rw: Rewriter, biasName: string, spatial: number, out: NodeProto[]): string {
  const bias = rw.floatWeight(biasName, 1);
  const ones = new Array<number>(spatial).fill(1);
  if (bias) return rw.addInitializer(tensor(rw.names.fresh(`${biasName}_reshaped`), DT.FLOAT, [...dimsOf(bias), ...ones], floatValues(bias)));
  const shape = rw.addInitializer(tensor(rw.names.fresh(`${biasName}_shape`), DT.INT64, [spatial + 1], BigInt64Array.from([-1, ...ones], (v) => BigInt(v))));
  const reshaped = rw.names.fresh(`${biasName}_reshaped`);
  out.push(makeNode('Reshape', [biasName, shape], [reshaped], rw.names.fresh(`${biasName}_reshape`)));
  return reshaped;
}

function gather(rw: Rewriter, node: NodeProto): NodeProto[] | undefined {
  const [dataName, indices] = node.input ?? [];
  const data = rw.floatWeight(dataName, 1);
  const output = node.output?.[0];
  if (!data || !indices || !output) return undefined;
  const q = rw.weight(data, data.name ?? '', floatValues(data), dimsOf(data), 'int8', undefined, (n) => [n]);
  const gathered = rw.names.fresh(`${output}_quantized`);
  const base = node.name || output;
  return [
    makeNode('Gather', [q.name, indices], [gathered], rw.names.fresh(`${base}_quant`), node.attribute ?? []),
    makeNode('DequantizeLinear', [gathered, q.scale, q.zeroPoint], [output], rw.names.fresh(`${base}_dequantize`)),
  ];
}

/**
 * LSTM → com.microsoft DynamicQuantizeLSTM, as ORT's operators/lstm.py: W [dirs, 4H, I] and
 * R [dirs, 4H, H] transposed per direction to [dirs, I, 4H] / [dirs, H, 4H], int8, symmetric, one
 * scale per direction; X, B, sequence_lens, initial states and P pass through. The contrib op has
 * LSTM-7's attributes: an LSTM with `layout` (opset 14) stays fp32.
 */
function lstm(rw: Rewriter, node: NodeProto): NodeProto[] | undefined {
  const [x, wName, rName, ...rest] = node.input ?? [];
  const w = rw.floatWeight(wName, 3);
  const r = rw.floatWeight(rName, 3);
  if (!x || !w || !r || (node.attribute ?? []).some((a) => a.name === 'layout')) return undefined;
  const perDirection = (t: TensorProto): { values: Float32Array; dims: number[] } => {
    const [dirs = 1, rows = 0, cols = 0] = dimsOf(t);
    const values = floatValues(t);
    const out = new Float32Array(values.length);
    for (let d = 0; d < dirs; d++) out.set(transpose2d(values.subarray(d * rows * cols, (d + 1) * rows * cols), rows, cols), d * rows * cols);
    return { values: out, dims: [dirs, cols, rows] };
  };
  const wt = perDirection(w);
  const rt = perDirection(r);
  const qw = rw.weight(w, `${w.name ?? ''}_lstm`, wt.values, wt.dims, 'int8', 0, (n) => [n]);
  const qr = rw.weight(r, `${r.name ?? ''}_lstm`, rt.values, rt.dims, 'int8', 0, (n) => [n]);
  // The kernel wants the per-direction scale and zero point as [dirs] even for one direction.
  for (const name of [qw.scale, qw.zeroPoint, qr.scale, qr.zeroPoint]) {
    const t = rw.initializers.get(name);
    if (t) t.dims = [wt.dims[0] ?? 1];
  }
  const optional = [0, 1, 2, 3, 4].map((i) => rest[i] ?? '');
  const inputs = [x, qw.name, qr.name, ...optional, qw.scale, qw.zeroPoint, qr.scale, qr.zeroPoint];
  return [makeNode('DynamicQuantizeLSTM', inputs, [...(node.output ?? [])], rw.names.fresh(`${node.name || 'LSTM'}_quant`), node.attribute ?? [], 'com.microsoft')];
}

/** DynamicQuantizeLSTM lives in ONNX Runtime's com.microsoft domain (version 1): import it when used. */
function importMicrosoftDomain(model: Model): void {
  const used = allNodes(graphOf(model)).some((n) => n.domain === 'com.microsoft');
  if (used && !(model.opsetImport ?? []).some((o) => o.domain === 'com.microsoft')) model.opsetImport = [...(model.opsetImport ?? []), { domain: 'com.microsoft', version: 1 }];
}
