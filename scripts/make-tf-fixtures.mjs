#!/usr/bin/env node
// Generates the TensorFlow.js fixture models in fixtures/tf/, deterministically:
//
//   node scripts/make-tf-fixtures.mjs [outDir]      (default: fixtures/tf next to this script)
//
//   cnn/    layers model, the architecture of fixtures/cnn.onnx in NHWC, with the SAME weights
//           (read from the ONNX fixture that scripts/make-fixtures.mjs builds, transposed OIHW →
//           HWIO): both runtimes do equal work and compute the same function.
//   mlp/    layers model, fixtures/mlp.onnx's 64→128→128→10 MLP with its weights.
//   graph/  a hand-written GraphDef model.json (tfjs cannot export graph models itself):
//           MatMul+BiasAdd+Relu, MatMul+BiasAdd, with weights stored quantized — w1 uint8,
//           b1 float16, w2 uint16 (b2 plain float32) — to test tfjs's dequantization at load.
//
// Layers models are built with tfjs (zeros initialisers, so nothing random is drawn), given
// their weights with setWeights(), and saved through a custom IOHandler's `save` that writes
// model.json + weights.bin with fs (tfjs's file:// saving needs tfjs-node). Same output on rerun.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu'; // registers the 'cpu' backend
import * as tfl from '@tensorflow/tfjs-layers';
import onnxProto from 'onnx-proto';
import { FIXTURES } from './make-fixtures.mjs';

const { onnx } = onnxProto;
tf.env().set('PROD', true); // no "install tfjs-node" banner

/** Float32 initializers of an ONNX fixture, by name (they are stored as little-endian raw_data). */
function onnxWeights(file) {
  const model = onnx.ModelProto.decode(FIXTURES[file]());
  const weights = new Map();
  for (const init of model.graph.initializer) {
    const raw = init.rawData;
    const data = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    weights.set(init.name, { dims: init.dims.map(Number), data });
  }
  return weights;
}

// tf.transpose(x), not x.transpose(): chained tensor methods are registered only by the umbrella
// @tensorflow/tfjs bundle, which inferbench does not depend on (it installs the packages it uses).
/** ONNX Conv weight [out, in, kh, kw] → TF kernel [kh, kw, in, out]. */
function ohwiFromOihw({ dims: [o, i, h, w], data }) {
  return tf.tidy(() => tf.transpose(tf.tensor4d(data, [o, i, h, w]), [2, 3, 1, 0]));
}

/** ONNX Gemm weight [out, in] (transB=1) → Dense kernel [in, out]. */
function denseKernel({ dims: [o, i], data }) {
  return tf.tidy(() => tf.transpose(tf.tensor2d(data, [o, i])));
}

function cnn() {
  const w = onnxWeights('cnn.onnx');
  const image = tfl.input({ shape: [64, 64, 3], name: 'image' });
  let h = image;
  const weights = [];
  [[32, true], [64, true], [64, false]].forEach(([filters, pool], i) => {
    const n = i + 1;
    h = tfl.layers.conv2d({ name: `conv${n}`, filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: 'zeros' }).apply(h);
    weights.push(ohwiFromOihw(w.get(`conv${n}.weight`)), tf.tensor1d(w.get(`conv${n}.bias`).data));
    if (pool) h = tfl.layers.maxPooling2d({ name: `pool${n}`, poolSize: 2, strides: 2 }).apply(h);
  });
  h = tfl.layers.globalAveragePooling2d({ name: 'gap' }).apply(h);
  const scores = tfl.layers.dense({ name: 'scores', units: 10, kernelInitializer: 'zeros' }).apply(h);
  weights.push(denseKernel(w.get('fc.weight')), tf.tensor1d(w.get('fc.bias').data));
  const model = tfl.model({ name: 'cnn', inputs: image, outputs: scores });
  model.setWeights(weights);
  return model;
}

function mlp() {
  const w = onnxWeights('mlp.onnx');
  const x = tfl.input({ shape: [64], name: 'x' });
  let h = x;
  const weights = [];
  [[128, 'relu'], [128, 'relu'], [10, 'linear']].forEach(([units, activation], i) => {
    const n = i + 1;
    h = tfl.layers.dense({ name: n === 3 ? 'logits' : `fc${n}`, units, activation, kernelInitializer: 'zeros' }).apply(h);
    weights.push(denseKernel(w.get(`fc${n}.weight`)), tf.tensor1d(w.get(`fc${n}.bias`).data));
  });
  const model = tfl.model({ name: 'mlp', inputs: x, outputs: h });
  model.setWeights(weights);
  return model;
}

/** Saves a layers model as model.json + weights.bin in `dir` through a custom save handler. */
async function saveLayers(model, dir) {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const json = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      write(dir, json, new Uint8Array(tf.io.concatenateArrayBuffers(artifacts.weightData)));
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
}

