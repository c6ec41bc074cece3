// Weights stored as `Constant` nodes are weights. Paddle2ONNX, tf2onnx and older PyTorch exports
// keep every weight in a Constant node (sometimes behind Identity, or a Cast from float16), and a
// converter that looks only at initializers — as onnxruntime's quantizer does — finds nothing to
// convert and hands back an unchanged copy (inferbench issue 16: a Paddle OCR model's "int8"
// file was its fp32 file). Before converting, this moves those tensors into initializers, the
// way onnx-simplifier / onnxruntime's constant folding would, so every converter sees them:
//   Constant(value | value_float(s) | value_int(s))      → an initializer named like its output
//   Identity(initializer)                                → a copy named like its output
//   Cast(initializer, to=float) from float16/float/double → the converted float32 initializer
// Only nodes whose inputs are all initializers fold, in graph order, so chains fold too. Other
// Constant attributes (sparse_value, strings) are left as nodes.
import { float16BitsToNumber } from '../inputs/synthetic.js';
import { allGraphs, attr, DT, dropUnusedInitializers, dimsOf, floatValues, tensor, toNumber, type Graph, type NodeProto, type TensorProto } from './onnx-graph.js';

export interface FoldResult {
  /** Constant / Identity / Cast nodes replaced by initializers. */
  folded: number;
}

/**
 * Folds Constant weights (and Identity/Cast chains over initializers) into initializers, in place,
 * in the graph and every subgraph (If branches, Loop/Scan bodies keep weights as Constants too):
 * a fold inside a subgraph makes an initializer of that subgraph. `overridable` names the
 * initializers a fed input can replace (overridableInitializers): they are not constants.
 */
export function foldConstantWeights(graph: Graph, overridable: ReadonlySet<string> = new Set((graph.input ?? []).map((v) => v.name ?? ''))): FoldResult {
  const initializers = new Map(allGraphs(graph).flatMap((g) => g.initializer ?? []).map((t) => [t.name ?? '', t]));
  const constant = (name: string | undefined): TensorProto | undefined => (name && !overridable.has(name) ? initializers.get(name) : undefined);
  let folded = 0;
  for (const g of allGraphs(graph)) {
    const kept: NodeProto[] = [];
    for (const node of g.node ?? []) {
      const output = node.output?.[0];
      const value = output && (node.output?.length ?? 0) === 1 && (!node.domain || node.domain === 'ai.onnx') ? foldNode(node, constant) : undefined;
      if (!output || !value) {
        kept.push(node);
        continue;
      }
      value.name = output;
      initializers.set(output, value);
      g.initializer = [...(g.initializer ?? []), value];
      folded += 1;
    }
    g.node = kept;
  }
  if (folded > 0) dropUnusedInitializers(graph, (name) => overridable.has(name) || (graph.input ?? []).some((v) => v.name === name));
  return { folded };
}

function foldNode(node: NodeProto, constant: (name: string | undefined) => TensorProto | undefined): TensorProto | undefined {
  switch (node.opType) {
    case 'Constant': return constantValue(node);
    case 'Identity': {
      const source = constant(node.input?.[0]);
      return source ? { ...source, dims: [...(source.dims ?? [])] } : undefined;
    }
    case 'Cast': {
      const source = constant(node.input?.[0]);
      const to = toNumber(attr(node, 'to')?.i);
      return source && to === DT.FLOAT ? castToFloat(source) : undefined;
    }
    default: return undefined;
  }
}

function constantValue(node: NodeProto): TensorProto | undefined {
  const a = node.attribute?.[0];
  if (!a || (node.attribute?.length ?? 0) !== 1) return undefined;
  if (a.name === 'value' && a.t) return { ...a.t, dims: [...(a.t.dims ?? [])] };
  if (a.name === 'value_float') return tensor('', DT.FLOAT, [], Float32Array.of(a.f ?? 0));
  if (a.name === 'value_floats') return tensor('', DT.FLOAT, [a.floats?.length ?? 0], Float32Array.from(a.floats ?? []));
  if (a.name === 'value_int') return tensor('', DT.INT64, [], BigInt64Array.of(BigInt(toNumber(a.i))));
  if (a.name === 'value_ints') return tensor('', DT.INT64, [a.ints?.length ?? 0], BigInt64Array.from(a.ints ?? [], (v) => BigInt(toNumber(v))));
  return undefined;
}

/** A float16 / float32 / float64 tensor as float32; undefined for other types. */
function castToFloat(source: TensorProto): TensorProto | undefined {
  const dims = dimsOf(source);
  if (source.dataType === DT.FLOAT) return tensor('', DT.FLOAT, dims, floatValues(source));
  if (source.dataType === DT.FLOAT16 && source.rawData && source.rawData.byteLength > 0) {
    const bits = new Uint16Array(source.rawData.slice().buffer);
    return tensor('', DT.FLOAT, dims, Float32Array.from(bits, (b) => float16BitsToNumber(b)));
  }
  if (source.dataType === DT.FLOAT16) {
    // int32_data holds float16 bits, one per entry (onnx.proto).
    return tensor('', DT.FLOAT, dims, Float32Array.from(source.int32Data ?? [], (b) => float16BitsToNumber(b)));
  }
  if (source.dataType === DT.DOUBLE) {
    const values = source.rawData && source.rawData.byteLength > 0 ? new Float64Array(source.rawData.slice().buffer) : Float64Array.from(source.doubleData ?? []);
    return tensor('', DT.FLOAT, dims, Float32Array.from(values));
  }
  return undefined;
}

