// Static int8 quantization in the QDQ format that ONNX Runtime's CPU provider fuses into integer
// kernels at load (DQ→Conv→Q → QLinearConv, DQ→MatMul→Q → QLinearMatMul, DQ→Gemm→Q → QGemm,
// DQ→MaxPool→Q with equal parameters → uint8 MaxPool), laid out as onnxruntime's QDQ quantizer
// does (onnxruntime/python/tools/quantization/qdq_quantizer.py, quant_utils.py):
// - activations uint8, asymmetric, from calibrated [min, max] ranges that always include 0;
//   one QuantizeLinear → DequantizeLinear pair per tensor, shared by every consumer;
// - weights int8, symmetric over [−127, 127] (zero point 0); Conv weights per output channel
//   (axis 0, ORT's per_channel=True), MatMul/Gemm weights per tensor (ORT's default);
// - biases int32 with scale = input scale × weight scale (per channel for Conv) and zero point 0
//   (quantize_bias_static_impl), so the integer kernel adds them in its accumulator.
// Which nodes convert and which ranges are needed comes from static-targets.ts; the ranges from
// a calibration run of calibration-graph.ts. Everything else stays fp32 between DQ and Q.
import { CoverageCounter, weightBytesOf, type VariantCoverage } from './coverage.js';
import { foldConstantWeights } from './fold-constants.js';
import { declineExternalData, VariantDeclined } from './declined.js';
import {
  decodeModel, DT, dimsOf, encodeModel, finishInitializers, floatValues, graphOf, intAttr, makeNode, NameSource, overridableInitializers, tensor,
  type Graph, type NodeProto,
} from './onnx-graph.js';
import { raiseDefaultOpset, withOpsetRaise } from './opset-upgrade.js';
import { quantizeWeight, roundHalfEven, scaleAndZeroPoint } from './quantize-math.js';
import { planStatic, type StaticPlan, type StaticTarget } from './static-targets.js';

export interface TensorRange {
  min: number;
  max: number;
}

interface QParams {
  scale: number;
  zeroPoint: number;
  /** Initializer names of the scale and zero point. */
  scaleName: string;
  zeroPointName: string;
}

/**
 * QuantizeLinear/DequantizeLinear with a per-axis scale (the Conv weights') need opset 13: an
 * older model is raised to 13 with every node whose operator changed on the way converted
 * (opset-upgrade.ts; Softmax's new axis meaning at 13 is kept by writing out the old one).
 */
const MIN_OPSET = 13;
const INT32_MAX = 2 ** 31 - 1;

export function quantizeStaticInt8(bytes: Uint8Array, ranges: ReadonlyMap<string, TensorRange>): { bytes: Uint8Array; coverage: VariantCoverage } {
  const model = decodeModel(bytes);
  const graph = graphOf(model);
  declineExternalData(graph, 'int8-static');
  const before = weightBytesOf(graph);
  const overridable = overridableInitializers(model);
  const { folded } = foldConstantWeights(graph, overridable);
  const plan = planStatic(graph, overridable);
  const names = new NameSource(graph);
  const counter = new CoverageCounter();
  let converted = quantizeGraph(graph, plan, ranges, names, counter);
  for (const b of plan.branches) converted += quantizeGraph(b.branch, b.plan, ranges, names, counter);
  for (const node of plan.inSubgraphs) counter.eligible(node);
  if (converted === 0) declineSubgraphsOnly(plan);
  finishInitializers(model);
  if (converted === 0) return { bytes: encodeModel(model), coverage: counter.result(before, graph, folded) };
  const opsetRaise = raiseDefaultOpset(model, MIN_OPSET, 'int8-static');
  return { bytes: encodeModel(model), coverage: withOpsetRaise(counter.result(before, graph, folded), opsetRaise) };
}

/**
 * Converts the targets of one graph (the main graph, or an If branch) whose input and output
 * have a calibrated range (or share one); counts its candidates. Returns how many converted.
 */
