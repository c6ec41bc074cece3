// Dynamic int8 quantization: the result loads in real onnxruntime-node, has the op pattern and
// initializer types of ORT's quantize_dynamic, and stays within INT8_TOLERANCE of fp32.
import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../../src/adapters/adapter.js';
import { compareOutputs } from '../../src/variants/accuracy.js';
import { decodeModel, dimsOf, DT, floatValues, graphOf, toNumber } from '../../src/variants/onnx-graph.js';
import { quantizeWeight, roundHalfEven, scaleAndZeroPoint, transpose2d } from '../../src/variants/quantize-math.js';
import { quantizeDynamicInt8 } from '../../src/variants/quantize-int8.js';
import { describeModel, FIXTURE_NAMES, fixtureBytes, fixtureInputs, runBytes } from './helpers.js';
import { gemmAlphaBetaModel } from './tiny-models.js';
import { INT8_TOLERANCE } from './tolerances.js';

const count = (ops: string[], op: string): number => ops.filter((o) => o === op).length;

describe.each(FIXTURE_NAMES)('quantizeDynamicInt8(%s)', (name) => {
  const fp32 = fixtureBytes(`${name}.onnx`);
  const int8 = quantizeDynamicInt8(fp32);
  const before = describeModel(fp32);
  const after = describeModel(int8);

  it('replaces every constant-weight MatMul/Gemm/Conv with the integer pattern', () => {
    const constMatMuls = (graphOf(decodeModel(fp32)).node ?? []).filter((n) => n.opType === 'MatMul' && before.initializerTypes.has(n.input?.[1] ?? '')).length;
    expect(count(after.opTypes, 'Gemm')).toBe(0);
    expect(count(after.opTypes, 'Conv')).toBe(0);
    expect(count(after.opTypes, 'ConvInteger')).toBe(count(before.opTypes, 'Conv'));
    expect(count(after.opTypes, 'MatMulInteger')).toBe(count(before.opTypes, 'Gemm') + constMatMuls);
    // Activation × activation MatMuls (attention scores, context) stay float.
    expect(count(after.opTypes, 'MatMul')).toBe(count(before.opTypes, 'MatMul') - constMatMuls);
    expect(count(after.opTypes, 'DynamicQuantizeLinear')).toBeGreaterThan(0);
    expect(after.inputTypes).toEqual(before.inputTypes);
    expect(after.outputTypes).toEqual(before.outputTypes);
  });

  it('stores weights as int8 with float32 scales and int8 zero points; fp32 weights are gone', () => {
    const graph = graphOf(decodeModel(int8));
    const integerOps = (graph.node ?? []).filter((n) => n.opType === 'MatMulInteger' || n.opType === 'ConvInteger');
    for (const op of integerOps) {
      const [, w, , wZero] = op.input ?? [];
      expect(after.initializerTypes.get(w ?? '')).toBe(DT.INT8);
      expect(after.initializerTypes.get(wZero ?? '')).toBe(DT.INT8);
    }
    for (const [init, type] of after.initializerTypes) {
      if (init.endsWith('_scale')) expect(type, init).toBe(DT.FLOAT);
      // Every float weight of a quantized op was replaced: no '.weight' stays float32, except
      // the positional table (read by Slice) and LayerNorm parameters.
      if (init.endsWith('.weight') && type === DT.FLOAT) expect(init).toMatch(/ln\.weight$/);
    }
  });

  it.each([1, 8])('runs in onnxruntime-node at batch %i within the int8 tolerance', async (batch) => {
    const inputs = fixtureInputs(name, batch);
    const { overall } = compareOutputs(await runBytes(fp32, inputs), await runBytes(int8, inputs));
    const tolerance = INT8_TOLERANCE[name];
    expect(overall.cosineSimilarity).toBeGreaterThanOrEqual(tolerance.minCosine);
    expect(overall.maxAbsError).toBeLessThanOrEqual(tolerance.maxAbsError);
    expect(overall.meanRelativeError).toBeLessThanOrEqual(tolerance.maxRelativeError);
    if (overall.top1Agreement !== null) expect(overall.top1Agreement).toBeGreaterThanOrEqual(batch === 1 ? 0 : tolerance.minTop1);
  });
});

