#!/usr/bin/env node
// Older-opset fixtures for the precision variants (inferbench issue 21), in fixtures/opset/:
// small Conv / MatMul / Gemm models at opsets 7, 9, 10, 11 and 13 whose other operators are the
// ones whose definition changed between those versions and the opsets the int8 converters need
// (11 for DynamicQuantizeLinear, 13 for a per-axis DequantizeLinear), and a Paddle2ONNX-style
// opset-9 model (hard-swish as Clip with min/max attributes, Slice with attributes, every weight
// a Constant node). Each model has one fixed-shape input `image` [1, 3, 16, 16] (float32) and
// one output; weights are seeded, so re-running writes byte-identical files (a few KB each).
//
//   node scripts/make-opset-fixtures.mjs [outDir]     (default fixtures/opset; part of npm run fixtures)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';
import { DT, Graph, rngFor } from './make-fixtures.mjs';

const { onnx } = onnxProto;
const AT = onnx.AttributeProto.AttributeType;
const int = (i) => ({ type: AT.INT, i });
const float = (f) => ({ type: AT.FLOAT, f });
const ints = (values) => ({ type: AT.INTS, ints: values });
const floats = (values) => ({ type: AT.FLOATS, floats: values });
const str = (s) => ({ type: AT.STRING, s: new TextEncoder().encode(s) });

const CONV3 = { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]), strides: ints([1, 1]) };

/** The model at `opset` (IR version 3 for opset ≤ 8, as exporters of that time wrote; 4–7 after). */
function encodeAt(g, opset, doc) {
  const irVersion = opset <= 8 ? 3 : opset <= 9 ? 4 : opset <= 10 ? 5 : opset <= 11 ? 6 : 7;
  // IR 3 requires every initializer to be listed among the graph inputs.
  const inputs = irVersion < 4 ? [...g.inputs, ...g.initializers.map((t) => ({ name: t.name, type: { tensorType: { elemType: t.dataType, shape: { dim: t.dims.map((d) => ({ dimValue: d })) } } } }))] : g.inputs;
  const model = {
    irVersion,
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'inferbench-fixtures',
    producerVersion: '1',
    docString: doc,
    graph: { name: g.name, node: g.nodes, initializer: g.initializers, input: inputs, output: g.outputs },
  };
  const err = onnx.ModelProto.verify(model);
  if (err) throw new Error(`${g.name}: invalid ModelProto: ${err}`);
  return onnx.ModelProto.encode(model).finish();
}

/** Conv weight [cout, cin, 3, 3] and bias, as initializers (or Constant nodes with `asConstants`). */
function convLayer(g, rng, name, cin, cout, input, asConstants = false) {
  const fanIn = cin * 9;
  const put = asConstants ? g.constant.bind(g) : g.weight.bind(g);
  const w = put(`${name}.weight`, [cout, cin, 3, 3], rng.he(cout * fanIn, fanIn));
  const b = put(`${name}.bias`, [cout], rng.normal(cout, 0.05));
  return g.node('Conv', [input, w, b], CONV3);
}

function batchNorm(g, rng, name, channels, input, attrs = {}) {
  const scale = g.weight(`${name}.scale`, [channels], Float32Array.from(rng.normal(channels, 0.1), (v) => 1 + v));
  const bias = g.weight(`${name}.bias`, [channels], rng.normal(channels, 0.1));
  const mean = g.weight(`${name}.mean`, [channels], rng.normal(channels, 0.1));
  const variance = g.weight(`${name}.var`, [channels], Float32Array.from(rng.normal(channels, 0.1), (v) => 1 + Math.abs(v)));
  return g.node('BatchNormalization', [input, scale, bias, mean, variance], { epsilon: float(1e-5), ...attrs });
}

/** GlobalAveragePool → Flatten → Gemm(transB) → [1, 10]. */
function head(g, rng, channels, input) {
  const flat = g.node('Flatten', [g.node('GlobalAveragePool', [input])], { axis: int(1) });
  const w = g.weight('fc.weight', [10, channels], rng.xavier(10 * channels, channels, 10));
  const b = g.weight('fc.bias', [10], rng.normal(10, 0.05));
  return g.node('Gemm', [flat, w, b], { transB: int(1) });
}

/** Opset 7: BatchNormalization with spatial, Upsample with a scales attribute, Dropout with ratio, Softmax axis 1. */
function opset7() {
  const rng = rngFor(0x6f7037);
  const g = new Graph('opset7');
  let h = g.input('image', DT.FLOAT, [1, 3, 16, 16]);
  h = g.node('Relu', [batchNorm(g, rng, 'bn1', 8, convLayer(g, rng, 'conv1', 3, 8, h), { spatial: int(1) })]);
  h = g.node('MaxPool', [h], { kernel_shape: ints([2, 2]), strides: ints([2, 2]) });
  h = g.node('Upsample', [h], { scales: floats([1, 1, 2, 2]), mode: str('nearest') });
  h = g.node('Dropout', [convLayer(g, rng, 'conv2', 8, 8, h)], { ratio: float(0.2) });
  g.node('Softmax', [head(g, rng, 8, h)], { axis: int(1) }, 'probs');
  g.output('probs', DT.FLOAT, [1, 10]);
  return encodeAt(g, 7, 'opset 7: Conv, BatchNormalization(spatial), Upsample(scales attribute), Dropout(ratio), Gemm, Softmax');
}

