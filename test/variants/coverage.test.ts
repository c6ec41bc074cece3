// What each converter reports it changed, on the fixtures — including constweights.onnx, whose
// weights are all Constant nodes (one behind Identity, one float16 behind Cast) and no initializer.
import { describe, expect, it } from 'vitest';
import { variantSkipReason, variantWarnings } from '../../src/sweep/variants.js';
import { compareOutputs } from '../../src/variants/accuracy.js';
import { weightBytesOf } from '../../src/variants/coverage.js';
import { foldConstantWeights } from '../../src/variants/fold-constants.js';
import { convertToFp16WithCoverage } from '../../src/variants/fp16.js';
import { decodeModel, encodeModel, graphOf } from '../../src/variants/onnx-graph.js';
import { quantizeDynamicInt8WithCoverage } from '../../src/variants/quantize-int8.js';
import type { VariantCoverage } from '../../src/types.js';
import { fixtureBytes, runBytes } from './helpers.js';
import { mulberry32, normal } from '../helpers/rng.js';

const image = (batch: number, seed: number) => {
  const gauss = normal(mulberry32(seed));
  return [{ name: 'image', type: 'float32' as const, dims: [batch, 3, 16, 16], data: Float32Array.from({ length: batch * 768 }, () => gauss()) }];
};

describe('foldConstantWeights', () => {
  it('moves Constant weights and the Identity / Cast chains over them into initializers, losslessly', async () => {
    const original = fixtureBytes('constweights.onnx');
    const model = decodeModel(original);
    const graph = graphOf(model);
    expect(graph.initializer ?? []).toHaveLength(0);
    const before = weightBytesOf(graph);
    expect(foldConstantWeights(graph)).toEqual({ folded: 8 }); // 6 Constant, 1 Identity, 1 Cast
    expect((graph.node ?? []).map((n) => n.opType)).toEqual(['Conv', 'Relu', 'Conv', 'Relu', 'GlobalAveragePool', 'Flatten', 'MatMul', 'Add']);
    expect((graph.initializer ?? []).map((t) => t.name).sort()).toEqual(['cast_4', 'conv1.weight', 'conv2.bias', 'fc.bias', 'fc.weight', 'identity_1']);
    // The float16 conv2 weight is float32 now: the folded model holds more weight bytes.
    expect(weightBytesOf(graph)).toBe(before + 2304 * 2);
    const inputs = image(2, 3);
    const folded = compareOutputs(await runBytes(original, inputs), await runBytes(encodeModel(model), inputs));
    expect(folded.overall.maxAbsError).toBe(0);
  });

  it('leaves a model without Constant weights as it is', () => {
    const graph = graphOf(decodeModel(fixtureBytes('cnn.onnx')));
    const nodes = graph.node?.length;
    expect(foldConstantWeights(graph)).toEqual({ folded: 0 });
    expect(graph.node?.length).toBe(nodes);
  });
});

describe('coverage', () => {
  it('int8 on constweights: the folded weights are quantized (before issue 16: 0 of 3, same bytes)', () => {
    const { coverage } = quantizeDynamicInt8WithCoverage(fixtureBytes('constweights.onnx'));
    expect(coverage).toEqual({
      ops: [{ opType: 'Conv', eligible: 2, converted: 2 }, { opType: 'MatMul', eligible: 1, converted: 1 }],
      weightBytes: { before: 7144, after: expect.any(Number) },
      computeWeightShare: 1,
      foldedConstants: 8,
    });
    expect(coverage.weightBytes.after).toBeLessThan(coverage.weightBytes.before / 2);
  });

  it('int8 on the fixtures: per op type, the attention MatMuls (two activations) stay fp32', () => {
    const ops = (name: string) => quantizeDynamicInt8WithCoverage(fixtureBytes(name)).coverage.ops;
    expect(ops('cnn.onnx')).toEqual([{ opType: 'Conv', eligible: 3, converted: 3 }, { opType: 'Gemm', eligible: 1, converted: 1 }]);
    expect(ops('mlp.onnx')).toEqual([{ opType: 'Gemm', eligible: 3, converted: 3 }]);
    // The Gather on the shape (int64) is no weight; the token embedding table is.
    expect(ops('transformer.onnx')).toEqual([{ opType: 'MatMul', eligible: 8, converted: 6 }, { opType: 'Gather', eligible: 1, converted: 1 }]);
  });

  it('fp16 on constweights: every node computes in float16 and the weights halve', () => {
    const { coverage } = convertToFp16WithCoverage(fixtureBytes('constweights.onnx'));
    expect(coverage.ops.every((o) => o.converted === o.eligible)).toBe(true);
    expect(coverage.ops.reduce((n, o) => n + o.converted, 0)).toBe(8);
    expect(coverage.foldedConstants).toBe(8);
    // 7144 bytes stored (conv2's weight already float16) → every weight float16: 3572 + 2304.
    expect(coverage.weightBytes).toEqual({ before: 7144, after: 5876 });
  });

  it('a model with nothing to quantize converts nothing, and its trial is skipped with the reason', () => {
    const { coverage } = quantizeDynamicInt8WithCoverage(fixtureBytes('div32.onnx'));
    expect(coverage.ops).toEqual([]);
    expect(coverage.computeWeightShare).toBeNull();
    const reason = variantSkipReason('int8', { path: 'x.onnx', source: 'generated', coverage });
    expect(reason).toMatch(/^no quantizable weights: the int8 converter changed nothing/);
    expect(variantSkipReason('int8', { path: 'x.onnx', source: 'user' })).toBeNull();
  });
});

describe('variant warnings', () => {
  const coverage = (share: number | null): VariantCoverage => ({ ops: [{ opType: 'MatMul', eligible: 4, converted: 1 }], weightBytes: { before: 400, after: 300 }, computeWeightShare: share, foldedConstants: 0 });

  it('flags partial coverage below half of the compute weights', () => {
    expect(variantWarnings('int8', { path: 'x', source: 'generated', coverage: coverage(0.25) }).map((w) => w.code)).toEqual(['partial-conversion']);
    expect(variantWarnings('int8', { path: 'x', source: 'generated', coverage: coverage(0.5) })).toEqual([]);
    expect(variantWarnings('int8', { path: 'x', source: 'generated', coverage: coverage(null) })).toEqual([]);
  });

  it('says when int8-static was calibrated on synthetic inputs', () => {
    const calibration = { inputSets: 16, source: 'synthetic inputs, seeds 1042..1057', synthetic: true };
    expect(variantWarnings('int8-static', { path: 'x', source: 'generated', calibration }).map((w) => w.code)).toEqual(['synthetic-calibration']);
    expect(variantWarnings('int8-static', { path: 'x', source: 'generated', calibration: { ...calibration, synthetic: false } })).toEqual([]);
  });
});
