// Every TF fixture through the TensorFlow adapter on the pure-JS cpu and the wasm backends:
// metadata, prepare/run/collect at batch 1 and 4, no tensor leak, and the same numbers as the
// ONNX fixtures they mirror. tfjs backends are process-global: the backends are exercised one
// after the other (vitest runs a file's tests in order), each model opened after its switch.
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, test } from 'vitest';
import type { HostTensor, SessionOptions } from '../../src/adapters/adapter.js';
import { checkTensorLeak, profileRuns, tfAdapter, tfOpProfile, type TfSession } from '../../src/adapters/tf.js';
import { modelCost } from '../../src/analyze/flops.js';
import { emptyPins } from '../../src/inputs/pins.js';
import { resolveShapes } from '../../src/inputs/shapes.js';
import { buildInputs } from '../../src/inputs/synthetic.js';

const model = (name: string): string => join('fixtures', 'tf', name, 'model.json');
const options = (device: string): SessionOptions => ({ device, intraOpThreads: null, interOpThreads: null, graphOptimization: 'all' });

const FIXTURES = [
  { name: 'cnn', format: 'tfjs-layers', input: { name: 'image', type: 'float32', shape: [null, 64, 64, 3] }, output: { name: 'scores', type: 'float32', shape: [null, 10] } },
  { name: 'mlp', format: 'tfjs-layers', input: { name: 'x', type: 'float32', shape: [null, 64] }, output: { name: 'logits', type: 'float32', shape: [null, 10] } },
  { name: 'graph', format: 'tfjs-graph', input: { name: 'x', type: 'float32', shape: [null, 16] }, output: { name: 'y', type: 'float32', shape: [null, 4] } },
] as const;

const sessions: TfSession[] = [];
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close()));
});
async function open(name: string, device: string): Promise<TfSession> {
  const session = await tfAdapter.open(model(name), options(device));
  sessions.push(session);
  return session;
}

function inputsFor(session: TfSession, batch: number): HostTensor[] {
  const shapes = resolveShapes(session.info.inputs, emptyPins(), batch);
  return buildInputs(session.info.inputs, shapes, emptyPins(), 42).tensors;
}

async function once(session: TfSession, inputs: HostTensor[]): Promise<HostTensor[]> {
  return session.collect(await session.run(session.prepare(inputs)));
}