/** Opset 9: Clip(min, max attributes), Upsample-9 (scales input, linear), Slice and Pad with attributes, TopK(k). */
function opset9() {
  const rng = rngFor(0x6f7039);
  const g = new Graph('opset9');
  let h = g.input('image', DT.FLOAT, [1, 3, 16, 16]);
  h = g.node('Clip', [batchNorm(g, rng, 'bn1', 8, convLayer(g, rng, 'conv1', 3, 8, h))], { min: float(0), max: float(6) });
  h = g.node('MaxPool', [h], { kernel_shape: ints([2, 2]), strides: ints([2, 2]) });
  h = g.node('Upsample', [h, g.weight('up.scales', [4], Float32Array.of(1, 1, 2, 2))], { mode: str('linear') });
  h = g.node('Slice', [convLayer(g, rng, 'conv2', 8, 8, h)], { starts: ints([1, 1]), ends: ints([15, 15]), axes: ints([2, 3]) });
  h = g.node('Pad', [h], { pads: ints([0, 0, 1, 1, 0, 0, 1, 1]), mode: str('constant'), value: float(0.5) });
  const [values] = [g.node('TopK', [head(g, rng, 8, h)], { k: int(5), axis: int(1) }, 'top5')];
  g.nodes.at(-1).output.push('top5_indices');
  g.output(values, DT.FLOAT, [1, 5]);
  return encodeAt(g, 9, 'opset 9: Conv, Clip(min/max attributes), Upsample(scales input), Slice and Pad with attributes, Gemm, TopK(k attribute)');
}

/** Opset 10: Resize-10 (nearest), Clip and Pad with attributes, MatMul, Scatter, Softmax over a 3-D input's axis 1. */
function opset10() {
  const rng = rngFor(0x6f7130);
  const g = new Graph('opset10');
  let h = g.input('image', DT.FLOAT, [1, 3, 16, 16]);
  h = g.node('Clip', [convLayer(g, rng, 'conv1', 3, 8, h)], { min: float(-1), max: float(4) });
  h = g.node('MaxPool', [h], { kernel_shape: ints([2, 2]), strides: ints([2, 2]) });
  h = g.node('Resize', [h, g.weight('resize.scales', [4], Float32Array.of(1, 1, 2, 2))], { mode: str('nearest') });
  h = g.node('Pad', [convLayer(g, rng, 'conv2', 8, 8, h)], { pads: ints([0, 0, 1, 1, 0, 0, 1, 1]) });
  h = g.node('Reshape', [h, g.int64('seq.shape', [3], [1, 8, 324])]); // [1, 8, 18·18]
  h = g.node('Transpose', [h], { perm: ints([0, 2, 1]) }); // [1, 324, 8]
  h = g.node('MatMul', [h, g.weight('proj.weight', [8, 6], rng.xavier(48, 8, 6))]); // [1, 324, 6]
  h = g.node('Scatter', [h, g.int64('scatter.indices', [1, 1, 6], [0, 0, 0, 0, 0, 0]), g.fill('scatter.updates', [1, 1, 6], 0)], { axis: int(1) });
  g.node('Softmax', [h], { axis: int(1) }, 'probs'); // the [324·6] row of each batch item
  g.output('probs', DT.FLOAT, [1, 324, 6]);
  return encodeAt(g, 10, 'opset 10: Conv, Clip and Pad with attributes, Resize-10, MatMul, Scatter, Softmax(axis 1) of a 3-D tensor');
}