describe('quantizeDynamicInt8 details', () => {
  it('quantizes the transformer embedding table (Gather → DequantizeLinear), as ORT GatherQuant', () => {
    const ops = describeModel(quantizeDynamicInt8(fixtureBytes('transformer.onnx'))).opTypes;
    expect(ops.slice(0, 2)).toEqual(['Gather', 'DequantizeLinear']);
    expect(describeModel(quantizeDynamicInt8(fixtureBytes('transformer.onnx'), { opTypes: ['MatMul'] })).opTypes).not.toContain('DequantizeLinear');
  });

  it('shares one DynamicQuantizeLinear among the q, k and v projections of one activation', () => {
    const graph = graphOf(decodeModel(quantizeDynamicInt8(fixtureBytes('transformer.onnx'))));
    const dql = (graph.node ?? []).filter((n) => n.opType === 'DynamicQuantizeLinear');
    expect(dql.length).toBe(4); // embeddings LN output (q, k, v), context, h1, gelu
    expect(new Set(dql.map((n) => n.input?.[0])).size).toBe(dql.length);
  });

  it('folds Gemm alpha, beta and a non-transposed B', async () => {
    const fp32 = gemmAlphaBetaModel();
    const int8 = quantizeDynamicInt8(fp32);
    expect(describeModel(int8).opTypes).toEqual(['DynamicQuantizeLinear', 'MatMulInteger', 'Cast', 'Mul', 'Mul', 'Add']);
    const x: HostTensor = { name: 'x', type: 'float32', dims: [2, 3], data: Float32Array.from([1, 2, 3, -1, 0.5, 2]) };
    const { overall } = compareOutputs(await runBytes(fp32, [x]), await runBytes(int8, [x]));
    expect(overall.cosineSimilarity).toBeGreaterThan(0.999);
  });

  it('per-channel MatMul weights get one scale per output column', async () => {
    const fp32 = fixtureBytes('mlp.onnx');
    const perChannel = quantizeDynamicInt8(fp32, { perChannel: true });
    const graph = graphOf(decodeModel(perChannel));
    const scale = (graph.initializer ?? []).find((t) => t.name === 'fc1.weight_transposed_scale');
    expect(scale && dimsOf(scale)).toEqual([128]);
    const inputs = fixtureInputs('mlp', 8);
    const { overall } = compareOutputs(await runBytes(fp32, inputs), await runBytes(perChannel, inputs));
    expect(overall.cosineSimilarity).toBeGreaterThanOrEqual(INT8_TOLERANCE.mlp.minCosine);
  });

  it('keeps the opset at 17 and imports no new domain', () => {
    const model = decodeModel(quantizeDynamicInt8(fixtureBytes('cnn.onnx')));
    expect(model.opsetImport.map((o) => [o.domain, toNumber(o.version)])).toEqual([['', 17]]);
  });
});

describe('quantization arithmetic (quant_utils)', () => {
  it('rounds half to even like numpy', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, 2, -3]);
  });

  it('int8 is symmetric over ±127 with zero point 0; uint8 is asymmetric with the range widened to 0', () => {
    expect(scaleAndZeroPoint(-2, 1, 'int8')).toEqual({ scale: Math.fround(2 / 127), zeroPoint: 0 });
    expect(scaleAndZeroPoint(0.5, 2.55, 'uint8')).toEqual({ scale: Math.fround(0.01), zeroPoint: 0 });
    expect(scaleAndZeroPoint(-1, 1.55, 'uint8')).toEqual({ scale: Math.fround(0.01), zeroPoint: 100 });
    expect(scaleAndZeroPoint(0, 0, 'int8')).toEqual({ scale: 1, zeroPoint: 0 });
  });

  it('quantizes known values per tensor and per channel', () => {
    const w = Float32Array.from([1.27, -0.635, 0, 0.01, 2.54, -2.54]);
    const perTensor = quantizeWeight(w, [2, 3], 'int8');
    expect(Array.from(perTensor.scales)).toEqual([Math.fround(0.02)]);
    expect(Array.from(perTensor.values)).toEqual([64, -32, 0, 0, 127, -127]);
    const perRow = quantizeWeight(w, [2, 3], 'int8', 0);
    expect(Array.from(perRow.scales)).toEqual([Math.fround(0.01), Math.fround(0.02)]);
    expect(Array.from(perRow.values)).toEqual([127, -64, 0, 0, 127, -127]);
  });

  it('transposes a matrix', () => {
    expect(Array.from(transpose2d(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3))).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('dequantized weights are within half a step of the originals', () => {
    const graph = graphOf(decodeModel(quantizeDynamicInt8(fixtureBytes('cnn.onnx'))));
    const fp32 = graphOf(decodeModel(fixtureBytes('cnn.onnx')));
    const original = floatValues((fp32.initializer ?? []).find((t) => t.name === 'conv2.weight') ?? {});
    const q = (graph.initializer ?? []).find((t) => t.name === 'conv2.weight_quantized');
    const scale = floatValues((graph.initializer ?? []).find((t) => t.name === 'conv2.weight_scale') ?? {})[0] ?? 0;
    const values = new Int8Array(Uint8Array.from(q?.rawData ?? []).buffer);
    expect(values.length).toBe(original.length);
    const worst = original.reduce((m, v, i) => Math.max(m, Math.abs((values[i] ?? 0) * scale - v)), 0);
    expect(worst).toBeLessThanOrEqual(scale / 2 + 1e-7);
  });
});
