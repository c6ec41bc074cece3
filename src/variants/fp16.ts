// fp32 → fp16 conversion of an ONNX model, after onnxconverter-common's
// `float16.convert_float_to_float16` (microsoft/onnxconverter-common, onnxconverter_common/float16.py)
// and the refinement in onnxruntime/python/tools/transformers/float16.py:
// - float32 initializers, Constant / ConstantOfShape tensors, graph inputs/outputs and value_info
//   become float16, values clamped to the float16 range (fp16-tensor.ts);
// - Cast(to=float) becomes Cast(to=float16), so e.g. a mask cast to float joins the fp16 graph;
// - ops on the block list (no float16 kernel, or inputs that must stay float32: Resize scales,
//   Range, TopK, ...) keep running in float32 between Cast nodes; an initializer that only such
//   ops read stays float32 (the ORT refinement; onnxconverter-common converts it and casts back);
// - keep_io_types (default here, unlike onnxconverter-common) casts float32 graph inputs to
//   float16 right after the input and float16 results back to float32 right before each output,
//   so callers feed and read the same types as the fp32 model.
// Integer tensors (Reshape shapes, Gather indices, Slice bounds) are never touched: only float32
// is converted. ONNX Runtime's CPU EP inserts its own casts around ops that lack fp16 kernels.
// Weights held in Constant nodes are folded into initializers first (fold-constants.ts) so that
// Identity/Cast chains over them do not hide them, and the result counts the nodes that compute
// in float16 (coverage.ts).
import { CoverageCounter, weightBytesOf, type VariantCoverage } from './coverage.js';
import { inferElementTypes } from './elem-types.js';
import { foldConstantWeights } from './fold-constants.js';
import { convertTensorToFp16, toFloat16Bits } from './fp16-tensor.js';
import {
  assertNoSubgraphs, attr, decodeModel, DT, encodeModel, graphOf, intAttr, makeNode, NameSource, rawBytes,
  type AttributeProto, type Graph, type NodeProto, type ValueInfo,
} from './onnx-graph.js';

/**
 * onnxconverter-common's DEFAULT_OP_BLOCK_LIST (the ai.onnx.ml ops and the ones with float-only
 * inputs or kernels), plus the random generators (float-only `dtype`) and the quantization ops
 * (their scales are float32 before opset 19).
 */
export const FP16_OP_BLOCK_LIST: ReadonlySet<string> = new Set([
  'ArrayFeatureExtractor', 'Binarizer', 'CastMap', 'CategoryMapper', 'DictVectorizer', 'FeatureVectorizer',
  'Imputer', 'LabelEncoder', 'LinearClassifier', 'LinearRegressor', 'Normalizer', 'OneHotEncoder',
  'RandomUniformLike', 'SVMClassifier', 'SVMRegressor', 'Scaler', 'TreeEnsembleClassifier',
  'TreeEnsembleRegressor', 'ZipMap', 'NonMaxSuppression', 'TopK', 'RoiAlign', 'Resize', 'Range', 'CumSum',
  'Min', 'Max', 'Upsample',
  'RandomNormal', 'RandomUniform', 'RandomNormalLike', 'Multinomial', 'Bernoulli', 'EyeLike',
  'QuantizeLinear', 'DequantizeLinear', 'DynamicQuantizeLinear',
]);

/** Inputs that stay float32 even on a converted op (ORT transformers/float16.py ALWAYS_FLOAT_INPUTS). */
const ALWAYS_FLOAT_INPUTS: Readonly<Record<string, readonly number[]>> = { Resize: [2], GroupNorm: [1, 2], SkipGroupNorm: [1, 2] };

export interface Fp16Options {
  /** Keep float32 graph inputs and outputs, with Cast nodes at the boundary. Default true. */
  keepIoTypes?: boolean;
  /** Op types to leave in float32. Default FP16_OP_BLOCK_LIST. */
  opBlockList?: ReadonlySet<string>;
}

/** Converts an fp32 ONNX model (bytes) to fp16 and returns the new model's bytes. */
export function convertToFp16(bytes: Uint8Array, options: Fp16Options = {}): Uint8Array {
  return convertToFp16WithCoverage(bytes, options).bytes;
}

