#!/usr/bin/env node
// Fixtures for what the precision converters must get right beyond plain graphs (inferbench
// issue 21, part B), in fixtures/variants/: weights inside If branches and a Loop body, ops that
// have no float16 form (IsInf before opset 20, the float scales of QLinearConv / QLinearMatMul),
// an opset-1 model, an IR-v3 model and an initializer that is also a graph input. Seeded weights,
// byte-identical on every run; a few KB each.
//
//   node scripts/make-variant-fixtures.mjs [outDir]   (default fixtures/variants; part of npm run fixtures)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';
import { DT, Graph, rngFor } from './make-fixtures.mjs';

const { onnx } = onnxProto;
const AT = onnx.AttributeProto.AttributeType;
const int = (i) => ({ type: AT.INT, i });
const ints = (values) => ({ type: AT.INTS, ints: values });
const graphAttr = (g) => ({ type: AT.GRAPH, g });
const tensorOf = (dataType, dims, bytes) => ({ dims, dataType, rawData: bytes });
const le = (typed) => new Uint8Array(typed.buffer.slice(0)); // the fixtures run on little-endian hosts

const valueInfo = (name, elemType, dims) => ({ name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } });

/** A Graph as a GraphProto (for a subgraph attribute or a model). */
function graphProto(g) {
  return { name: g.name, node: g.nodes, initializer: g.initializers, input: g.inputs, output: g.outputs };
}

function encode(g, { opset = 17, irVersion = 8, doc, inputsFromInitializers = false }) {
  const graph = graphProto(g);
  // IR 3 requires every initializer to be listed among the graph inputs.
  if (inputsFromInitializers) graph.input = [...graph.input, ...g.initializers.map((t) => valueInfo(t.name, t.dataType, t.dims))];
  const model = { irVersion, opsetImport: [{ domain: '', version: opset }], producerName: 'inferbench-fixtures', producerVersion: '1', docString: doc, graph };
  const err = onnx.ModelProto.verify(model);
  if (err) throw new Error(`${g.name}: invalid ModelProto: ${err}`);
  return onnx.ModelProto.encode(model).finish();
}

/**
 * One If branch of the VAD-like model: Conv1d (weights as Constant nodes, as Silero VAD keeps
 * them) + Relu, an LSTM (initializers of the branch), a MatMul head and a Sigmoid; it also reads
 * the main graph's `proj.weight` (an outer-scope reference to a weight the main graph uses too).
 */
function vadBranch(rng, tag, offset) {
  const b = new Graph(`${tag}_branch`);
  b.counter = offset;
  const p = (s) => `${tag}_${s}`;
  const again = b.node('MatMul', ['frames', 'proj.weight'], {}, p('reproj')); // [1, 1, 64]
  const x = b.node('Add', ['frames', again], {}, p('mixed'));
  const w = b.constant(p('conv.weight'), [8, 1, 3], rng.he(24, 3));
  const bias = b.constant(p('conv.bias'), [8], rng.normal(8, 0.05));
  const c = b.node('Relu', [b.node('Conv', [x, w, bias], { kernel_shape: ints([3]), pads: ints([1, 1]) }, p('conv'))], {}, p('relu')); // [1, 8, 64]
  const seq = b.node('Transpose', [c], { perm: ints([2, 0, 1]) }, p('seq')); // [64, 1, 8]
  const hidden = 16;
  b.weight(p('lstm.W'), [1, 4 * hidden, 8], rng.xavier(4 * hidden * 8, 8, hidden));
  b.weight(p('lstm.R'), [1, 4 * hidden, hidden], rng.xavier(4 * hidden * hidden, hidden, hidden));
  b.weight(p('lstm.B'), [1, 8 * hidden], rng.normal(8 * hidden, 0.05));
  b.nodes.push({ name: p('LSTM'), opType: 'LSTM', input: [seq, p('lstm.W'), p('lstm.R'), p('lstm.B')], output: ['', p('h')], attribute: [{ name: 'hidden_size', ...int(hidden) }] });
  b.int64(p('flat_shape'), [2], [1, hidden]);
  const h = b.node('Reshape', [p('h'), p('flat_shape')], {}, p('h_flat'));
  const head = b.weight(p('head.weight'), [hidden, 1], rng.xavier(hidden, hidden, 1));
  b.node('Sigmoid', [b.node('MatMul', [h, head], {}, p('logit'))], {}, p('prob'));
  b.output(p('prob'), DT.FLOAT, [1, 1]);
  return graphProto(b);
}

/**
 * Silero-VAD-like: audio[1,1,64] and sr (int64 scalar); `frames` = MatMul(audio, proj.weight);
 * If(sr == 16000) runs the 16 kHz branch, else the 8 kHz one, each with its own Conv and LSTM.
 */