describe.each(['tfjs-cpu', 'wasm'])('backend %s', (device) => {
  describe.each(FIXTURES)('$name', (fixture) => {
    let session: TfSession;
    test('opens with its metadata; the backend string names what runs', async () => {
      session = await open(fixture.name, device);
      expect(session.info.format).toBe(fixture.format);
      expect(session.info.inputs).toEqual([fixture.input]);
      expect(session.info.outputs).toEqual([fixture.output]);
      expect(session.info.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(session.backend).toMatch(device === 'wasm' ? /^tfjs 4\.\d+\.\d+ wasm \((simd|no simd), \d+ threads?\)$/ : /^tfjs 4\.\d+\.\d+ cpu \(pure JS\)$/);
    });

    test.each([1, 4])('batch %i: prepare/run/collect gives finite outputs of the right shape', async (batch) => {
      const [out, ...rest] = await once(session, inputsFor(session, batch));
      expect(rest).toEqual([]);
      expect(out?.name).toBe(fixture.output.name);
      expect(out?.type).toBe('float32');
      expect(out?.dims).toEqual([batch, fixture.output.shape[1]]);
      expect(Array.from(out?.data as Float32Array).every(Number.isFinite)).toBe(true);
    });

    test('no tensor outlives its iteration (50 iterations)', async () => {
      const iterations = fixture.name === 'cnn' && device === 'tfjs-cpu' ? 10 : 50; // pure JS is slow
      const leak = await checkTensorLeak(session, inputsFor(session, 1), iterations);
      expect(leak.leaked).toBe(0);
      expect(leak.baseline).toBeGreaterThan(0); // the weights
    });
  });
});

describe('same work as the ONNX fixtures', () => {
  /** NHWC → NCHW for a [n, h, w, c] float32 array. */
  function toNchw(data: Float32Array, [n, h, w, c]: number[]): Float32Array {
    const out = new Float32Array(data.length);
    for (let b = 0; b < n!; b++)
      for (let y = 0; y < h!; y++)
        for (let x = 0; x < w!; x++)
          for (let k = 0; k < c!; k++) out[((b * c! + k) * h! + y) * w! + x] = data[((b * h! + y) * w! + x) * c! + k]!;
    return out;
  }

  test.each([
    ['cnn', 'cnn.onnx', 'image', 'scores', true],
    ['mlp', 'mlp.onnx', 'x', 'logits', false],
  ] as const)('%s (wasm) computes what %s computes in onnxruntime', async (name, onnxFile, inputName, outputName, nhwc) => {
    const session = await open(name, 'wasm');
    const [input] = inputsFor(session, 2);
    const [tfOut] = await once(session, [input!]);
    const ortSession = await ort.InferenceSession.create(join('fixtures', onnxFile));
    const data = input!.data as Float32Array;
    const dims = nhwc ? [input!.dims[0]!, input!.dims[3]!, input!.dims[1]!, input!.dims[2]!] : input!.dims;
    const feeds = { [inputName]: new ort.Tensor('float32', nhwc ? toNchw(data, input!.dims) : data, dims) };
    const ortOut = (await ortSession.run(feeds))[outputName]!.data as Float32Array;
    await ortSession.release();
    const tfData = tfOut!.data as Float32Array;
    expect(tfData.length).toBe(ortOut.length);
    for (let i = 0; i < ortOut.length; i++) expect(tfData[i]).toBeCloseTo(ortOut[i]!, 4);
  });
});

describe('quantized weights (graph fixture: w1 uint8, b1 float16, w2 uint16)', () => {
  test('are dequantized at load to value = q * scale + min, and the model computes with them', async () => {
    const { readFileSync } = await import('node:fs');
    const json = JSON.parse(readFileSync(model('graph'), 'utf8')) as {
      weightsManifest: { weights: { name: string; shape: number[]; quantization?: { dtype: string; min?: number; scale?: number } }[] }[];
    };
    const bin = readFileSync(join('fixtures', 'tf', 'graph', 'weights.bin'));
    const specs = json.weightsManifest[0]!.weights;
    expect(specs.map((w) => w.quantization?.dtype)).toEqual(['uint8', 'float16', 'uint16', undefined]);

    // Decode the stored bytes independently of tfjs.
    const half = (h: number): number => (h & 0x8000 ? -1 : 1) * 2 ** (((h >> 10) & 0x1f) - 15) * (1 + (h & 0x3ff) / 1024);
    const weights = new Map<string, number[]>();
    let offset = 0;
    for (const w of specs) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      const q = w.quantization;
      if (q?.dtype === 'uint8') weights.set(w.name, [...bin.subarray(offset, offset + n)].map((v) => v * q.scale! + q.min!));
      else if (q?.dtype === 'uint16') weights.set(w.name, Array.from({ length: n }, (_, i) => bin.readUInt16LE(offset + 2 * i) * q.scale! + q.min!));
      else if (q?.dtype === 'float16') weights.set(w.name, Array.from({ length: n }, (_, i) => half(bin.readUInt16LE(offset + 2 * i))));
      else weights.set(w.name, Array.from({ length: n }, (_, i) => bin.readFloatLE(offset + 4 * i)));
      offset += n * (q?.dtype === 'uint8' ? 1 : q ? 2 : 4);
    }
    expect(offset).toBe(bin.byteLength);

    // y = relu(x·w1 + b1)·w2 + b2, in float64 from the dequantized values.
    const session = await open('graph', 'wasm');
    const [input] = inputsFor(session, 3);
    const [out] = await once(session, [input!]);
    const x = input!.data as Float32Array;
    const [w1, b1, w2, b2] = ['w1', 'b1', 'w2', 'b2'].map((n) => weights.get(n)!);
    for (let r = 0; r < 3; r++) {
      const h = Array.from({ length: 32 }, (_, j) => Math.max(0, b1![j]! + Array.from({ length: 16 }, (_, k) => x[r * 16 + k]! * w1![k * 32 + j]!).reduce((a, b) => a + b)));
      for (let o = 0; o < 4; o++) {
        const y = b2![o]! + h.reduce((acc, v, j) => acc + v * w2![j * 4 + o]!, 0);
        expect((out!.data as Float32Array)[r * 4 + o]).toBeCloseTo(y, 4);
      }
    }
  });
});

