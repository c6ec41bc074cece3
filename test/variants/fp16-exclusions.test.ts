// fp16 where float16 does not exist (issue 21): opset-1 graphs (Cast-1's string `to` has no ONNX
// Runtime kernel: declined with the reason), IsInf before opset 20, and the float32 scales of
// QLinearConv / QLinearMatMul / Quantize- and DequantizeLinear. Each converted model loads, runs
// and passes the structural checks; the blocked nodes keep their float32 inputs.
import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../../src/adapters/adapter.js';
import { compareOutputSets } from '../../src/variants/accuracy.js';
import { checkStructure } from '../../src/variants/check-structure.js';
import { isVariantDeclined } from '../../src/variants/declined.js';
import { convertToFp16WithCoverage, mustStayFloat } from '../../src/variants/fp16.js';
import { decodeModel, DT, graphOf } from '../../src/variants/onnx-graph.js';
import { mulberry32, normal } from '../helpers/rng.js';
import { fixtureBytes, runBytes } from './helpers.js';

const floats = (name: string, dims: number[], seed: number, scale = 1): HostTensor => {
  const gauss = normal(mulberry32(seed));
  return { name, type: 'float32', dims, data: Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => gauss() * scale) };
};

async function driftOn(original: Uint8Array, variant: Uint8Array, sets: HostTensor[][]) {
  const pairs = [];
  for (const set of sets) pairs.push({ reference: await runBytes(original, set), candidate: await runBytes(variant, set) });
  return compareOutputSets(pairs).overall;
}

const initializerTypes = (bytes: Uint8Array) => new Map((graphOf(decodeModel(bytes)).initializer ?? []).map((t) => [t.name ?? '', t.dataType]));

describe('fp16 exclusions', () => {
  it('declines an opset-1 model with the reason (Cast before opset 6)', () => {
    let caught: unknown;
    try {
      convertToFp16WithCoverage(fixtureBytes('variants/opset1.onnx'));
    } catch (error) {
      caught = error;
    }
    expect(isVariantDeclined(caught)).toBe(true);
    expect((caught as Error).message).toBe("fp16: the model's default-domain opset is 1; the conversion needs Cast nodes, and before opset 6 Cast takes its type as a string and has no ONNX Runtime kernel (raise the model's opset, e.g. with onnx.version_converter, and convert that)");
  });

  it('keeps IsInf in float32 below opset 20, and the model runs', async () => {
    const original = fixtureBytes('variants/isinf.onnx');
    const { bytes, coverage } = convertToFp16WithCoverage(original);
    expect(checkStructure(decodeModel(bytes))).toEqual([]);
    expect(coverage.ops.find((o) => o.opType === 'IsInf')).toEqual({ opType: 'IsInf', eligible: 1, converted: 0 });
    const graph = graphOf(decodeModel(bytes));
    const isInf = graph.node?.find((n) => n.opType === 'IsInf');
    const producer = graph.node?.find((n) => n.output?.includes(isInf?.input?.[0] ?? ''));
    expect(producer?.opType).toBe('Cast'); // its input is cast back to float32
    const drift = await driftOn(original, bytes, [1, 2, 3].map((s) => [floats('x', [2, 8], s)]));
    expect(drift.maxAbsError).toBeLessThan(0.01);
    expect(mustStayFloat({ opType: 'IsInf' }, 20)).toBe(false);
  });

  it('keeps the scales of QuantizeLinear, QLinearConv, QLinearMatMul and DequantizeLinear float32; the model runs', async () => {
    const original = fixtureBytes('variants/qlinear.onnx');
    const { bytes, coverage } = convertToFp16WithCoverage(original);
    expect(checkStructure(decodeModel(bytes))).toEqual([]);
    const types = initializerTypes(bytes);
    for (const scale of ['x.scale', 'w.scale', 'y.scale', 'b.scale', 'z.scale']) expect(types.get(scale), scale).toBe(DT.FLOAT);
    expect(types.get('out.scale')).toBe(DT.FLOAT16); // read by the Mul after DequantizeLinear
    expect(coverage.ops.find((o) => o.opType === 'Mul')).toEqual({ opType: 'Mul', eligible: 1, converted: 1 });
    expect(coverage.ops.filter((o) => o.opType.startsWith('QLinear') || o.opType.endsWith('QuantizeLinear')).every((o) => o.converted === 0)).toBe(true);
    const drift = await driftOn(original, bytes, [1, 2, 3].map((s) => [floats('x', [1, 4, 8, 8], s)]));
    expect(drift.cosineSimilarity).toBeGreaterThan(0.9999);
  });

  it('keeps ops with no float16 form float32 at the opset where they have none', () => {
    const stays = (opType: string, opset: number, extra: object = {}) => mustStayFloat({ opType, ...extra }, opset);
    expect([stays('IsInf', 19), stays('QuantizeLinear', 18), stays('DequantizeLinear', 13), stays('CumSum', 13), stays('Range', 21)]).toEqual([true, true, true, true, true]);
    expect([stays('CumSum', 14), stays('QuantizeLinear', 19), stays('Relu', 1)]).toEqual([false, false, false]);
    expect(stays('QLinearAdd', 21, { domain: 'com.microsoft' })).toBe(true);
    expect(stays('LinearClassifier', 21, { domain: 'ai.onnx.ml' })).toBe(true);
    expect(stays('LayerNormalization', 17, { output: ['y', 'mean', 'inv_std'] })).toBe(true);
    expect(stays('LayerNormalization', 17, { output: ['y'] })).toBe(false);
  });
});