function write(dir, json, weights) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.json'), `${JSON.stringify(json, null, 1)}\n`);
  writeFileSync(join(dir, 'weights.bin'), weights);
}

// ---- the graph model ----------------------------------------------------------------------

/** mulberry32 (as in make-fixtures.mjs): uniform [0, 1) from a seed, the same everywhere. */
function uniform(seed, n, lo, hi) {
  let a = seed >>> 0;
  return Array.from({ length: n }, () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  });
}

/** Affine quantization as tfjs stores it: value = q * scale + min. */
function affine(values, bits) {
  const min = Math.fround(Math.min(...values));
  const scale = Math.fround((Math.max(...values) - min) / (2 ** bits - 1));
  const q = values.map((v) => Math.round((v - min) / scale));
  const bytes = bits === 8 ? Uint8Array.from(q) : new Uint8Array(Uint16Array.from(q).buffer);
  return { bytes, quantization: { dtype: bits === 8 ? 'uint8' : 'uint16', min, scale } };
}

/** float32 → IEEE half bits, round to nearest even (values here are small and normal). */
function toHalf(value) {
  const f = new Float32Array([value]);
  const x = new Uint32Array(f.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = x & 0x7fffff;
  if (exp <= 0) return sign; // flush tiny values to zero
  let half = sign | (exp << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1))) half += 1;
  return half;
}

const dim = (...sizes) => ({ dim: sizes.map((s) => ({ size: String(s) })) });
const T = { T: { type: 'DT_FLOAT' } };
const constNode = (name, shape) => ({ name, op: 'Const', attr: { value: { tensor: { dtype: 'DT_FLOAT', tensorShape: dim(...shape) } }, dtype: { type: 'DT_FLOAT' } } });
const matmul = (name, a, b) => ({ name, op: 'MatMul', input: [a, b], attr: { ...T, transpose_a: { b: false }, transpose_b: { b: false } } });
const biasAdd = (name, a, b) => ({ name, op: 'BiasAdd', input: [a, b], attr: { ...T, data_format: { s: Buffer.from('NHWC').toString('base64') } } });

function graph() {
  const w1 = affine(uniform(1, 16 * 32, -0.5, 0.5), 8);
  const b1 = Uint16Array.from(uniform(2, 32, -0.1, 0.1), toHalf);
  const w2 = affine(uniform(3, 32 * 4, -0.5, 0.5), 16);
  const b2 = Float32Array.from(uniform(4, 4, -0.1, 0.1));
  const json = {
    format: 'graph-model',
    generatedBy: 'inferbench scripts/make-tf-fixtures.mjs',
    convertedBy: null,
    modelTopology: {
      node: [
        { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: dim(-1, 16) } } },
        constNode('w1', [16, 32]), constNode('b1', [32]), constNode('w2', [32, 4]), constNode('b2', [4]),
        matmul('MatMul', 'x', 'w1'), biasAdd('BiasAdd', 'MatMul', 'b1'),
        { name: 'Relu', op: 'Relu', input: ['BiasAdd'], attr: T },
        matmul('MatMul_1', 'Relu', 'w2'), biasAdd('y', 'MatMul_1', 'b2'),
      ],
      library: {},
      versions: { producer: 1482 },
    },
    // As tensorflowjs_converter writes it: the only place a graph model declares output shapes.
    signature: {
      inputs: { x: { name: 'x:0', dtype: 'DT_FLOAT', tensorShape: dim(-1, 16) } },
      outputs: { y: { name: 'y:0', dtype: 'DT_FLOAT', tensorShape: dim(-1, 4) } },
    },
    weightsManifest: [{
      paths: ['weights.bin'],
      weights: [
        { name: 'w1', shape: [16, 32], dtype: 'float32', quantization: w1.quantization },
        { name: 'b1', shape: [32], dtype: 'float32', quantization: { dtype: 'float16' } },
        { name: 'w2', shape: [32, 4], dtype: 'float32', quantization: w2.quantization },
        { name: 'b2', shape: [4], dtype: 'float32' },
      ],
    }],
  };
  const parts = [w1.bytes, new Uint8Array(b1.buffer), w2.bytes, new Uint8Array(b2.buffer)];
  return { json, weights: Buffer.concat(parts) };
}

/** Writes every TF fixture into `outDir`; returns the directories written. */
export async function makeTfFixtures(outDir) {
  await tf.setBackend('cpu');
  await saveLayers(cnn(), join(outDir, 'cnn'));
  await saveLayers(mlp(), join(outDir, 'mlp'));
  const { json, weights } = graph();
  write(join(outDir, 'graph'), json, weights);
  return ['cnn', 'mlp', 'graph'].map((name) => join(outDir, name));
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const outDir = resolve(process.argv[2] ?? join(repoRoot, 'fixtures', 'tf'));
  for (const dir of await makeTfFixtures(outDir)) console.log(dir);
}