/** convertToFp16, with the nodes that compute in float16 out of those that touch float32. */
export function convertToFp16WithCoverage(bytes: Uint8Array, options: Fp16Options = {}): { bytes: Uint8Array; coverage: VariantCoverage } {
  const model = decodeModel(bytes);
  const graph = graphOf(model);
  assertNoSubgraphs(graph, 'fp16 conversion');
  const before = weightBytesOf(graph);
  const { folded } = foldConstantWeights(graph);
  const blockList = options.opBlockList ?? FP16_OP_BLOCK_LIST;
  const isBlocked = (node: NodeProto): boolean => blockList.has(node.opType ?? '');
  const types = inferElementTypes(graph);
  const names = new NameSource(graph);
  const isFloat = (name: string): boolean => types.get(name) === DT.FLOAT;
  const original = [...(graph.node ?? [])];
  const counter = countFp16(graph, original, isFloat, isBlocked);
  const half = new Set<string>(); // names that are float16 in the result
  for (const [name, t] of types) if (t === DT.FLOAT) half.add(name);
  for (const name of convertInitializers(graph, original, isBlocked)) half.delete(name);
  const io = options.keepIoTypes ?? true ? castGraphIo(graph, original, isFloat, names, half) : { inputCasts: [], outputCasts: [], fp32Source: new Map<string, string>() };
  const { inputCasts, outputCasts, fp32Source } = io;

  // Each node with the Casts it needs right before and after it: the order stays topological.
  const nodes: NodeProto[] = [...inputCasts];
  for (const node of original) {
    const before: NodeProto[] = [];
    const after: NodeProto[] = [];
    if (isBlocked(node)) {
      wrapBlocked(node, half, fp32Source, names, before, after);
    } else {
      convertAttributes(node);
      for (const i of ALWAYS_FLOAT_INPUTS[node.opType ?? ''] ?? []) {
        const name = node.input?.[i];
        if (name && half.has(name) && node.input) node.input[i] = fp32Source.get(name) ?? castTo(name, DT.FLOAT, names, before);
      }
    }
    nodes.push(...before, node, ...after);
  }
  nodes.push(...outputCasts);
  graph.node = nodes;
  retype([...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])], half);
  return { bytes: encodeModel(model), coverage: counter.result(before, graph, folded) };
}

/** Eligible: a node that reads or writes float32; converted: one not on the block list. */
function countFp16(graph: Graph, nodes: readonly NodeProto[], isFloat: (name: string) => boolean, isBlocked: (node: NodeProto) => boolean): CoverageCounter {
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const counter = new CoverageCounter();
  for (const node of nodes) {
    if (![...(node.input ?? []), ...(node.output ?? [])].some((name) => name && isFloat(name))) continue;
    const w = initializers.get(node.input?.[1] ?? '');
    const weight = w?.dataType === DT.FLOAT ? w : undefined;
    counter.eligible(node, weight);
    if (!isBlocked(node)) counter.converted(node, weight);
  }
  return counter;
}

interface IoCasts {
  inputCasts: NodeProto[];
  outputCasts: NodeProto[];
  /** float16 copy of a float32 graph input → the input, for blocked ops to read directly. */
  fp32Source: Map<string, string>;
}

/**
 * keep_io_types: a Cast to float16 after each float32 graph input and a Cast to float32 before
 * each float32 graph output; the nodes in between are renamed to read and write the fp16 copies.
 */
function castGraphIo(graph: Graph, original: NodeProto[], isFloat: (name: string) => boolean, names: NameSource, half: Set<string>): IoCasts {
  const io: IoCasts = { inputCasts: [], outputCasts: [], fp32Source: new Map() };
  const rename = new Map<string, string>();
  const inputNames = new Set((graph.input ?? []).map((v) => v.name ?? ''));
  const initializerNames = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  for (const v of graph.input ?? []) {
    // An input that is also an initializer (IR < 4 style) is a weight: it follows the weights.
    if (!v.name || !isFloat(v.name) || initializerNames.has(v.name)) continue;
    const inner = names.fresh(`${v.name}_fp16`);
    rename.set(v.name, inner);
    io.fp32Source.set(inner, v.name);
    io.inputCasts.push(makeNode('Cast', [v.name], [inner], names.fresh(`graph_input_cast_${v.name}`), [intAttr('to', DT.FLOAT16)]));
    half.delete(v.name);
    half.add(inner);
  }
  for (const v of graph.output ?? []) {
    if (!v.name || !isFloat(v.name) || inputNames.has(v.name)) continue;
    const inner = names.fresh(`${v.name}_fp16`);
    rename.set(v.name, inner);
    io.outputCasts.push(makeNode('Cast', [inner], [v.name], names.fresh(`graph_output_cast_${v.name}`), [intAttr('to', DT.FLOAT)]));
    half.delete(v.name);
    half.add(inner);
  }
  for (const node of original) {
    node.input = (node.input ?? []).map((n) => rename.get(n) ?? n);
    node.output = (node.output ?? []).map((n) => rename.get(n) ?? n);
  }
  return io;
}