/** Opset 11: Squeeze/Unsqueeze/ReduceSum axes and Split's split as attributes, Dropout(ratio), LogSoftmax(axis 1) of 3-D. */
function opset11() {
  const rng = rngFor(0x6f7131);
  const g = new Graph('opset11');
  let h = g.input('image', DT.FLOAT, [1, 3, 16, 16]);
  h = g.node('Clip', [convLayer(g, rng, 'conv1', 3, 8, h), g.scalar('clip.min', 0), g.scalar('clip.max', 6)]);
  const pooled = g.node('GlobalAveragePool', [h]); // [1, 8, 1, 1]
  const squeezed = g.node('Squeeze', [pooled], { axes: ints([2, 3]) }); // [1, 8]
  const fc = g.node('Gemm', [squeezed, g.weight('fc.weight', [8, 12], rng.xavier(96, 8, 12)), g.weight('fc.bias', [12], rng.normal(12, 0.05))]);
  const dropped = g.node('Dropout', [fc], { ratio: float(0.1) });
  const [a, b] = ['split_a', 'split_b'];
  g.nodes.push({ name: 'Split_ab', opType: 'Split', input: [dropped], output: [a, b], attribute: [{ name: 'axis', ...int(1) }, { name: 'split', ...ints([4, 8]) }] });
  const sum = g.node('ReduceSum', [b], { axes: ints([1]), keepdims: int(1) }); // [1, 1]
  const rows = g.node('Unsqueeze', [g.node('Add', [a, sum])], { axes: ints([2]) }); // [1, 4, 1]
  const wide = g.node('MatMul', [rows, g.weight('wide.weight', [1, 3], rng.xavier(3, 1, 3))]); // [1, 4, 3]
  g.node('LogSoftmax', [wide], { axis: int(1) }, 'logprobs');
  g.output('logprobs', DT.FLOAT, [1, 4, 3]);
  return encodeAt(g, 11, 'opset 11: Conv, Clip (inputs), Squeeze/Unsqueeze/ReduceSum axes and Split split as attributes, Dropout, Gemm, MatMul, LogSoftmax(axis 1) of a 3-D tensor');
}

/** Opset 13: the same operators in their opset-13 form (nothing to raise). */
function opset13() {
  const rng = rngFor(0x6f7133);
  const g = new Graph('opset13');
  let h = g.input('image', DT.FLOAT, [1, 3, 16, 16]);
  h = g.node('Clip', [convLayer(g, rng, 'conv1', 3, 8, h), g.scalar('clip.min', 0), g.scalar('clip.max', 6)]);
  h = g.node('Squeeze', [g.node('GlobalAveragePool', [h]), g.int64('squeeze.axes', [2], [2, 3])]);
  h = g.node('MatMul', [h, g.weight('proj.weight', [8, 12], rng.xavier(96, 8, 12))]);
  g.node('Softmax', [g.node('Gemm', [h, g.weight('fc.weight', [10, 12], rng.xavier(120, 12, 10)), g.weight('fc.bias', [10], rng.normal(10, 0.05))], { transB: int(1) })], { axis: int(-1) }, 'probs');
  g.output('probs', DT.FLOAT, [1, 10]);
  return encodeAt(g, 13, 'opset 13: Conv, Clip, Squeeze(axes input), MatMul, Gemm, Softmax');
}

/**
 * As Paddle2ONNX exports a MobileNetV3 block at its default opset 9: every weight a Constant
 * node, hard-swish as x · Clip(x + 3, min 0, max 6) / 6, an old-style Slice with attributes,
 * and a MatMul classifier.
 */
function paddleOpset9() {
  const rng = rngFor(0x706439);
  const g = new Graph('paddle_opset9');
  let h = g.input('image', DT.FLOAT, [1, 3, 16, 16]);
  const hardSwish = (x) => {
    const three = g.constant(`${x}.three`, [1], Float32Array.of(3));
    const six = g.constant(`${x}.six`, [1], Float32Array.of(6));
    const clipped = g.node('Clip', [g.node('Add', [x, three])], { min: float(0), max: float(6) });
    return g.node('Div', [g.node('Mul', [x, clipped]), six]);
  };
  h = hardSwish(convLayer(g, rng, 'conv1', 3, 8, h, true));
  h = hardSwish(convLayer(g, rng, 'conv2', 8, 8, h, true));
  h = g.node('Slice', [h], { starts: ints([0, 2]), ends: ints([8, 14]), axes: ints([1, 2]) }); // [1, 8, 12, 16]
  const flat = g.node('Flatten', [g.node('GlobalAveragePool', [h])], { axis: int(1) });
  const w = g.constant('fc.weight', [8, 10], rng.xavier(80, 8, 10));
  const b = g.constant('fc.bias', [10], rng.normal(10, 0.05));
  g.node('Softmax', [g.node('Add', [g.node('MatMul', [flat, w]), b])], { axis: int(1) }, 'probs');
  g.output('probs', DT.FLOAT, [1, 10]);
  return encodeAt(g, 9, 'Paddle2ONNX style, opset 9: Constant-node weights, hard-swish as Clip(min/max attributes), Slice with attributes, MatMul classifier');
}

export const OPSET_FIXTURES = {
  'opset7.onnx': opset7,
  'opset9.onnx': opset9,
  'opset10.onnx': opset10,
  'opset11.onnx': opset11,
  'opset13.onnx': opset13,
  'paddle-opset9.onnx': paddleOpset9,
};

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const outDir = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'opset'));
  mkdirSync(outDir, { recursive: true });
  for (const [file, build] of Object.entries(OPSET_FIXTURES)) {
    writeFileSync(join(outDir, file), build());
    console.log(join(outDir, file));
  }
}
