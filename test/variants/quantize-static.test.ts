// Static int8 (QDQ) on the fixtures, calibrated with the real runtime: the layout ONNX Runtime
// fuses (checked in its op profile), coverage, and drift within stated bounds.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onnxAdapter } from '../../src/adapters/onnx.js';
import { calibrateRanges } from '../../src/sweep/calibrate-static.js';
import { compareOutputSets } from '../../src/variants/accuracy.js';
import { calibrationGraph } from '../../src/variants/calibration-graph.js';
import { decodeModel, DT, graphOf } from '../../src/variants/onnx-graph.js';
import { quantizeStaticInt8 } from '../../src/variants/quantize-static.js';
import { fixtureBytes, fixtureInputs, runBytes, type FixtureName } from './helpers.js';

/**
 * Drift bounds for static int8, calibrated on 16 seeded sets (seeds 100..115, batch 1) and
 * measured on seeds 1..4 at batch 1 and 8 (onnxruntime-node 1.30 CPU). Observed: cosine cnn
 * 0.99986, transformer 0.99981, mlp 0.99950; relative (L1) error 0.020 / 0.018 / 0.022; max |err|
 * 0.11 / 0.42 / 0.44 (batch-8 values beyond the calibrated range are clipped). The bounds are ~4×
 * the observed distance from 1 and ~2× the errors: a wrong scale or axis breaks them at once.
 */
const STATIC_BOUND = { minCosine: 0.998, maxRelativeError: 0.05, maxAbsError: 1 };

const calibrationSets = (name: FixtureName) => Array.from({ length: 16 }, (_, k) => fixtureInputs(name, 1, 100 + k));

async function staticVariant(name: FixtureName) {
  const original = fixtureBytes(`${name}.onnx`);
  const ranges = await calibrateRanges(onnxAdapter, original, calibrationSets(name));
  return { original, ranges, ...quantizeStaticInt8(original, ranges) };
}

const opTypes = (bytes: Uint8Array): string[] => (graphOf(decodeModel(bytes)).node ?? []).map((n) => n.opType ?? '');

describe('calibration', () => {
  it('asks for the min and max of each activation a quantized node reads or writes', () => {
    const graph = calibrationGraph(fixtureBytes('cnn.onnx'));
    // image, and the outputs of the three Conv+Relu (Relu folded), the Flatten before Gemm, and scores.
    expect(graph.outputs.map((o) => o.tensor)).toEqual(['image', 'relu_2', 'relu_5', 'relu_8', 'flatten_10', 'scores']);
  });

  it('ranges include every value seen: Relu outputs start at 0', async () => {
    const ranges = await calibrateRanges(onnxAdapter, fixtureBytes('cnn.onnx'), calibrationSets('cnn'));
    expect(ranges.get('relu_2')?.min).toBe(0);
    expect(ranges.get('image')?.min).toBeLessThan(-2); // standard normal pixels over 16 × 12,288 draws
  });
});

describe('quantizeStaticInt8', () => {
  it('cnn: QDQ around each Conv (per-channel int8 weights, int32 bias) and the Gemm; Relus folded', async () => {
    const q = await staticVariant('cnn');
    expect(q.coverage.ops).toEqual([{ opType: 'Conv', eligible: 3, converted: 3 }, { opType: 'Gemm', eligible: 1, converted: 1 }]);
    expect(q.coverage.computeWeightShare).toBe(1);
    expect(q.coverage.weightBytes.after).toBeLessThan(q.coverage.weightBytes.before / 3);
    const ops = opTypes(q.bytes);
    expect(ops.filter((o) => o === 'Relu')).toHaveLength(0);
    const graph = graphOf(decodeModel(q.bytes));
    const convWeightScale = graph.initializer?.find((t) => t.name === 'conv1.weight_scale');
    expect(convWeightScale?.dims?.map(Number)).toEqual([32]);
    expect(graph.initializer?.find((t) => t.name === 'conv1.weight_quantized')?.dataType).toBe(DT.INT8);
    expect(graph.initializer?.find((t) => t.name === 'conv1.bias_quantized')?.dataType).toBe(DT.INT32);
  });

  it('transformer: the six weight MatMuls convert, the two attention MatMuls (activation × activation) do not', async () => {
    const q = await staticVariant('transformer');
    expect(q.coverage.ops).toEqual([{ opType: 'MatMul', eligible: 8, converted: 6 }]);
  });

  it.each(['cnn', 'transformer', 'mlp'] as FixtureName[])('%s: drift from fp32 within the stated bound at batch 1 and 8', async (name) => {
    const q = await staticVariant(name);
    const pairs = [];
    for (const [batch, seed] of [[1, 1], [1, 2], [8, 3], [8, 4]] as const) {
      const inputs = fixtureInputs(name, batch, seed);
      pairs.push({ reference: await runBytes(q.original, inputs), candidate: await runBytes(q.bytes, inputs) });
    }
    const drift = compareOutputSets(pairs);
    expect(drift.identical).toBe(false);
    expect(drift.overall.cosineSimilarity).toBeGreaterThan(STATIC_BOUND.minCosine);
    expect(drift.overall.meanRelativeError).toBeLessThan(STATIC_BOUND.maxRelativeError);
    expect(drift.overall.maxAbsError).toBeLessThan(STATIC_BOUND.maxAbsError);
  });

  it('ONNX Runtime fuses the QDQ groups into QLinearConv / QGemm / QLinearMatMul (op profile)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inferbench-static-'));
    const kernels: Record<string, string[]> = {};
    for (const name of ['cnn', 'transformer'] as FixtureName[]) {
      const path = join(dir, `${name}.onnx`);
      writeFileSync(path, (await staticVariant(name)).bytes);
      const spec = { id: name, model: path, precision: 'int8-static', device: 'cpu', batch: 1, threads: 1, interThreads: null, graphOptimization: 'all' } as const;
      const profile = await onnxAdapter.profileOps!(path, spec, fixtureInputs(name, 1, 7), 3);
      kernels[name] = profile.byOpType.map((o) => o.opType);
    }
    expect(kernels.cnn).toEqual(expect.arrayContaining(['QLinearConv', 'QGemm']));
    expect(kernels.cnn).not.toContain('Conv');
    expect(kernels.transformer).toContain('QLinearMatMul');
  });

  it('without ranges nothing converts, and the coverage says so', () => {
    const q = quantizeStaticInt8(fixtureBytes('cnn.onnx'), new Map());
    expect(q.coverage.ops.every((o) => o.converted === 0)).toBe(true);
    expect(opTypes(q.bytes)).not.toContain('QuantizeLinear');
  });
});