function quantizeGraph(graph: Graph, plan: StaticPlan, ranges: ReadonlyMap<string, TensorRange>, names: NameSource, counter: CoverageCounter): number {
  const known = (name: string): boolean => ranges.has(name) || (plan.passThrough.has(name) && known(plan.passThrough.get(name) ?? ''));
  const targets = plan.targets.filter((t) => known(t.input) && known(t.output));
  const byNode = new Map(targets.map((t) => [t.node, t]));
  for (const node of plan.candidates) {
    const t = byNode.get(node);
    counter.eligible(node, t?.weight ?? graph.initializer?.find((i) => i.name === node.input?.[1]));
    if (t) counter.converted(node, t.weight);
  }
  if (targets.length === 0) return 0;

  // Activation parameters: calibrated ranges; MaxPool outputs share their input's.
  const params = new Map<string, QParams>();
  const activation = (name: string): QParams | undefined => {
    const known = params.get(name);
    if (known) return known;
    const shared = plan.passThrough.get(name);
    const range = ranges.get(name);
    if (shared) {
      const p = activation(shared);
      if (p) params.set(name, p);
      return p;
    }
    if (!range) return undefined;
    const { scale, zeroPoint } = scaleAndZeroPoint(range.min, range.max, 'uint8');
    const p = {
      scale, zeroPoint,
      scaleName: addInit(graph, tensor(names.fresh(`${name}_scale`), DT.FLOAT, [], Float32Array.of(scale))),
      zeroPointName: addInit(graph, tensor(names.fresh(`${name}_zero_point`), DT.UINT8, [], Uint8Array.of(zeroPoint))),
    };
    params.set(name, p);
    return p;
  };
  for (const t of targets) {
    activation(t.input);
    activation(t.output);
  }
  for (const out of plan.passThrough.keys()) activation(out);

  const before1 = new Map<NodeProto, NodeProto[]>();
  const removed = new Set<NodeProto>();
  for (const t of targets) before1.set(t.node, quantizeNodeInputs(graph, names, t, params));
  for (const t of targets) {
    if (!t.relu) continue;
    t.node.output = [t.output];
    removed.add(t.relu);
  }
  graph.node = insertQdq(graph, names, params, before1, removed);
  return targets.length;
}

/**
 * Calibration measures the main graph's tensors and those of the main graph's If branches (a
 * branch runs at most once per inference); a Loop or Scan body runs once per iteration, so its
 * Conv / MatMul / Gemm nodes stay fp32 — counted as eligible, not converted — and so do those of a
 * branch no calibration input took (no range). When nothing else converted, the variant is
 * declined with that reason rather than reported as "no quantizable weights".
 */
function declineSubgraphsOnly(plan: StaticPlan): void {
  const nodes = [...plan.inSubgraphs, ...plan.branches.flatMap((b) => b.plan.candidates)];
  if (nodes.length === 0) return;
  const ops = [...new Set(nodes.map((n) => n.opType ?? ''))].join('/');
  throw new VariantDeclined(`int8-static: the model's ${nodes.length} ${ops} node(s) sit inside subgraphs that static calibration does not measure (Loop/Scan bodies, or If branches no calibration input took); int8 (dynamic) converts them`);
}

function addInit(graph: Graph, t: ReturnType<typeof tensor>): string {
  graph.initializer = [...(graph.initializer ?? []), t];
  return t.name ?? '';
}

