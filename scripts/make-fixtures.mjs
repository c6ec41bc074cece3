#!/usr/bin/env node
// Generates the small, deterministic ONNX models in fixtures/ that the tests and examples use.
//
//   node scripts/make-fixtures.mjs [outDir]      (default: fixtures/ next to this script's repo)
//   npm run fixtures
//
// Weights come from a seeded PRNG (mulberry32 + Box–Muller) and tensors are written as
// little-endian raw_data, so re-running produces byte-identical files. Every model uses only
// default-domain ops at opset 17 and ir_version 8. See fixtures/README.md for what each is for.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
export const DT = onnx.TensorProto.DataType;
const AT = onnx.AttributeProto.AttributeType;

const IR_VERSION = 8;
const OPSET = 17;
const PRODUCER = 'inferbench-fixtures';
const PRODUCER_VERSION = '1';

// ---------------------------------------------------------------------------------------------
// Deterministic random numbers

/** mulberry32: a tiny 32-bit PRNG; the same seed gives the same sequence everywhere. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples via Box–Muller on top of `uniform`. */
function normalSource(uniform) {
  let spare = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u1 = 1 - uniform(); // (0, 1]: log() stays finite
    const u2 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
}

/** Each model gets its own seed so that adding one model never changes another's weights. */
export function rngFor(seed) {
  const normal = normalSource(mulberry32(seed));
  return {
    normal(count, std) {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = normal() * std;
      return out;
    },
    /** He (Kaiming) normal: for layers followed by ReLU. */
    he(count, fanIn) {
      return this.normal(count, Math.sqrt(2 / fanIn));
    },
    /** Xavier (Glorot) normal: for layers not followed by ReLU. */
    xavier(count, fanIn, fanOut) {
      return this.normal(count, Math.sqrt(2 / (fanIn + fanOut)));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A small graph builder over onnx-proto's plain-object messages

/** Little-endian bytes of a typed array, independent of the host's byte order. */
function rawBytes(values) {
  const bytes = new Uint8Array(values.length * values.BYTES_PER_ELEMENT);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => {
    if (values instanceof Float32Array) view.setFloat32(i * 4, v, true);
    else if (values instanceof BigInt64Array) view.setBigInt64(i * 8, v, true);
    else if (values instanceof Uint16Array) view.setUint16(i * 2, v, true);
    else throw new Error(`rawBytes: unsupported array ${values.constructor.name}`);
  });
  return bytes;
}

/** float32 → IEEE float16 bits, round to nearest even (normal range; the fixtures' weights are). */
function toHalfBits(value) {
  const bits = new Uint32Array(Float32Array.of(value).buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exponent <= 0) return sign; // below float16's normal range: ±0
  if (exponent >= 31) return sign | 0x7c00;
  let half = sign | (exponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1))) half += 1;
  return half;
}

const int = (i) => ({ type: AT.INT, i });
const float = (f) => ({ type: AT.FLOAT, f });
const ints = (values) => ({ type: AT.INTS, ints: values });

/** A dim: number → dim_value, string → dim_param, null → neither (an unnamed dynamic dim). */
function dimension(d) {
  if (d === null) return {};
  return typeof d === 'number' ? { dimValue: d } : { dimParam: d };
}

function valueInfo(name, elemType, dims) {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map(dimension) } } },
  };
}

export class Graph {
  constructor(name) {
    this.name = name;
    this.inputs = [];
    this.outputs = [];
    this.initializers = [];
    this.nodes = [];
    this.counter = 0;
  }

