// Small helpers for rewriting ONNX graphs with onnx-proto (protobufjs): decode/encode, tensor data
// in and out of TensorProto, node and attribute builders, and fresh names. The variant generators
// (fp16.ts, quantize-int8.ts) share them; nothing here knows about precision.
import onnxProto from 'onnx-proto';
import type { onnx as O } from 'onnx-proto';
import { InferbenchError, messageOf } from '../errors.js';

export const { onnx } = onnxProto;
export type Model = O.ModelProto;
export type Graph = O.IGraphProto;
export type NodeProto = O.INodeProto;
export type TensorProto = O.ITensorProto;
export type AttributeProto = O.IAttributeProto;
export type ValueInfo = O.IValueInfoProto;

export const DT = onnx.TensorProto.DataType;
export const AT = onnx.AttributeProto.AttributeType;

/** An int64 field as protobufjs gives it: a number, or a Long when it was decoded. */
type Int64 = number | { toNumber(): number };
export const toNumber = (value: Int64 | null | undefined): number =>
  value === null || value === undefined ? 0 : typeof value === 'number' ? value : value.toNumber();

export function decodeModel(bytes: Uint8Array): Model {
  let model: Model;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new InferbenchError('model-invalid', `cannot decode the ONNX model: ${messageOf(error)}`, 'check the file is a complete .onnx model');
  }
  if (!model.graph) throw new InferbenchError('model-invalid', 'the ONNX model holds no graph');
  return model;
}

export function encodeModel(model: Model): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** The graph of a decoded model (decodeModel guarantees one). */
export function graphOf(model: Model): Graph {
  if (!model.graph) throw new InferbenchError('model-invalid', 'the ONNX model holds no graph');
  return model.graph;
}

export function dimsOf(tensor: TensorProto): number[] {
  return (tensor.dims ?? []).map((d) => toNumber(d));
}

/** Copy of a little-endian byte range into a fresh, aligned ArrayBuffer. */
function aligned(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

/** The values of a float32 tensor (raw_data or float_data). External data is not supported. */
export function floatValues(tensor: TensorProto): Float32Array {
  if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw new InferbenchError('model-invalid', `tensor '${tensor.name ?? ''}' keeps its data in an external file, which variant generation does not read`, 'export the model with its weights inside the .onnx file (< 2 GB)');
  }
  if (tensor.rawData && tensor.rawData.byteLength > 0) return new Float32Array(aligned(tensor.rawData));
  return Float32Array.from(tensor.floatData ?? []);
}

/** Raw little-endian bytes of a typed array (the host is little-endian: x86, arm64). */
export function rawBytes(values: ArrayBufferView): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
}

export function tensor(name: string, dataType: number, dims: readonly number[], values: ArrayBufferView): TensorProto {
  return { name, dataType, dims: [...dims], rawData: rawBytes(values) };
}

export const intAttr = (name: string, i: number): AttributeProto => ({ name, type: AT.INT, i });

export function attr(node: NodeProto, name: string): AttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

export function intAttrValue(node: NodeProto, name: string, fallback: number): number {
  const a = attr(node, name);
  return a ? toNumber(a.i) : fallback;
}

export function floatAttrValue(node: NodeProto, name: string, fallback: number): number {
  const a = attr(node, name);
  return a?.f ?? fallback;
}

export function makeNode(opType: string, inputs: string[], outputs: string[], name: string, attribute: AttributeProto[] = [], domain = ''): NodeProto {
  return { opType, input: inputs, output: outputs, name, attribute, ...(domain && { domain }) };
}

/** Hands out tensor/node names that the graph does not use yet. */
export class NameSource {
  private readonly used = new Set<string>();

  constructor(graph: Graph) {
    for (const n of graph.node ?? []) {
      if (n.name) this.used.add(n.name);
      for (const name of [...(n.input ?? []), ...(n.output ?? [])]) this.used.add(name);
    }
    for (const t of graph.initializer ?? []) if (t.name) this.used.add(t.name);
    for (const v of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) if (v.name) this.used.add(v.name);
  }

  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}

/** Refuse graphs with subgraphs (If/Loop/Scan): their outer-scope captures are not rewritten. */
export function assertNoSubgraphs(graph: Graph, what: string): void {
  for (const node of graph.node ?? []) {
    for (const a of node.attribute ?? []) {
      if (a.g || (a.graphs?.length ?? 0) > 0) {
        throw new InferbenchError('model-invalid', `${what}: node '${node.name ?? node.opType ?? ''}' (${node.opType ?? ''}) has a subgraph, which inferbench's converter does not rewrite`, 'convert the model with onnxconverter-common / onnxruntime.quantization and pass it with --variant');
      }
    }
  }
}

/** Drops the initializers no node, graph output or graph input reads any more (after a rewrite). */
export function dropUnusedInitializers(graph: Graph): void {
  const used = new Set<string>();
  for (const n of graph.node ?? []) for (const name of n.input ?? []) used.add(name);
  for (const v of [...(graph.output ?? []), ...(graph.input ?? [])]) used.add(v.name ?? '');
  graph.initializer = (graph.initializer ?? []).filter((t) => used.has(t.name ?? ''));
}
