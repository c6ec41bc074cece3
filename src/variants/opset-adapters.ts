// The steps of opset-upgrade.ts that change a node: one converter per operator and opset version
// whose definition changed in a way onnx's version converter adapts (onnx/version_converter/
// adapters/*.h, named at each), plus the 6 → 7 and Resize-11 details those adapters leave out.
// A converter mutates the node and returns the nodes to place before and after it (Constant
// inputs, a Flatten/Reshape pair), or why it cannot convert this node.
import { AT, attr, DT, floatAttrValue, intAttr, makeNode, onnx, rawBytes, toNumber, type AttributeProto, type NodeProto, type TensorProto } from './onnx-graph.js';
import type { GraphFacts } from './opset-facts.js';

/** A step's converter: mutates `node`, returns nodes to place before and after it, or why it cannot. */
export type Converter = (node: NodeProto, facts: GraphFacts) => { before?: NodeProto[]; after?: NodeProto[]; change: string } | { refuse: string };

/** onnx's Softmax_12_13 is registered for Softmax and LogSoftmax; Hardmax-13 changed the same way, though onnx lists it as compatible. */
export const MEANING_CHANGED: ReadonlySet<string> = new Set(['Hardmax-13']);

const ints = (node: NodeProto, name: string): number[] | undefined => {
  const a = attr(node, name);
  if (a?.type === AT.INT) return [toNumber(a.i as number)];
  return a ? (a.ints ?? []).map((v) => toNumber(v as number)) : undefined;
};
const floats = (node: NodeProto, name: string): number[] | undefined => {
  const a = attr(node, name);
  return a ? [...(a.floats ?? [])] : undefined;
};
const stringAttr = (node: NodeProto, name: string): string | undefined => {
  const a = attr(node, name);
  return a?.s ? new TextDecoder().decode(a.s) : undefined;
};
const dropAttrs = (node: NodeProto, ...names: string[]): void => {
  node.attribute = (node.attribute ?? []).filter((a) => !names.includes(a.name ?? ''));
};
const stringA = (name: string, value: string): AttributeProto => ({ name, type: AT.STRING, s: new TextEncoder().encode(value) });

/** A Constant node holding `t`, and its output name. */
function constant(facts: GraphFacts, base: string, t: TensorProto): { node: NodeProto; name: string } {
  const name = facts.names.fresh(base);
  const value = { ...t, name };
  const node = makeNode('Constant', [], [name], facts.names.fresh(`${base}_Constant`), [{ name: 'value', type: AT.TENSOR, t: value }]);
  facts.remember(name, value);
  return { node, name };
}
const int64Tensor = (dims: number[], values: number[]): TensorProto => ({ dataType: DT.INT64, dims, rawData: rawBytes(BigInt64Array.from(values, (v) => BigInt(v))) });

/** A scalar of element type float32 or float64 (float16 bounds are not written: refused), for Clip and Pad. */
function floatScalar(elemType: number, value: number): TensorProto | undefined {
  if (elemType === DT.FLOAT) return { dataType: DT.FLOAT, dims: [], rawData: rawBytes(Float32Array.of(value)) };
  if (elemType === DT.DOUBLE) return { dataType: DT.DOUBLE, dims: [], rawData: rawBytes(Float64Array.of(value)) };
  return undefined;
}

/** An attribute list → int64 inputs appended in order (Slice_9_10, TopK_9_10, AxesAttributeToInput, Split_12_13). */
function attrsToInputs(node: NodeProto, facts: GraphFacts, names: string[], shapes: (values: number[]) => number[]): NodeProto[] {
  const before: NodeProto[] = [];
  for (const name of names) {
    const values = ints(node, name);
    if (values === undefined) break;
    const c = constant(facts, `${node.output?.[0] ?? name}_${name}`, int64Tensor(shapes(values), values));
    before.push(c.node);
    node.input = [...(node.input ?? []), c.name];
  }
  dropAttrs(node, ...names);
  return before;
}

