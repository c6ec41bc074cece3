// Element-type propagation over an ONNX graph, enough to know which tensors are float32.
// onnxconverter-common runs onnx.shape_inference first for this; there is no ONNX shape inference
// in JS, so this walks the (topologically sorted, as ONNX requires) nodes with per-op rules. Ops it
// does not know take the type of their first typed input, which is right for the element-wise,
// shape and layout ops that make up most graphs. A tensor it cannot type stays undefined, and the
// converters leave it alone.
import { attr, DT, subgraphsOf, toNumber, type Graph, type NodeProto, type ValueInfo } from './onnx-graph.js';

const BOOL_OPS = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'Not', 'And', 'Or', 'Xor', 'IsNaN', 'IsInf']);
const INT64_OPS = new Set(['Shape', 'Size', 'NonZero', 'ArgMax', 'ArgMin', 'NonMaxSuppression']);
const INT32_OPS = new Set(['MatMulInteger', 'ConvInteger']);
/** Ops whose output type is given by a `dtype` attribute (default float), or else their input. */
const DTYPE_OPS = new Set(['RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike', 'EyeLike', 'Multinomial', 'Bernoulli']);

export function valueInfoType(v: ValueInfo): number | undefined {
  const t = v.type?.tensorType?.elemType;
  return t ? t : undefined;
}

/**
 * The element type of every tensor name the rules can type (ONNX TensorProto.DataType codes), in
 * the graph and in its subgraphs: names are unique across scopes, so one map holds them all. A
 * subgraph's formal inputs take the types of the values bound to them when they declare none, and
 * an If / Loop / Scan node's outputs take the types of its subgraph's outputs.
 */
export function inferElementTypes(graph: Graph): Map<string, number> {
  const types = new Map<string, number>();
  walk(graph, types);
  return types;
}

function walk(graph: Graph, types: Map<string, number>): void {
  for (const v of [...(graph.input ?? []), ...(graph.valueInfo ?? []), ...(graph.output ?? [])]) {
    const t = valueInfoType(v);
    if (v.name && t !== undefined) types.set(v.name, t);
  }
  for (const init of graph.initializer ?? []) if (init.name && init.dataType) types.set(init.name, init.dataType);
  const typeOf = (name: string): number | undefined => (name ? types.get(name) : undefined);
  for (const node of graph.node ?? []) {
    const subgraphs = subgraphsOf(node);
    for (const sub of subgraphs) {
      bindFormalInputs(node, sub, typeOf, types);
      walk(sub, types);
    }
    const outputs = subgraphs.length > 0 ? controlFlowOutputs(node, subgraphs[0], typeOf) : outputTypes(node, typeOf);
    (node.output ?? []).forEach((name, i) => {
      const t = outputs[i];
      if (name && t !== undefined && !types.has(name)) types.set(name, t);
    });
  }
}

/** Loop body (iteration, cond, carried...) ← Loop (M, cond, carried...); Scan body ← Scan's inputs (after Scan-8's sequence_lens). */
function bindFormalInputs(node: NodeProto, sub: Graph, typeOf: (name: string) => number | undefined, types: Map<string, number>): void {
  const bound = node.opType === 'Loop' ? [undefined, undefined, ...(node.input ?? []).slice(2)] : node.opType === 'Scan' ? (node.input ?? []).slice((node.input?.length ?? 0) - (sub.input?.length ?? 0)) : [];
  (sub.input ?? []).forEach((v, i) => {
    const t = typeOf(bound[i] ?? '');
    if (v.name && !types.has(v.name) && t !== undefined) types.set(v.name, t);
  });
}

/** If: its branch's outputs; Loop: the body's outputs after `cond`; Scan: the body's outputs. */
function controlFlowOutputs(node: NodeProto, sub: Graph | undefined, typeOf: (name: string) => number | undefined): (number | undefined)[] {
  const outputs = (sub?.output ?? []).map((v) => valueInfoType(v) ?? typeOf(v.name ?? ''));
  return node.opType === 'Loop' ? outputs.slice(1) : outputs;
}

/** Cast's `to`: an int (Cast-6 on) or, before opset 6, a type name such as "FLOAT". */
export function castTarget(node: NodeProto): number | undefined {
  const to = attr(node, 'to');
  if (!to) return undefined;
  if (to.s && to.s.length > 0) {
    const name = new TextDecoder().decode(to.s).toUpperCase();
    const code = (DT as unknown as Record<string, number>)[name];
    return typeof code === 'number' ? code : undefined;
  }
  return toNumber(to.i);
}

function firstTyped(node: NodeProto, typeOf: (name: string) => number | undefined): number | undefined {
  for (const name of node.input ?? []) {
    const t = typeOf(name);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** Output types of one node, by position; undefined where unknown. */
function outputTypes(node: NodeProto, typeOf: (name: string) => number | undefined): (number | undefined)[] {
  const op = node.opType ?? '';
  const inputs = node.input ?? [];
  const input = (i: number): number | undefined => typeOf(inputs[i] ?? '');
  const count = (node.output ?? []).length;
  const all = (t: number | undefined): (number | undefined)[] => new Array<number | undefined>(count).fill(t);
  if (op === 'Cast') return all(castTarget(node));
  if (op === 'CastLike') return all(input(1));
  if (op === 'Constant') return all(constantType(node));
  if (op === 'ConstantOfShape') return all(attr(node, 'value')?.t?.dataType ?? DT.FLOAT);
  if (BOOL_OPS.has(op)) return all(DT.BOOL);
  if (INT64_OPS.has(op)) return all(DT.INT64);
  if (INT32_OPS.has(op)) return all(DT.INT32);
  if (DTYPE_OPS.has(op)) {
    const dtype = attr(node, 'dtype');
    return all(dtype ? toNumber(dtype.i) : op.endsWith('Like') ? input(0) : DT.FLOAT);
  }
  if (op === 'DynamicQuantizeLinear') return [DT.UINT8, DT.FLOAT, DT.UINT8];
  if (op === 'QuantizeLinear') return all(input(2) ?? DT.UINT8);
  if (op === 'DequantizeLinear') return all(input(1) ?? DT.FLOAT);
  if (op === 'Where') return all(input(1));
  if (op === 'OneHot') return all(input(2));
  if (op === 'TopK') return [input(0), DT.INT64];
  if (op === 'MaxPool') return [input(0), DT.INT64];
  if (op === 'Unique') return [input(0), DT.INT64, DT.INT64, DT.INT64];
  return all(firstTyped(node, typeOf));
}

function constantType(node: NodeProto): number | undefined {
  for (const a of node.attribute ?? []) {
    if (a.name === 'value') return a.t?.dataType ?? undefined;
    if (a.name === 'value_float' || a.name === 'value_floats') return DT.FLOAT;
    if (a.name === 'value_int' || a.name === 'value_ints') return DT.INT64;
    if (a.name === 'value_string' || a.name === 'value_strings') return DT.STRING;
  }
  return undefined;
}