  input(name, elemType, dims) {
    this.inputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  output(name, elemType, dims) {
    this.outputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  /** A float32 initializer. */
  weight(name, dims, values) {
    const count = dims.reduce((a, b) => a * b, 1);
    if (values.length !== count) throw new Error(`${name}: ${values.length} values for ${dims}`);
    this.initializers.push({ name, dims, dataType: DT.FLOAT, rawData: rawBytes(values) });
    return name;
  }

  /** A float32 initializer filled with one value. */
  fill(name, dims, value) {
    const count = dims.reduce((a, b) => a * b, 1);
    return this.weight(name, dims, new Float32Array(count).fill(value));
  }

  /**
   * A float32 weight held in a Constant node, as Paddle2ONNX and tf2onnx export them (no
   * initializer); `float16: true` stores float16 bits, for a Cast(to=float) to read.
   */
  constant(name, dims, values, { float16 = false } = {}) {
    const t = float16
      ? { dims, dataType: DT.FLOAT16, rawData: rawBytes(Uint16Array.from(values, toHalfBits)) }
      : { dims, dataType: DT.FLOAT, rawData: rawBytes(values) };
    this.nodes.push({ name: `Constant_${name}`, opType: 'Constant', input: [], output: [name], attribute: [{ name: 'value', type: AT.TENSOR, t }] });
    return name;
  }

  /** An int64 initializer (shapes, axes). A 0-d tensor when `dims` is []. */
  int64(name, dims, values) {
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({ name, dims, dataType: DT.INT64, rawData: rawBytes(data) });
    return name;
  }

  /** A float32 scalar initializer. */
  scalar(name, value) {
    this.initializers.push({
      name,
      dims: [],
      dataType: DT.FLOAT,
      rawData: rawBytes(Float32Array.of(value)),
    });
    return name;
  }

  /**
   * Adds a node and returns its output name. `out` names the output (a graph output, say);
   * otherwise one is made up from the op type.
   */
  node(opType, inputs, attrs = {}, out = undefined) {
    this.counter += 1;
    const output = out ?? `${opType.toLowerCase()}_${this.counter}`;
    this.nodes.push({
      name: `${opType}_${this.counter}`,
      opType,
      input: inputs,
      output: [output],
      attribute: Object.entries(attrs).map(([name, a]) => ({ name, ...a })),
    });
    return output;
  }

  encode(docString) {
    const model = {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: PRODUCER,
      producerVersion: PRODUCER_VERSION,
      docString,
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    const err = onnx.ModelProto.verify(model);
    if (err) throw new Error(`${this.name}: invalid ModelProto: ${err}`);
    return onnx.ModelProto.encode(model).finish();
  }
}

// ---------------------------------------------------------------------------------------------
// The models

/** x[batch,64] → Gemm+Relu → Gemm+Relu → Gemm → logits[batch,10]. */
function mlp() {
  const rng = rngFor(0x6d6c70); // 'mlp'
  const g = new Graph('mlp');
  let h = g.input('x', DT.FLOAT, ['batch', 64]);
  const layers = [
    [64, 128, true],
    [128, 128, true],
    [128, 10, false],
  ];
  layers.forEach(([fanIn, fanOut, relu], i) => {
    // PyTorch layout: W is [out, in] and Gemm transposes it.
    const w = g.weight(
      `fc${i + 1}.weight`,
      [fanOut, fanIn],
      relu ? rng.he(fanOut * fanIn, fanIn) : rng.xavier(fanOut * fanIn, fanIn, fanOut),
    );
    const b = g.weight(`fc${i + 1}.bias`, [fanOut], rng.normal(fanOut, 0.01));
    const last = i === layers.length - 1;
    h = g.node('Gemm', [h, w, b], { transB: int(1) }, last ? 'logits' : undefined);
    if (relu) h = g.node('Relu', [h]);
  });
  g.output('logits', DT.FLOAT, ['batch', 10]);
  return g.encode('3-layer MLP: x[batch,64] -> logits[batch,10]');
}

/** image[batch,3,64,64] → 3×(Conv+Relu[+MaxPool]) → GlobalAveragePool → Gemm → scores. */
function cnn() {
  const rng = rngFor(0x636e6e); // 'cnn'
  const g = new Graph('cnn');
  let h = g.input('image', DT.FLOAT, ['batch', 3, 64, 64]);
  const convs = [
    [3, 32, true],
    [32, 64, true],
    [64, 64, false],
  ];
  convs.forEach(([cin, cout, pool], i) => {
    const fanIn = cin * 3 * 3;
    const w = g.weight(`conv${i + 1}.weight`, [cout, cin, 3, 3], rng.he(cout * fanIn, fanIn));
    const b = g.weight(`conv${i + 1}.bias`, [cout], rng.normal(cout, 0.01));
    h = g.node('Conv', [h, w, b], {
      kernel_shape: ints([3, 3]),
      pads: ints([1, 1, 1, 1]),
      strides: ints([1, 1]),
    });
    h = g.node('Relu', [h]);
    if (pool) h = g.node('MaxPool', [h], { kernel_shape: ints([2, 2]), strides: ints([2, 2]) });
  });
  h = g.node('GlobalAveragePool', [h]); // [batch,64,1,1]
  h = g.node('Flatten', [h], { axis: int(1) }); // [batch,64]
  const w = g.weight('fc.weight', [10, 64], rng.xavier(640, 64, 10));
  const b = g.weight('fc.bias', [10], rng.normal(10, 0.01));
  g.node('Gemm', [h, w, b], { transB: int(1) }, 'scores');
  g.output('scores', DT.FLOAT, ['batch', 10]);
  return g.encode('Small CNN classifier: image[batch,3,64,64] (NCHW) -> scores[batch,10]');
}

/**
 * One post-LN transformer encoder block (BERT-style) with dynamic batch and sequence:
 * token + learned position embeddings → LayerNorm → 4-head self-attention with an additive
 * mask bias → residual + LayerNorm → FFN (GELU via Erf) → residual + LayerNorm.
 */
function transformer() {
  const rng = rngFor(0x747266); // 'trf'
  const VOCAB = 1000;
  const MAX_LEN = 512;
  const H = 64;
  const HEADS = 4;
  const HEAD = H / HEADS;
  const FFN = 128;
  const EPS = 1e-5;
  const g = new Graph('transformer');

  const ids = g.input('input_ids', DT.INT64, ['batch', 'sequence']);
  const mask = g.input('attention_mask', DT.INT64, ['batch', 'sequence']);

  const linear = (x, name, fanIn, fanOut, out) => {
    const w = g.weight(`${name}.weight`, [fanIn, fanOut], rng.xavier(fanIn * fanOut, fanIn, fanOut));
    const b = g.weight(`${name}.bias`, [fanOut], new Float32Array(fanOut));
    return g.node('Add', [g.node('MatMul', [x, w]), b], {}, out);
  };
  const layerNorm = (x, name, out) => {
    const gamma = g.fill(`${name}.weight`, [H], 1);
    const beta = g.fill(`${name}.bias`, [H], 0);
    return g.node('LayerNormalization', [x, gamma, beta], { axis: int(-1), epsilon: float(EPS) }, out);
  };

  // Embeddings: Gather rows of the token table, add the first `sequence` rows of the positions.
  const tokTable = g.weight('embeddings.word', [VOCAB, H], rng.normal(VOCAB * H, 0.02));
  const posTable = g.weight('embeddings.position', [MAX_LEN, H], rng.normal(MAX_LEN * H, 0.02));
  const tok = g.node('Gather', [tokTable, ids], { axis: int(0) }); // [B,S,H]
  const seqLen = g.node('Shape', [ids], { start: int(1), end: int(2) }); // [1] = [S]
  const zero1 = g.int64('const.zero_1d', [1], [0]);
  const pos = g.node('Slice', [posTable, zero1, seqLen, zero1]); // [S,H]
  const emb = layerNorm(g.node('Add', [tok, pos]), 'embeddings.ln');

  // Multi-head self-attention.
  const splitHeads = g.int64('const.split_heads', [4], [0, 0, HEADS, HEAD]); // [B,S,heads,head]
  const mergeHeads = g.int64('const.merge_heads', [3], [0, 0, H]);
  const heads = (x, perm) => g.node('Transpose', [g.node('Reshape', [x, splitHeads])], { perm: ints(perm) });
  const q = heads(linear(emb, 'attn.q', H, H), [0, 2, 1, 3]); // [B,heads,S,head]
  const kT = heads(linear(emb, 'attn.k', H, H), [0, 2, 3, 1]); // [B,heads,head,S]
  const v = heads(linear(emb, 'attn.v', H, H), [0, 2, 1, 3]); // [B,heads,S,head]
  const scale = g.scalar('attn.scale', 1 / Math.sqrt(HEAD));
  let scores = g.node('Mul', [g.node('MatMul', [q, kT]), scale]); // [B,heads,S,S]

  // attention_mask (1 = attend, 0 = padding) → additive bias (1 - mask) * -1e4 on [B,1,1,S].
  const maskF = g.node('Cast', [mask], { to: int(DT.FLOAT) });
  const inverted = g.node('Sub', [g.scalar('const.one', 1), maskF]);
  const bias = g.node('Mul', [inverted, g.scalar('const.mask_value', -1e4)]);
  const bias4d = g.node('Unsqueeze', [bias, g.int64('const.axes_1_2', [2], [1, 2])]);
  scores = g.node('Add', [scores, bias4d]);
  const probs = g.node('Softmax', [scores], { axis: int(-1) });
  const context = g.node('Reshape', [
    g.node('Transpose', [g.node('MatMul', [probs, v])], { perm: ints([0, 2, 1, 3]) }),
    mergeHeads,
  ]); // [B,S,H]
  const attnOut = linear(context, 'attn.out', H, H);
  const h1 = layerNorm(g.node('Add', [emb, attnOut]), 'attn.ln');

  // Feed-forward with exact GELU: 0.5 * x * (1 + erf(x / sqrt(2))). (Gelu is an op only from
  // opset 20; ORT fuses this pattern back into one Gelu kernel.)
  const up = linear(h1, 'ffn.up', H, FFN);
  const erf = g.node('Erf', [g.node('Div', [up, g.scalar('const.sqrt2', Math.SQRT2)])]);
  const gelu = g.node('Mul', [
    g.node('Mul', [up, g.node('Add', [erf, g.scalar('const.one_b', 1)])]),
    g.scalar('const.half', 0.5),
  ]);
  const down = linear(gelu, 'ffn.down', FFN, H);
  layerNorm(g.node('Add', [h1, down]), 'ffn.ln', 'last_hidden_state');

  g.output('last_hidden_state', DT.FLOAT, ['batch', 'sequence', H]);
  return g.encode(
    'Tiny transformer encoder block: vocab 1000, hidden 64, 4 heads, FFN 128, max length 512',
  );
}

/**
 * One input of each element type, each Cast to float32 and summed, plus `anon`, a float32 input
 * with an unnamed dynamic dim that is reduced away. For synthetic-input generation tests.
 * (string is left out: it cannot be Cast to a number meaningfully for random data.)
 */
function types() {
  const g = new Graph('types');
  const typed = [
    ['f32', DT.FLOAT],
    ['f16', DT.FLOAT16],
    ['f64', DT.DOUBLE],
    ['i8', DT.INT8],
    ['u8', DT.UINT8],
    ['i16', DT.INT16],
    ['u16', DT.UINT16],
    ['i32', DT.INT32],
    ['u32', DT.UINT32],
    ['i64', DT.INT64],
    ['u64', DT.UINT64],
    ['b', DT.BOOL],
  ];
  let sum = null;
  for (const [name, type] of typed) {
    g.input(name, type, ['batch', 4]);
    const asFloat = type === DT.FLOAT ? name : g.node('Cast', [name], { to: int(DT.FLOAT) });
    sum = sum === null ? asFloat : g.node('Add', [sum, asFloat]);
  }
  const anon = g.input('anon', DT.FLOAT, [1, null]);
  const anonSum = g.node('ReduceSum', [anon, g.int64('const.axis_1', [1], [1])], {
    keepdims: int(1),
  }); // [1,1]
  g.node('Add', [sum, anonSum], {}, 'sum');
  g.output('sum', DT.FLOAT, ['batch', 4]);
  return g.encode('One input per element type, each cast to float32 and summed; anon has an unnamed dim');
}

/** A fixed batch of 1: x[1,16] → MatMul → y[1,4]. */
function fixed() {
  const rng = rngFor(0x666978); // 'fix'
  const g = new Graph('fixed');
  const x = g.input('x', DT.FLOAT, [1, 16]);
  const w = g.weight('w', [16, 4], rng.xavier(64, 16, 4));
  g.node('MatMul', [x, w], {}, 'y');
  g.output('y', DT.FLOAT, [1, 4]);
  return g.encode('Fixed shape, no batch dim to sweep: x[1,16] -> y[1,4]');
}

/**
 * Like a detector with stride 32: a 32×32 average pool written as Reshape + ReduceMean, so that
 * session.run fails at runtime unless both H and W are multiples of 32.
 *   image[1,3,H,W] → [1,3,H,W/32,32] → mean → [1,3,H,W/32] → T → [1,3,W/32,H]
 *   → [1,3,W/32,H/32,32] → mean → [1,3,W/32,H/32] → T → features[1,3,H/32,W/32]
 */
function div32() {
  const g = new Graph('div32');
  const image = g.input('image', DT.FLOAT, [1, 3, null, null]);
  const split = g.int64('const.split_last_32', [5], [0, 0, 0, -1, 32]);
  // ReduceMean still takes `axes` as an attribute at opset 17 (an input from 18).
  const poolLast = (x) =>
    g.node('ReduceMean', [g.node('Reshape', [x, split])], { axes: ints([4]), keepdims: int(0) });
  const swap = (x, out) => g.node('Transpose', [x], { perm: ints([0, 1, 3, 2]) }, out);
  swap(poolLast(swap(poolLast(image))), 'features');
  g.output('features', DT.FLOAT, [1, 3, null, null]);
  return g.encode('Rejects H or W not divisible by 32 at run time (Reshape to [...,-1,32])');
}

/**
 * An exported OCR-style classifier: N, H and W all dynamic, with Paddle2ONNX's dim names.
 *   x[N,3,H,W] → Conv 3×3 (3→8) + Relu → GlobalAveragePool → Flatten → Gemm → scores[N,4]
 */
function imageDynamic() {
  const rng = rngFor(0x696d67); // 'img'
  const g = new Graph('image_dynamic');
  const x = g.input('x', DT.FLOAT, ['p2o.DynamicDimension.0', 3, 'p2o.DynamicDimension.1', 'p2o.DynamicDimension.2']);
  const w = g.weight('conv.weight', [8, 3, 3, 3], rng.he(8 * 27, 27));
  const b = g.weight('conv.bias', [8], rng.normal(8, 0.01));
  let h = g.node('Conv', [x, w, b], { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]) });
  h = g.node('Relu', [h]);
  h = g.node('Flatten', [g.node('GlobalAveragePool', [h])], { axis: int(1) });
  const fw = g.weight('fc.weight', [4, 8], rng.xavier(32, 8, 4));
  const fb = g.weight('fc.bias', [4], rng.normal(4, 0.01));
  g.node('Gemm', [h, fw, fb], { transB: int(1) }, 'scores');
  g.output('scores', DT.FLOAT, ['p2o.DynamicDimension.0', 4]);
  return g.encode('Image classifier with N, H, W dynamic (p2o.DynamicDimension.*): x[N,3,H,W] -> scores[N,4]');
}

/**
 * A dynamic image input whose graph needs one size: Reshape to [N, 3·32·32] before a Gemm, as a
 * model exported with dynamic axes but a fixed fully connected head. Any H×W but 32×32 fails at run time.
 */
function imageFc() {
  const rng = rngFor(0x696663); // 'ifc'
  const g = new Graph('image_fc');
  const x = g.input('pixels', DT.FLOAT, ['batch', 3, 'height', 'width']);
  const flat = g.node('Reshape', [x, g.int64('const.flat', [2], [0, 3 * 32 * 32])]);
  const w = g.weight('fc.weight', [2, 3 * 32 * 32], rng.xavier(2 * 3072, 3072, 2));
  const b = g.weight('fc.bias', [2], rng.normal(2, 0.01));
  g.node('Gemm', [flat, w, b], { transB: int(1) }, 'logits');
  g.output('logits', DT.FLOAT, ['batch', 2]);
  return g.encode('Dynamic H/W declared, but only 32x32 runs (Reshape to [N,3072] before a Gemm)');
}

/**
 * Like a voice-activity model exported without dim names: audio[?,?] and a state[2,?,16].
 *   out[?,1] = ReduceMean(audio, axis 1) + mean(state)
 */
function unnamedDims() {
  const g = new Graph('unnamed_dims');
  const audio = g.input('audio', DT.FLOAT, [null, null]);
  const state = g.input('state', DT.FLOAT, [2, null, 16]);
  const a = g.node('ReduceMean', [audio], { axes: ints([1]), keepdims: int(1) });
  const s = g.node('ReduceMean', [state], { keepdims: int(0) });
  g.node('Add', [a, s], {}, 'out');
  g.output('out', DT.FLOAT, [null, 1]);
  return g.encode('Unnamed dynamic dims only: audio[?,?], state[2,?,16] -> out[?,1]');
}

/**
 * Large outputs from almost no compute: x[batch,width] is broadcast (Expand) to
 * y[batch,1024,width], so y is 1024× the input and 4·1024·width bytes per item (width 256 →
 * 1 MiB, 1024 → 4 MiB). The file holds two tiny shape constants, no weights. What such a model
 * costs per request is what happens to its outputs (docs/large-outputs.md), as with segmentation,
 * detection and OCR models whose outputs are megabytes.
 */
function expand(width) {
  return () => {
    const g = new Graph(`expand${width}`);
    const x = g.input('x', DT.FLOAT, ['batch', width]);
    const axes = g.int64('const.axes', [1], [1]);
    const shape = g.int64('const.shape', [3], [1, 1024, 1]);
    g.node('Expand', [g.node('Unsqueeze', [x, axes]), shape], {}, 'y');
    g.output('y', DT.FLOAT, ['batch', 1024, width]);
    return g.encode(`Broadcast x[batch,${width}] to y[batch,1024,${width}]: a large output from no compute`);
  };
}

/**
 * The CNN shape with no initializers at all: every weight a Constant node, as Paddle2ONNX exports
 * them (inferbench issue 16), one bias behind an Identity and one weight stored as float16 behind
 * a Cast(to=float). image[batch,3,16,16] → 2×(Conv+Relu) → GlobalAveragePool → MatMul+Add → logits.
 */
function constWeights() {
  const rng = rngFor(0x636f6e); // 'con'
  const g = new Graph('constweights');
  let h = g.input('image', DT.FLOAT, ['batch', 3, 16, 16]);
  const conv = { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]), strides: ints([1, 1]) };
  const w1 = g.constant('conv1.weight', [16, 3, 3, 3], rng.he(16 * 27, 27));
  const b1 = g.node('Identity', [g.constant('conv1.bias', [16], rng.normal(16, 0.01))]);
  h = g.node('Relu', [g.node('Conv', [h, w1, b1], conv)]);
  const w2 = g.node('Cast', [g.constant('conv2.weight', [16, 16, 3, 3], rng.he(16 * 144, 144), { float16: true })], { to: int(DT.FLOAT) });
  const b2 = g.constant('conv2.bias', [16], rng.normal(16, 0.01));
  h = g.node('Relu', [g.node('Conv', [h, w2, b2], conv)]);
  h = g.node('Flatten', [g.node('GlobalAveragePool', [h])], { axis: int(1) }); // [batch,16]
  const w3 = g.constant('fc.weight', [16, 10], rng.xavier(160, 16, 10));
  const b3 = g.constant('fc.bias', [10], rng.normal(10, 0.01));
  g.node('Add', [g.node('MatMul', [h, w3]), b3], {}, 'logits');
  g.output('logits', DT.FLOAT, ['batch', 10]);
  return g.encode('Constant-node weights (Paddle2ONNX style): image[batch,3,16,16] -> logits[batch,10]');
}

export const FIXTURES = {
  'mlp.onnx': mlp,
  'cnn.onnx': cnn,
  'transformer.onnx': transformer,
  'types.onnx': types,
  'fixed.onnx': fixed,
  'div32.onnx': div32,
  'image-dynamic.onnx': imageDynamic,
  'image-fc.onnx': imageFc,
  'unnamed-dims.onnx': unnamedDims,
  'expand1m.onnx': expand(256),
  'expand4m.onnx': expand(1024),
  'constweights.onnx': constWeights,
};

/** Writes every fixture into `outDir`; returns the paths written. */
export function makeFixtures(outDir) {
  mkdirSync(outDir, { recursive: true });
  return Object.entries(FIXTURES).map(([file, build]) => {
    const path = join(outDir, file);
    writeFileSync(path, build());
    return path;
  });
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const outDir = resolve(process.argv[2] ?? join(repoRoot, 'fixtures'));
  for (const path of makeFixtures(outDir)) console.log(path);
}