/** The steps with an adapter, keyed `Op-version` (the version whose definition the node moves to). */
export const CONVERSIONS: Readonly<Record<string, Converter>> = {
  // 6 → 7: numpy-style broadcasting replaced the `broadcast`/`axis` attributes
  // (adapters/broadcast_forward_compatibility.h), and inference-only `is_test` went away.
  ...Object.fromEntries(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'And', 'Or', 'Xor', 'Equal', 'Greater', 'Less'].map((op) => [`${op}-7`, broadcast6To7])),
  // adapters/gemm_6_7.h: C broadcasts unidirectionally from 7 on, as broadcast = 1 did.
  'Gemm-7': (node) => {
    dropAttrs(node, 'broadcast');
    return { change: 'broadcast attribute dropped (Gemm-7)' };
  },
  // convert.h: RemoveAttributeNotEq(kis_test, 0) — only the inference form (is_test = 1) has a 7 form.
  'BatchNormalization-7': isTestRemoved,
  'Dropout-7': isTestRemoved,
  // convert.h: RemoveAttribute(kspatial, 1) — only spatial = 1 (the default) has a BatchNormalization-9 form.
  'BatchNormalization-9': (node) => {
    const spatial = attr(node, 'spatial');
    if (spatial && toNumber(spatial.i as number) !== 1) return { refuse: 'spatial = 0 (per-activation statistics) has no BatchNormalization-9 form' };
    dropAttrs(node, 'spatial');
    return { change: 'spatial attribute dropped (BatchNormalization-9)' };
  },
  // adapters/upsample_8_9.h: scales attribute → input.
  'Upsample-9': (node, facts) => {
    const scales = floats(node, 'scales');
    if (!scales) return { refuse: 'no scales attribute' };
    const c = constant(facts, `${node.output?.[0] ?? 'upsample'}_scales`, { dataType: DT.FLOAT, dims: [scales.length], rawData: rawBytes(Float32Array.from(scales)) });
    node.input = [node.input?.[0] ?? '', c.name];
    dropAttrs(node, 'scales');
    return { before: [c.node], change: 'scales attribute → input (Upsample-9)' };
  },
  // adapters/upsample_9_10.h: Upsample (deprecated at 10) → Resize-10 with its mode and inputs.
  'Upsample-10': (node) => {
    node.opType = 'Resize';
    return { change: 'Upsample → Resize (Upsample was removed at 10)' };
  },
  'Resize-11': resize10To11,
  // adapters/slice_9_10.h: starts, ends, axes attributes → inputs.
  'Slice-10': (node, facts) => ({ before: attrsToInputs(node, facts, ['starts', 'ends', 'axes'], (v) => [v.length]), change: 'starts/ends/axes attributes → inputs (Slice-10)' }),
  // adapters/topk_9_10.h: k attribute → a [1] input.
  'TopK-10': (node, facts) => ({ before: attrsToInputs(node, facts, ['k'], () => [1]), change: 'k attribute → input (TopK-10)' }),
  'Clip-11': clip6To11,
  'Pad-11': pad2To11,
  // adapters/scatter_10_11.h: Scatter (deprecated at 11) → ScatterElements, same inputs and axis.
  'Scatter-11': (node) => {
    node.opType = 'ScatterElements';
    return { change: 'Scatter → ScatterElements (Scatter was removed at 11)' };
  },
  // adapters/dropout_11_12.h: ratio attribute → input (0.5 when absent).
  'Dropout-12': (node, facts) => {
    const ratio = floatAttrValue(node, 'ratio', 0.5);
    const c = constant(facts, `${node.output?.[0] ?? 'dropout'}_ratio`, { dataType: DT.FLOAT, dims: [], rawData: rawBytes(Float32Array.of(ratio)) });
    node.input = [node.input?.[0] ?? '', c.name];
    dropAttrs(node, 'ratio');
    return { before: [c.node], change: 'ratio attribute → input (Dropout-12)' };
  },
  // adapters/axes_attribute_to_input.h.
  'Squeeze-13': axesToInput,
  'Unsqueeze-13': axesToInput,
  'ReduceSum-13': axesToInput,
  // adapters/split_12_13.h: split attribute → input.
  'Split-13': (node, facts) => ({ before: attrsToInputs(node, facts, ['split'], (v) => [v.length]), change: 'split attribute → input (Split-13)' }),
  'Softmax-13': softmax12To13,
  'LogSoftmax-13': softmax12To13,
  'Hardmax-13': softmax12To13,
};

function isTestRemoved(node: NodeProto): ReturnType<Converter> {
  if (toNumber(attr(node, 'is_test')?.i as number) !== 1) return { refuse: 'is_test = 0 (training mode) has no opset-7 form' };
  dropAttrs(node, 'is_test');
  return { change: `is_test attribute dropped (${node.opType ?? ''}-7)` };
}