function lstmInIf() {
  const rng = rngFor(0x766164); // 'vad'
  const g = new Graph('lstm_in_if');
  g.input('audio', DT.FLOAT, [1, 1, 64]);
  g.input('sr', DT.INT64, []);
  g.weight('proj.weight', [64, 64], rng.xavier(64 * 64, 64, 64));
  g.node('MatMul', ['audio', 'proj.weight'], {}, 'frames');
  g.int64('sr16k', [], [16000]);
  const cond = g.node('Equal', ['sr', 'sr16k'], {}, 'is16k');
  g.nodes.push({ name: 'If_rate', opType: 'If', input: [cond], output: ['prob'], attribute: [{ name: 'then_branch', ...graphAttr(vadBranch(rng, 'k16', 100)) }, { name: 'else_branch', ...graphAttr(vadBranch(rng, 'k8', 200)) }] });
  g.output('prob', DT.FLOAT, [1, 1]);
  return encode(g, { doc: 'Silero-VAD-like: Conv and LSTM weights inside If branches (Constant nodes and branch initializers), proj.weight used in the main graph and in both branches' });
}

/** x[1,4,8,8] → Loop(3×: x = Relu(Conv(x, conv.weight) + x)), the weight an outer-scope initializer. */
function convInLoop() {
  const rng = rngFor(0x6c6f6f70); // 'loop'
  const g = new Graph('conv_in_loop');
  g.input('x', DT.FLOAT, [1, 4, 8, 8]);
  g.weight('conv.weight', [4, 4, 3, 3], rng.he(144, 36));
  g.weight('conv.bias', [4], rng.normal(4, 0.05));
  g.int64('trips', [], [3]);
  g.nodes.push({ name: 'Constant_true', opType: 'Constant', input: [], output: ['always'], attribute: [{ name: 'value', type: AT.TENSOR, t: tensorOf(DT.BOOL, [], Uint8Array.of(1)) }] });
  const body = new Graph('loop_body');
  body.counter = 100;
  body.input('i', DT.INT64, []);
  body.input('cond_in', DT.BOOL, []);
  body.input('state', DT.FLOAT, [1, 4, 8, 8]);
  const c = body.node('Conv', ['state', 'conv.weight', 'conv.bias'], { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]) }, 'body_conv');
  body.node('Relu', [body.node('Add', [c, 'state'], {}, 'body_sum')], {}, 'state_out');
  body.node('Identity', ['cond_in'], {}, 'cond_out');
  body.output('cond_out', DT.BOOL, []);
  body.output('state_out', DT.FLOAT, [1, 4, 8, 8]);
  g.nodes.push({ name: 'Loop_3', opType: 'Loop', input: ['trips', 'always', 'x'], output: ['y'], attribute: [{ name: 'body', ...graphAttr(graphProto(body)) }] });
  g.output('y', DT.FLOAT, [1, 4, 8, 8]);
  return encode(g, { doc: 'A Conv inside a Loop body, its weight an initializer of the main graph' });
}

/** Opset 1 (IR 3): y = Softsign(x); fp16 would need Cast-1 (string `to`, no ONNX Runtime kernel). */
function opset1() {
  const g = new Graph('opset1');
  g.input('x', DT.FLOAT, [2, 8]);
  g.node('Softsign', ['x'], {}, 'y');
  g.output('y', DT.FLOAT, [2, 8]);
  return encode(g, { opset: 1, irVersion: 3, doc: 'opset 1: Softsign (ONNX Runtime runs it with its legacy kernels)' });
}

/**
 * x[1,4,8,8] float → QuantizeLinear → QLinearConv (int8 weights, int32 bias) → Reshape[4,64]
 * → QLinearMatMul → DequantizeLinear → y[4,8]: every scale a float32 initializer.
 */
