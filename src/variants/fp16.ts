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
import { declineExternalData, VariantDeclined } from './declined.js';
import {
  allGraphs, attr, decodeModel, defaultOpset, DT, encodeModel, finishInitializers, graphOf, intAttr, makeNode, NameSource,
  overridableInitializers, rawBytes, type AttributeProto, type Graph, type NodeProto, type ValueInfo,
} from './onnx-graph.js';

/**
 * onnxconverter-common's DEFAULT_OP_BLOCK_LIST (the ai.onnx.ml ops and the ones with float-only
 * inputs or kernels), plus the random generators (float-only `dtype`) and the quantization ops
 * (their scales are float32 before opset 19). The ops that have no float16 form at all are kept
 * float32 whatever the list says (mustStayFloat).
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

/**
 * Ops whose ONNX type constraints have no float16 for an input or output that is float32, at the
 * opset they are used with (onnx.defs schemas, every version up to opset 17 checked, and the
 * operator changelog for 18–20): Celu, Range, TfIdfVectorizer (float only); CumSum before 14;
 * IsInf before 20; QuantizeLinear / DequantizeLinear scales before 19; DynamicQuantizeLinear's
 * scale; LayerNormalization's Mean / InvStdDev outputs (U: float, bfloat16); NonMaxSuppression's
 * boxes and scores; the scales of QLinearConv / QLinearMatMul and of ONNX Runtime's com.microsoft
 * quantized ops (QLinearAdd, QGemm, ...: float scales); every ai.onnx.ml op (float/double only).
 * MeanVarianceNormalization admits float16, but ONNX Runtime has no float16 kernel and expands
 * its function body, whose Constants are float (the conformance test_mvn fails to load).
 */
const FLOAT_ONLY_OPS: ReadonlySet<string> = new Set([
  'Celu', 'Range', 'TfIdfVectorizer', 'DynamicQuantizeLinear', 'NonMaxSuppression', 'MeanVarianceNormalization',
  'QGemm', 'DynamicQuantizeMatMul', 'MatMulIntegerToFloat', 'DynamicQuantizeLSTM', 'QAttention', 'QEmbedLayerNormalization',
]);
const FLOAT_ONLY_BEFORE: Readonly<Record<string, number>> = { CumSum: 14, IsInf: 20, QuantizeLinear: 19, DequantizeLinear: 19 };

/** Nodes that must keep float32 at `opset` (see FLOAT_ONLY_OPS), whatever the block list says. */
export function mustStayFloat(node: NodeProto, opset: number): boolean {
  const op = node.opType ?? '';
  if (node.domain === 'ai.onnx.ml' || op.startsWith('QLinear') || FLOAT_ONLY_OPS.has(op)) return true;
  if (opset < (FLOAT_ONLY_BEFORE[op] ?? 0)) return true;
  return op === 'LayerNormalization' && (node.output ?? []).filter(Boolean).length > 1;
}

/** Cast takes its target as an int from opset 6; Cast-1's string `to` has no ONNX Runtime kernel. */
const MIN_OPSET = 6;

/** Inputs that stay float32 even on a converted op (ORT transformers/float16.py ALWAYS_FLOAT_INPUTS; Resize-10 and Upsample take scales second). */
function floatOnlyInputs(node: NodeProto, opset: number): readonly number[] {
  switch (node.opType) {
    case 'Resize': return opset < 11 ? [1] : [2];
    case 'Upsample': return [1];
    case 'GroupNorm':
    case 'SkipGroupNorm': return [1, 2];
    default: return [];
  }
}

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
  declineExternalData(graph, 'fp16');
  const opset = defaultOpset(model);
  if (opset < MIN_OPSET) {
    throw new VariantDeclined(`fp16: the model's default-domain opset is ${opset}; the conversion needs Cast nodes, and before opset 6 Cast takes its type as a string and has no ONNX Runtime kernel (raise the model's opset, e.g. with onnx.version_converter, and convert that)`);
  }
  declineNonTensorValues(graph);
  const overridable = overridableInitializers(model);
  const before = weightBytesOf(graph);
  const { folded } = foldConstantWeights(graph, overridable);
  const blockList = options.opBlockList ?? FP16_OP_BLOCK_LIST;
  const isBlocked = (node: NodeProto): boolean => blockList.has(node.opType ?? '') || mustStayFloat(node, opset);
  const types = inferElementTypes(graph);
  const names = new NameSource(graph);
  const isFloat = (name: string): boolean => types.get(name) === DT.FLOAT;
  // Subgraphs (If branches, Loop / Scan bodies) convert like the main graph: names are unique
  // across scopes, so one set of float16 names and one rename serve them all.
  const graphs = allGraphs(graph);
  const original = graphs.map((g) => [...(g.node ?? [])]);
  const everyNode = original.flat();
  const counter = countFp16(graphs, everyNode, isFloat, isBlocked);
  const half = new Set<string>(); // names that are float16 in the result
  for (const [name, t] of types) if (t === DT.FLOAT) half.add(name);
  const keepIo = options.keepIoTypes ?? true;
  // Without keep_io_types every float input turns float16, overridable initializers with them.
  for (const name of convertInitializers(graphs, everyNode, isBlocked, keepIo ? overridable : new Set(), opset)) half.delete(name);
  const io = keepIo ? castGraphIo(graphs, everyNode, isFloat, names, half, overridable) : { inputCasts: [], outputCasts: [], fp32Source: new Map<string, string>() };
  const { inputCasts, outputCasts, fp32Source } = io;

  graphs.forEach((g, gi) => {
    // Each node with the Casts it needs right before and after it: the order stays topological.
    const nodes: NodeProto[] = gi === 0 ? [...inputCasts] : [];
    for (const node of original[gi] ?? []) {
      const before: NodeProto[] = [];
      const after: NodeProto[] = [];
      if (isBlocked(node)) {
        wrapBlocked(node, half, fp32Source, names, before, after);
      } else {
        convertAttributes(node);
        for (const i of floatOnlyInputs(node, opset)) {
          const name = node.input?.[i];
          if (name && half.has(name) && node.input) node.input[i] = fp32Source.get(name) ?? castTo(name, DT.FLOAT, names, before);
        }
      }
      nodes.push(...before, node, ...after);
    }
    if (gi === 0) nodes.push(...outputCasts);
    g.node = nodes;
    retype([...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])], half);
  });
  finishInitializers(model);
  return { bytes: encodeModel(model), coverage: counter.result(before, graph, folded) };
}