/**
 * Before 7, B broadcast onto A only with broadcast = 1: its dims matched A's from `axis` on (or,
 * without axis, A's last dims, which is numpy's rule); from 7 both broadcast as numpy does. When
 * B lines up with A's last dims nothing changes; a constant B aligned earlier is reshaped to
 * carry trailing 1s (the rank of A must be known for that).
 */
function broadcast6To7(node: NodeProto, facts: GraphFacts): ReturnType<Converter> {
  const legacy = toNumber(attr(node, 'broadcast')?.i as number) === 1;
  const axisAttr = attr(node, 'axis');
  dropAttrs(node, 'broadcast', 'axis');
  const change = `broadcast/axis attributes dropped (${node.opType ?? ''}-7)`;
  if (!legacy || !axisAttr) return { change };
  const [a = '', b = ''] = node.input ?? [];
  const rankA = facts.rank(a) ?? facts.rank(node.output?.[0] ?? '');
  const dimsB = facts.constantDims(b);
  if (rankA === undefined || dimsB === undefined) return { refuse: `broadcast with axis ${toNumber(axisAttr.i as number)} onto an input of unknown rank` };
  const axis = toNumber(axisAttr.i as number) < 0 ? toNumber(axisAttr.i as number) + rankA : toNumber(axisAttr.i as number);
  const trailing = rankA - axis - dimsB.length;
  if (trailing < 0) return { refuse: `broadcast of rank ${dimsB.length} at axis ${axis} of rank ${rankA}` };
  if (trailing === 0) return { change };
  const shape = constant(facts, `${b}_shape`, int64Tensor([dimsB.length + trailing], [...dimsB, ...new Array<number>(trailing).fill(1)]));
  const reshaped = facts.names.fresh(`${b}_reshaped`);
  node.input = [a, reshaped];
  return { before: [shape.node, makeNode('Reshape', [b, shape.name], [reshaped], facts.names.fresh(`${b}_Reshape`))], change: `broadcast at axis ${axis} written as a Reshape of B (${node.opType ?? ''}-7)` };
}

function axesToInput(node: NodeProto, facts: GraphFacts): ReturnType<Converter> {
  return { before: attrsToInputs(node, facts, ['axes'], (v) => [v.length]), change: `axes attribute → input (${node.opType ?? ''}-13)` };
}

/**
 * adapters/clip_10_11.h: min and max attributes → inputs of the input's element type. A missing
 * min is the empty name (an omitted optional input) rather than onnx's lowest float.
 */
function clip6To11(node: NodeProto, facts: GraphFacts): ReturnType<Converter> {
  const min = attr(node, 'min');
  const max = attr(node, 'max');
  const elemType = facts.elemType(node.input?.[0] ?? '') ?? DT.FLOAT;
  if (!floatScalar(elemType, 0)) return { refuse: `bounds of element type ${onnx.TensorProto.DataType[elemType] ?? elemType} are not written` };
  const before: NodeProto[] = [];
  const bound = (a: AttributeProto | undefined, name: string): string => {
    if (!a) return '';
    const c = constant(facts, `${node.output?.[0] ?? 'clip'}_${name}`, floatScalar(elemType, a.f ?? 0)!);
    before.push(c.node);
    return c.name;
  };
  const inputs = [node.input?.[0] ?? '', bound(min, 'min'), bound(max, 'max')];
  node.input = max ? inputs : min ? inputs.slice(0, 2) : inputs.slice(0, 1);
  dropAttrs(node, 'min', 'max');
  return { before, change: 'min/max attributes → inputs (Clip-11)' };
}

/** adapters/pad_10_11.h: pads attribute → input; for mode constant, value attribute → constant_value input. */
function pad2To11(node: NodeProto, facts: GraphFacts): ReturnType<Converter> {
  const pads = ints(node, 'pads');
  if (!pads) return { refuse: 'no pads attribute' };
  const mode = stringAttr(node, 'mode') ?? 'constant';
  const p = constant(facts, `${node.output?.[0] ?? 'pad'}_pads`, int64Tensor([pads.length], pads));
  const before = [p.node];
  node.input = [node.input?.[0] ?? '', p.name];
  if (mode === 'constant') {
    const value = floatAttrValue(node, 'value', 0);
    const t = floatScalar(facts.elemType(node.input[0] ?? '') ?? DT.FLOAT, value);
    if (!t) return { refuse: 'a constant Pad on an element type other than float32/float64' };
    const v = constant(facts, `${node.output?.[0] ?? 'pad'}_value`, t);
    before.push(v.node);
    node.input.push(v.name);
  }
  dropAttrs(node, 'pads', 'value');
  return { before, change: 'pads/value attributes → inputs (Pad-11)' };
}