describe.each(['wasm', 'tfjs-cpu'])('per-operator profile (tf.profile) on %s', (device) => {
  test('the CNN: one node per kernel run, filters in ONNX order, the FLOPs of fixtures/cnn.onnx plus its ReLUs', async () => {
    const session = await open('cnn', device);
    const runs = await profileRuns(session, inputsFor(session, 1), 2);
    // customGrad wrappers (fusedConv2d__op) are in tf.profile's list but not in the table.
    expect(runs[0]!.kernels.some((k) => k.name.endsWith('__op'))).toBe(true);
    const profile = tfOpProfile(runs, session.backendKind);
    expect(profile.runs).toBe(2);
    expect(profile.nodes.every((n) => !n.node.includes('__op') && n.count === 2 && n.provider === device)).toBe(true);
    expect(profile.nodesPerProvider).toEqual({ [device]: profile.nodes.length });
    const conv = profile.nodes.filter((n) => n.opType === 'FusedConv').sort((a, b) => a.node.localeCompare(b.node));
    expect(conv.map((n) => n.node)).toEqual(['FusedConv2D_0', 'FusedConv2D_1', 'FusedConv2D_2']);
    expect(conv.map((n) => n.inputs.map((t) => t.dims))).toEqual([
      [[1, 64, 64, 3], [32, 3, 3, 3], [32]],
      [[1, 32, 32, 32], [64, 32, 3, 3], [64]],
      [[1, 16, 16, 64], [64, 64, 3, 3], [64]],
    ]);
    expect(profile.byOpType.map((t) => t.opType)).toEqual(expect.arrayContaining(['FusedConv', 'MaxPool', 'ReduceMean', 'FusedMatMul']));
    expect(profile.kernelUs).toBeGreaterThan(0);
    expect(profile.inferenceUs).toBeGreaterThan(0);
    // 3×3 convs 2·out·k (+1 per output for the fused ReLU), pools and the mean one op per input
    // element, the 64→10 Dense 2·64·10: the work of fixtures/cnn.onnx (ORT counts its ReLUs in Conv).
    const conv1 = 2 * 64 * 64 * 32 * 27 + 64 * 64 * 32;
    const conv2 = 2 * 32 * 32 * 64 * 288 + 32 * 32 * 64;
    const conv3 = 2 * 16 * 16 * 64 * 576 + 16 * 16 * 64;
    const cost = modelCost(profile.nodes, profile.runs);
    expect(cost.unknownOpTypes).toEqual([]);
    expect(cost.flops).toBe(conv1 + conv2 + conv3 + 64 * 64 * 32 + 32 * 32 * 64 + 16 * 16 * 64 + 2 * 64 * 10);
  });

  test('the graph model: MatMul and Add nodes in order of their runs', async () => {
    const session = await open('graph', device);
    const profile = tfOpProfile(await profileRuns(session, inputsFor(session, 4), 3), session.backendKind);
    const byNode = Object.fromEntries(profile.nodes.map((n) => [n.node, n]));
    expect(byNode.BatchMatMul_0?.opType).toBe('MatMul');
    expect(byNode.BatchMatMul_1?.outputs.at(-1)?.dims.at(-1)).toBe(4);
    expect(profile.nodes.every((n) => n.count === 3)).toBe(true);
    expect(modelCost(profile.nodes, profile.runs).flops).toBeGreaterThanOrEqual(2 * 4 * 16 * 32 + 2 * 4 * 32 * 4);
  });
});