/**
 * Converts every float32 initializer that some converted op reads (at a position that may be
 * float16); the others stay float32. Returns the names kept float32.
 */
function convertInitializers(graph: Graph, nodes: NodeProto[], isBlocked: (node: NodeProto) => boolean): Set<string> {
  const needsHalf = new Set<string>();
  for (const node of nodes) {
    if (isBlocked(node)) continue;
    const floatOnly = ALWAYS_FLOAT_INPUTS[node.opType ?? ''] ?? [];
    (node.input ?? []).forEach((name, i) => {
      if (!floatOnly.includes(i)) needsHalf.add(name);
    });
  }
  const kept = new Set<string>();
  for (const init of graph.initializer ?? []) {
    if (init.dataType !== DT.FLOAT || !init.name) continue;
    if (needsHalf.has(init.name)) convertTensorToFp16(init);
    else kept.add(init.name);
  }
  return kept;
}

/**
 * Casts a blocked node's float16 inputs to float32 (reading a float32 graph input directly rather
 * than its float16 copy) and its float32 outputs back to float16.
 */
function wrapBlocked(node: NodeProto, half: Set<string>, fp32Source: Map<string, string>, names: NameSource, before: NodeProto[], after: NodeProto[]): void {
  node.input = (node.input ?? []).map((name) => {
    if (!name || !half.has(name)) return name;
    return fp32Source.get(name) ?? castTo(name, DT.FLOAT, names, before);
  });
  node.output = (node.output ?? []).map((name) => {
    if (!name || !half.has(name)) return name;
    const fp32 = names.fresh(`${name}_fp32`);
    after.push(makeNode('Cast', [fp32], [name], names.fresh(`${name}_to_fp16`), [intAttr('to', DT.FLOAT16)]));
    return fp32;
  });
}

function castTo(name: string, to: number, names: NameSource, added: NodeProto[]): string {
  const suffix = to === DT.FLOAT ? 'fp32' : 'fp16';
  const out = names.fresh(`${name}_${suffix}`);
  added.push(makeNode('Cast', [name], [out], names.fresh(`${name}_to_${suffix}`), [intAttr('to', to)]));
  return out;
}

/** Cast(to=float) → float16; float32 tensors in Constant / ConstantOfShape attributes → float16. */
function convertAttributes(node: NodeProto): void {
  if (node.opType === 'Cast') {
    const to = attr(node, 'to');
    if (to && Number(to.i) === DT.FLOAT) to.i = DT.FLOAT16;
    return;
  }
  node.attribute = (node.attribute ?? []).map((a) => convertAttribute(node, a));
  // ConstantOfShape without `value` makes float32 zeros: make them float16 zeros.
  if (node.opType === 'ConstantOfShape' && !attr(node, 'value')) {
    node.attribute.push({ name: 'value', type: 4 /* TENSOR */, t: { dataType: DT.FLOAT16, dims: [1], rawData: new Uint8Array(2) } });
  }
}

function convertAttribute(node: NodeProto, a: AttributeProto): AttributeProto {
  if (a.t) convertTensorToFp16(a.t);
  for (const t of a.tensors ?? []) convertTensorToFp16(t);
  if (node.opType === 'Constant' && (a.name === 'value_float' || a.name === 'value_floats')) {
    const values = a.name === 'value_float' ? Float32Array.of(a.f ?? 0) : Float32Array.from(a.floats ?? []);
    const dims = a.name === 'value_float' ? [] : [values.length];
    return { name: 'value', type: 4 /* TENSOR */, t: { dataType: DT.FLOAT16, dims, rawData: rawBytes(toFloat16Bits(values)) } };
  }
  return a;
}

function retype(values: ValueInfo[], half: Set<string>): void {
  for (const v of values) {
    const tensorType = v.type?.tensorType;
    if (v.name && tensorType?.elemType === DT.FLOAT && half.has(v.name)) tensorType.elemType = DT.FLOAT16;
  }
}