/** DequantizeLinear nodes for a target's weight and bias; rewires the node to read them. */
function quantizeNodeInputs(graph: Graph, names: NameSource, t: StaticTarget, params: Map<string, QParams>): NodeProto[] {
  const out: NodeProto[] = [];
  const dims = dimsOf(t.weight);
  const perChannel = t.op === 'Conv';
  const w = quantizeWeight(floatValues(t.weight), dims, 'int8', perChannel ? 0 : undefined);
  const channels = w.scales.length;
  const wName = t.weight.name ?? 'weight';
  const wq = addInit(graph, tensor(names.fresh(`${wName}_quantized`), DT.INT8, dims, w.values));
  const ws = addInit(graph, tensor(names.fresh(`${wName}_scale`), DT.FLOAT, perChannel ? [channels] : [], w.scales));
  const wz = addInit(graph, tensor(names.fresh(`${wName}_zero_point`), DT.INT8, perChannel ? [channels] : [], w.zeroPoints));
  const wdq = names.fresh(`${wName}_DequantizeLinear_Output`);
  const axis = perChannel ? [intAttr('axis', 0)] : [];
  out.push(makeNode('DequantizeLinear', [wq, ws, wz], [wdq], names.fresh(`${wName}_DequantizeLinear`), axis));
  const inputs = [...(t.node.input ?? [])];
  inputs[1] = wdq;
  const x = params.get(t.input);
  if (t.bias && x) {
    // quantize_bias_static_impl: scale = x_scale · w_scale (float32), q = round(b / scale), int32.
    const values = floatValues(t.bias);
    const scales = Float32Array.from({ length: values.length }, (_, c) => Math.fround(x.scale * (w.scales[perChannel ? c : 0] ?? 1)) || 1);
    const q = Int32Array.from(values, (v, c) => Math.max(-INT32_MAX, Math.min(INT32_MAX, roundHalfEven(v / (scales[c] ?? 1)))));
    const bName = t.bias.name ?? 'bias';
    const bq = addInit(graph, tensor(names.fresh(`${bName}_quantized`), DT.INT32, [values.length], q));
    const bs = addInit(graph, tensor(names.fresh(`${bName}_scale`), DT.FLOAT, perChannel ? [values.length] : [], perChannel ? scales : scales.slice(0, 1)));
    const bz = addInit(graph, tensor(names.fresh(`${bName}_zero_point`), DT.INT32, perChannel ? [values.length] : [], new Int32Array(perChannel ? values.length : 1)));
    const bdq = names.fresh(`${bName}_DequantizeLinear_Output`);
    out.push(makeNode('DequantizeLinear', [bq, bs, bz], [bdq], names.fresh(`${bName}_DequantizeLinear`), axis));
    inputs[2] = bdq;
  }
  t.node.input = inputs;
  return out;
}

/**
 * The node list with a Q→DQ pair after each quantized activation (at the top for graph inputs),
 * every consumer reading the DQ output; a quantized graph output keeps its name on the DQ output.
 */
function insertQdq(graph: Graph, names: NameSource, params: Map<string, QParams>, weightDq: Map<NodeProto, NodeProto[]>, removed: Set<NodeProto>): NodeProto[] {
  const graphOutputs = new Set((graph.output ?? []).map((v) => v.name ?? ''));
  const readers = new Map<string, string>(); // activation → its DQ output, for every consumer
  const producers = new Map<string, string>(); // quantized graph output → what its producer now writes
  const pairNodes = new Set<NodeProto>();
  const pairFor = (name: string): NodeProto[] => {
    const p = params.get(name);
    if (!p) return [];
    const isOutput = graphOutputs.has(name);
    const source = isOutput ? names.fresh(`${name}_float`) : name;
    const dq = isOutput ? name : names.fresh(`${name}_DequantizeLinear_Output`);
    if (isOutput) producers.set(name, source);
    else readers.set(name, dq);
    const quantized = names.fresh(`${name}_QuantizeLinear_Output`);
    const pair = [
      makeNode('QuantizeLinear', [source, p.scaleName, p.zeroPointName], [quantized], names.fresh(`${name}_QuantizeLinear`)),
      makeNode('DequantizeLinear', [quantized, p.scaleName, p.zeroPointName], [dq], names.fresh(`${name}_DequantizeLinear`)),
    ];
    for (const n of pair) pairNodes.add(n);
    return pair;
  };
  const inits = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  const produced = new Set((graph.node ?? []).flatMap((n) => n.output ?? []));
  const nodes: NodeProto[] = [];
  for (const v of graph.input ?? []) if (v.name && !inits.has(v.name)) nodes.push(...pairFor(v.name));
  // In an If branch: outer-scope activations the branch quantizes get their pair at its top.
  for (const name of params.keys()) if (!produced.has(name) && !inits.has(name) && !(graph.input ?? []).some((v) => v.name === name)) nodes.push(...pairFor(name));
  for (const node of graph.node ?? []) {
    if (removed.has(node)) continue;
    nodes.push(...(weightDq.get(node) ?? []), node);
    for (const out of node.output ?? []) nodes.push(...pairFor(out));
  }
  for (const node of nodes) {
    if (pairNodes.has(node)) continue;
    node.input = (node.input ?? []).map((n) => readers.get(n) ?? n);
    node.output = (node.output ?? []).map((n) => producers.get(n) ?? n);
  }
  return nodes;
}

