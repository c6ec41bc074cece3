// Element-type propagation over an ONNX graph, enough to know which tensors are float32.
// onnxconverter-common runs onnx.shape_inference first for this; there is no ONNX shape inference
// in JS, so this walks the (topologically sorted, as ONNX requires) nodes with per-op rules. Ops it
// does not know take the type of their first typed input, which is right for the element-wise,
// shape and layout ops that make up most graphs. A tensor it cannot type stays undefined, and the
// converters leave it alone.
import { attr, DT, toNumber, type Graph, type NodeProto, type ValueInfo } from './onnx-graph.js';

const BOOL_OPS = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'Not', 'And', 'Or', 'Xor', 'IsNaN', 'IsInf']);
const INT64_OPS = new Set(['Shape', 'Size', 'NonZero', 'ArgMax', 'ArgMin', 'NonMaxSuppression']);
const INT32_OPS = new Set(['MatMulInteger', 'ConvInteger']);
/** Ops whose output type is given by a `dtype` attribute (default float), or else their input. */
const DTYPE_OPS = new Set(['RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike', 'EyeLike', 'Multinomial', 'Bernoulli']);

export function valueInfoType(v: ValueInfo): number | undefined {
  const t = v.type?.tensorType?.elemType;
  return t ? t : undefined;
}

/** The element type of every tensor name the rules can type (ONNX TensorProto.DataType codes). */
export function inferElementTypes(graph: Graph): Map<string, number> {
  const types = new Map<string, number>();
  for (const v of [...(graph.input ?? []), ...(graph.valueInfo ?? []), ...(graph.output ?? [])]) {
    const t = valueInfoType(v);
    if (v.name && t !== undefined) types.set(v.name, t);
  }
  for (const init of graph.initializer ?? []) if (init.name && init.dataType) types.set(init.name, init.dataType);
  for (const node of graph.node ?? []) {
    const outputs = outputTypes(node, (name) => (name ? types.get(name) : undefined));
    (node.output ?? []).forEach((name, i) => {
      const t = outputs[i];
      if (name && t !== undefined && !types.has(name)) types.set(name, t);
    });
  }
  return types;
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
  if (op === 'Cast') return all(toNumber(attr(node, 'to')?.i));
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
