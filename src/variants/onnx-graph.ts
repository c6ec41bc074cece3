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

  /** Collects the names of `graph` and of every subgraph in it: a fresh name is new in every scope. */
  constructor(graph: Graph) {
    for (const g of allGraphs(graph)) {
      for (const n of g.node ?? []) {
        if (n.name) this.used.add(n.name);
        for (const name of [...(n.input ?? []), ...(n.output ?? [])]) this.used.add(name);
      }
      for (const t of g.initializer ?? []) if (t.name) this.used.add(t.name);
      for (const v of [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])]) if (v.name) this.used.add(v.name);
    }
  }

  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}

/** The graphs a node holds in its attributes: If's branches, Loop's and Scan's bodies. */
export function subgraphsOf(node: NodeProto): Graph[] {
  return (node.attribute ?? []).flatMap((a) => [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]);
}

/** `graph` and every graph nested in it, each before the graphs inside it. */
export function allGraphs(graph: Graph): Graph[] {
  const out: Graph[] = [graph];
  for (const node of graph.node ?? []) for (const sub of subgraphsOf(node)) out.push(...allGraphs(sub));
  return out;
}

/** Every node of `graph` and of its subgraphs. */
export function allNodes(graph: Graph): NodeProto[] {
  return allGraphs(graph).flatMap((g) => g.node ?? []);
}

/** The default-domain opset the model imports (0 when none). */
export function defaultOpset(model: Model): number {
  const main = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  return main ? toNumber(main.version) : 0;
}

/**
 * Main-graph initializers that a caller may override by feeding an input of the same name. From
 * IR version 4 an initializer listed in graph.input is a default value (ONNX IR spec; ONNX
 * Runtime's Graph::CanOverrideInitializer is `ir_version >= 4`); below IR 4 every initializer must
 * be listed as an input and is a constant. The converters leave overridable ones unconverted: a
 * fed value would replace them, so quantizing them would silently ignore what the caller feeds.
 */
export function overridableInitializers(model: Model): Set<string> {
  const graph = graphOf(model);
  if (toNumber(model.irVersion) < 4) return new Set();
  const inputs = new Set((graph.input ?? []).map((v) => v.name ?? ''));
  return new Set((graph.initializer ?? []).map((t) => t.name ?? '').filter((name) => inputs.has(name)));
}

/** Names read by the nodes of `graph` and its subgraphs (outer-scope references included) and by its outputs. */
function readNames(graph: Graph): Set<string> {
  const used = new Set<string>();
  for (const n of allNodes(graph)) for (const name of n.input ?? []) used.add(name);
  for (const g of allGraphs(graph)) for (const v of g.output ?? []) used.add(v.name ?? '');
  return used;
}

/**
 * Drops the initializers nothing reads any more (after a rewrite), in `graph` and its subgraphs.
 * Reads inside subgraphs count for the outer graph's initializers. An initializer that is also a
 * graph input stays when `keep` says so (an overridable default value).
 */
export function dropUnusedInitializers(graph: Graph, keep: (name: string) => boolean = (name) => (graph.input ?? []).some((v) => v.name === name)): void {
  for (const g of allGraphs(graph)) {
    const used = readNames(g);
    g.initializer = (g.initializer ?? []).filter((t) => used.has(t.name ?? '') || (g === graph && keep(t.name ?? '')));
  }
}

/** The graph-input entry that describes an initializer (its type and shape). */
function initializerInput(t: TensorProto): ValueInfo {
  return { name: t.name ?? '', type: { tensorType: { elemType: t.dataType ?? 0, shape: { dim: dimsOf(t).map((d) => ({ dimValue: d })) } } } };
}

/**
 * Puts the model's initializers in the form its IR version requires, after a converter added and
 * replaced some: unused ones are dropped everywhere, and below IR 4 — where every initializer must
 * also be a graph input (onnx.checker) — initializers are moved from subgraphs to the main graph
 * (names are unique across scopes, so an outer-scope reference means the same tensor; a subgraph's
 * inputs are its formal parameters and cannot grow), replaced ones leave graph.input, and new ones
 * are added to it with their type and shape.
 */
export function finishInitializers(model: Model): void {
  const graph = graphOf(model);
  const overridable = overridableInitializers(model);
  if (toNumber(model.irVersion) >= 4) {
    dropUnusedInitializers(graph, (name) => overridable.has(name));
    return;
  }
  for (const g of allGraphs(graph).slice(1)) {
    const formal = new Set((g.input ?? []).map((v) => v.name ?? ''));
    const moved = (g.initializer ?? []).filter((t) => !formal.has(t.name ?? ''));
    g.initializer = (g.initializer ?? []).filter((t) => formal.has(t.name ?? ''));
    graph.initializer = [...(graph.initializer ?? []), ...moved];
  }
  const before = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  dropUnusedInitializers(graph, () => false);
  const after = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  const listed = new Set<string>();
  graph.input = (graph.input ?? []).filter((v) => {
    listed.add(v.name ?? '');
    return !before.has(v.name ?? '') || after.has(v.name ?? '');
  });
  for (const t of graph.initializer ?? []) if (!listed.has(t.name ?? '')) graph.input.push(initializerInput(t));
}

/** Every tensor of the model kept in an external file (initializers and attribute tensors, all scopes). */
export function externalTensors(graph: Graph): string[] {
  const external = (t: TensorProto): boolean => t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL;
  const names: string[] = [];
  for (const g of allGraphs(graph)) {
    for (const t of g.initializer ?? []) if (external(t)) names.push(t.name ?? '');
    for (const n of g.node ?? []) for (const a of n.attribute ?? []) for (const t of [...(a.t ? [a.t] : []), ...(a.tensors ?? [])]) if (external(t)) names.push(t.name || n.name || '');
  }
  return names;
}