/**
 * Sequences and optionals carry an element type in their own type (seq(tensor(float))) and in ops'
 * attributes (SequenceEmpty's dtype), which the conversion does not rewrite: a float16 tensor
 * inserted into a float sequence does not load. Such models are declined.
 */
function declineNonTensorValues(graph: Graph): void {
  for (const g of allGraphs(graph)) {
    const value = [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])].find((v) => v.type && !v.type.tensorType);
    const node = (g.node ?? []).find((n) => NON_TENSOR_OPS.has(n.opType ?? ''));
    const what = value ? `value '${value.name ?? ''}' is not a tensor` : node ? `node '${node.name || node.opType || ''}' (${node.opType ?? ''}) works on sequences or optionals` : undefined;
    if (what) throw new VariantDeclined(`fp16: ${what}; the converter rewrites tensor element types only, not those inside sequences and optionals`);
  }
}

const NON_TENSOR_OPS: ReadonlySet<string> = new Set([
  'SequenceConstruct', 'SequenceEmpty', 'SequenceInsert', 'SequenceAt', 'SequenceErase', 'SequenceLength', 'SplitToSequence',
  'ConcatFromSequence', 'SequenceMap', 'Optional', 'OptionalGetElement', 'OptionalHasElement',
]);

/** Eligible: a node that reads or writes float32; converted: one not on the block list. */
function countFp16(graphs: readonly Graph[], nodes: readonly NodeProto[], isFloat: (name: string) => boolean, isBlocked: (node: NodeProto) => boolean): CoverageCounter {
  const initializers = new Map(graphs.flatMap((g) => g.initializer ?? []).map((t) => [t.name ?? '', t]));
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
 * each float32 graph output; the nodes in between (in every scope) are renamed to read and write
 * the fp16 copies.
 */
function castGraphIo(graphs: readonly Graph[], original: NodeProto[], isFloat: (name: string) => boolean, names: NameSource, half: Set<string>, overridable: ReadonlySet<string>): IoCasts {
  const [graph = {}, ...subgraphs] = graphs;
  const io: IoCasts = { inputCasts: [], outputCasts: [], fp32Source: new Map() };
  const rename = new Map<string, string>();
  const inputNames = new Set((graph.input ?? []).map((v) => v.name ?? ''));
  const initializerNames = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  const produced = new Set((graph.node ?? []).flatMap((n) => n.output ?? []));
  for (const v of graph.input ?? []) {
    // An input that is also a constant initializer (IR < 4) is a weight: it follows the weights.
    // An overridable one (IR >= 4) is an input: it stays float32 for the caller to feed.
    if (!v.name || !isFloat(v.name) || (initializerNames.has(v.name) && !overridable.has(v.name))) continue;
    const inner = names.fresh(`${v.name}_fp16`);
    rename.set(v.name, inner);
    io.fp32Source.set(inner, v.name);
    io.inputCasts.push(makeNode('Cast', [v.name], [inner], names.fresh(`graph_input_cast_${v.name}`), [intAttr('to', DT.FLOAT16)]));
    half.delete(v.name);
    half.add(inner);
  }
  for (const v of graph.output ?? []) {
    if (!v.name || !isFloat(v.name) || inputNames.has(v.name) || !produced.has(v.name)) continue;
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
  // A subgraph output may name an outer value directly (an If branch returning a graph input).
  for (const g of subgraphs) for (const v of g.output ?? []) v.name = rename.get(v.name ?? '') ?? v.name;
  return io;
}

/**
 * Converts every float32 initializer (in any scope) that some converted op reads at a position
 * that may be float16, or that a subgraph returns; the others stay float32, and so do overridable
 * ones (they are inputs). Returns the names kept float32.
 */
function convertInitializers(graphs: readonly Graph[], nodes: NodeProto[], isBlocked: (node: NodeProto) => boolean, overridable: ReadonlySet<string>, opset: number): Set<string> {
  const needsHalf = new Set<string>(graphs.slice(1).flatMap((g) => (g.output ?? []).map((v) => v.name ?? '')));
  for (const node of nodes) {
    if (isBlocked(node)) continue;
    const floatOnly = floatOnlyInputs(node, opset);
    (node.input ?? []).forEach((name, i) => {
      if (!floatOnly.includes(i)) needsHalf.add(name);
    });
  }
  const kept = new Set<string>();
  for (const init of graphs.flatMap((g) => g.initializer ?? [])) {
    if (init.dataType !== DT.FLOAT || !init.name) continue;
    if (needsHalf.has(init.name) && !overridable.has(init.name)) convertTensorToFp16(init);
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