/**
 * adapters/resize_10_11.h inserts the roi input; Resize-11 also changed the default coordinate
 * mapping to half_pixel, which the adapter leaves implicit. Resize-10 (and Upsample) map output
 * to input coordinates as `asymmetric` (x_in = x_out / scale) and, for nearest, round toward
 * floor when upsampling and ceil when downsampling (onnxruntime upsamplebase.h, NearestMode
 * SIMPLE), so both are written out explicitly: the node computes what it computed before.
 */
function resize10To11(node: NodeProto, facts: GraphFacts): ReturnType<Converter> {
  const [x = '', scales = ''] = node.input ?? [];
  const mode = stringAttr(node, 'mode') ?? 'nearest';
  const extra: AttributeProto[] = [stringA('coordinate_transformation_mode', 'asymmetric')];
  if (mode === 'nearest') {
    const values = facts.constantFloats(scales);
    if (!values) return { refuse: 'nearest with scales computed at run time: its rounding depends on them' };
    const up = values.every((s) => s >= 1);
    const down = values.every((s) => s <= 1);
    if (!up && !down) return { refuse: 'nearest that upsamples one axis and downsamples another' };
    extra.push(stringA('nearest_mode', up ? 'floor' : 'ceil'));
  } else if (mode !== 'linear') {
    return { refuse: `mode ${mode}` };
  }
  const roi = constant(facts, `${node.output?.[0] ?? 'resize'}_roi`, { dataType: DT.FLOAT, dims: [0], rawData: new Uint8Array(0) });
  node.input = [x, roi.name, scales];
  dropAttrs(node, 'coordinate_transformation_mode', 'nearest_mode');
  node.attribute = [...(node.attribute ?? []), ...extra];
  return { before: [roi.node], change: 'roi input added, asymmetric coordinates kept (Resize-11)' };
}

/**
 * adapters/softmax_12_13.h: before 13, Softmax/LogSoftmax/Hardmax flatten the input to 2-D at
 * `axis` (default 1) and normalize each row; from 13 they normalize along `axis` (default −1).
 * When axis is the last one the two agree; otherwise the old meaning is kept by writing it out:
 * Flatten(axis) → op(axis = −1) → Reshape to Shape(x). No axis is refused, so raising to 13
 * declines nothing that raising to 11 would not.
 */
function softmax12To13(node: NodeProto, facts: GraphFacts): ReturnType<Converter> {
  const x = node.input?.[0] ?? '';
  const out = node.output?.[0] ?? '';
  let axis = attr(node, 'axis') ? toNumber(attr(node, 'axis')?.i as number) : 1;
  const rank = facts.rank(x) ?? facts.rank(out); // the output has the input's shape
  if (axis < 0 && rank !== undefined) axis += rank;
  dropAttrs(node, 'axis');
  node.attribute = [...(node.attribute ?? []), intAttr('axis', -1)];
  if (axis === -1 || (rank !== undefined && axis === rank - 1)) return { change: `last-axis ${node.opType ?? ''}: axis = −1 (${node.opType ?? ''}-13)` };
  // A negative axis of unknown rank stays negative: Flatten counts it from the back as Softmax-11 did.
  const shape = facts.names.fresh(`${x}_shape`);
  const flat = facts.names.fresh(`${x}_flattened`);
  const inner = facts.names.fresh(`${out}_2d`);
  node.input = [flat, ...(node.input ?? []).slice(1)];
  node.output = [inner, ...(node.output ?? []).slice(1)];
  return {
    before: [
      makeNode('Shape', [x], [shape], facts.names.fresh(`${x}_Shape`)),
      makeNode('Flatten', [x], [flat], facts.names.fresh(`${x}_Flatten`), [intAttr('axis', axis)]),
    ],
    after: [makeNode('Reshape', [inner, shape], [out], facts.names.fresh(`${out}_Reshape`))],
    change: `axis ${axis} kept as Flatten → ${node.opType ?? ''}(axis −1) → Reshape (${node.opType ?? ''}-13)`,
  };
}