function qlinear() {
  const rng = rngFor(0x716c63); // 'qlc'
  const g = new Graph('qlinear');
  g.input('x', DT.FLOAT, [1, 4, 8, 8]);
  const scalar = (name, dataType, bytes) => g.initializers.push({ name, dims: [], dataType, rawData: bytes });
  scalar('x.scale', DT.FLOAT, le(Float32Array.of(0.02)));
  scalar('x.zp', DT.UINT8, Uint8Array.of(128));
  g.initializers.push({ name: 'w.q', dims: [4, 4, 3, 3], dataType: DT.INT8, rawData: le(Int8Array.from(rng.normal(144, 40), (v) => Math.max(-127, Math.min(127, Math.round(v))))) });
  scalar('w.scale', DT.FLOAT, le(Float32Array.of(0.01)));
  scalar('w.zp', DT.INT8, new Uint8Array(1));
  scalar('y.scale', DT.FLOAT, le(Float32Array.of(0.05)));
  scalar('y.zp', DT.UINT8, Uint8Array.of(128));
  g.initializers.push({ name: 'bias.q', dims: [4], dataType: DT.INT32, rawData: le(Int32Array.from([100, -50, 25, 0])) });
  const xq = g.node('QuantizeLinear', ['x', 'x.scale', 'x.zp'], {}, 'xq');
  const yq = g.node('QLinearConv', [xq, 'x.scale', 'x.zp', 'w.q', 'w.scale', 'w.zp', 'y.scale', 'y.zp', 'bias.q'], { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]) }, 'yq');
  g.int64('flat', [2], [4, 64]);
  const a = g.node('Reshape', [yq, 'flat'], {}, 'aq');
  g.initializers.push({ name: 'b.q', dims: [64, 8], dataType: DT.UINT8, rawData: Uint8Array.from(rng.normal(512, 30), (v) => Math.max(0, Math.min(255, Math.round(v + 128)))) });
  scalar('b.scale', DT.FLOAT, le(Float32Array.of(0.01)));
  scalar('b.zp', DT.UINT8, Uint8Array.of(128));
  scalar('z.scale', DT.FLOAT, le(Float32Array.of(0.1)));
  scalar('z.zp', DT.UINT8, Uint8Array.of(128));
  const zq = g.node('QLinearMatMul', [a, 'y.scale', 'y.zp', 'b.q', 'b.scale', 'b.zp', 'z.scale', 'z.zp'], {}, 'zq');
  const z = g.node('DequantizeLinear', [zq, 'z.scale', 'z.zp'], {}, 'z');
  g.weight('out.scale', [8], rng.normal(8, 1));
  g.node('Mul', [z, 'out.scale'], {}, 'y');
  g.output('y', DT.FLOAT, [4, 8]);
  return encode(g, { opset: 13, doc: 'QLinearConv and QLinearMatMul with float32 scales, between QuantizeLinear and DequantizeLinear' });
}

/** x[2,8] → y = Where(IsInf(x · w), 0, x · w): IsInf has no float16 form before opset 20. */
function isInf() {
  const rng = rngFor(0x696e66); // 'inf'
  const g = new Graph('isinf');
  g.input('x', DT.FLOAT, [2, 8]);
  g.weight('w', [8], rng.normal(8, 1));
  g.scalar('zero', 0);
  const p = g.node('Mul', ['x', 'w'], {}, 'scaled');
  g.node('Where', [g.node('IsInf', [p], {}, 'inf'), 'zero', p], {}, 'y');
  g.output('y', DT.FLOAT, [2, 8]);
  return encode(g, { opset: 17, doc: 'IsInf (no float16 before opset 20) between float ops' });
}

/** IR 3, opset 8: x[batch,32] → Gemm+Relu → MatMul → y[batch,4]; every initializer listed as an input. */
function ir3() {
  const rng = rngFor(0x697233); // 'ir3'
  const g = new Graph('ir3');
  g.input('x', DT.FLOAT, ['batch', 32]);
  g.weight('fc1.weight', [16, 32], rng.he(512, 32));
  g.weight('fc1.bias', [16], rng.normal(16, 0.01));
  g.weight('fc2.weight', [16, 4], rng.xavier(64, 16, 4));
  const h = g.node('Relu', [g.node('Gemm', ['x', 'fc1.weight', 'fc1.bias'], { transB: int(1) }, 'fc1')], {}, 'h');
  g.node('MatMul', [h, 'fc2.weight'], {}, 'y');
  g.output('y', DT.FLOAT, ['batch', 4]);
  return encode(g, { opset: 8, irVersion: 3, inputsFromInitializers: true, doc: 'IR version 3: every initializer also a graph input' });
}

/** IR 8: y = MatMul(x, W) + c where W is an initializer AND a graph input (a default a caller may override). */
function overridable() {
  const rng = rngFor(0x6f7672); // 'ovr'
  const g = new Graph('overridable');
  g.input('x', DT.FLOAT, ['batch', 16]);
  g.input('W', DT.FLOAT, [16, 8]);
  g.weight('W', [16, 8], rng.xavier(128, 16, 8));
  g.weight('fc2.weight', [8, 4], rng.xavier(32, 8, 4));
  g.node('MatMul', [g.node('MatMul', ['x', 'W'], {}, 'h'), 'fc2.weight'], {}, 'y');
  g.output('y', DT.FLOAT, ['batch', 4]);
  return encode(g, { doc: 'W is an initializer listed as a graph input (overridable from IR 4); fc2.weight is a plain initializer' });
}

export const VARIANT_FIXTURES = {
  'lstm-in-if.onnx': lstmInIf,
  'conv-in-loop.onnx': convInLoop,
  'opset1.onnx': opset1,
  'qlinear.onnx': qlinear,
  'isinf.onnx': isInf,
  'ir3.onnx': ir3,
  'overridable.onnx': overridable,
};

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const outDir = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'variants'));
  mkdirSync(outDir, { recursive: true });
  for (const [file, build] of Object.entries(VARIANT_FIXTURES)) {
    writeFileSync(join(outDir, file), build());
    console.log(join(outDir, file));
  }
}
