// Initializers across IR versions (issue 21): below IR 4 every initializer must be a graph input,
// so the variants list the ones they add and drop the ones they replace; from IR 4 an initializer
// listed as an input is a default a caller may override, and every converter leaves it as it is;
// a model with external data is declined with the reason.
import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../../src/adapters/adapter.js';
import { onnxAdapter } from '../../src/adapters/onnx.js';
import { calibrateRanges } from '../../src/sweep/calibrate-static.js';
import { compareOutputSets } from '../../src/variants/accuracy.js';
import { calibrationGraph } from '../../src/variants/calibration-graph.js';
import { checkStructure } from '../../src/variants/check-structure.js';
import { isVariantDeclined } from '../../src/variants/declined.js';
import { convertToFp16WithCoverage } from '../../src/variants/fp16.js';
import { decodeModel, DT, encodeModel, graphOf, onnx } from '../../src/variants/onnx-graph.js';
import { quantizeDynamicInt8WithCoverage } from '../../src/variants/quantize-int8.js';
import { quantizeStaticInt8 } from '../../src/variants/quantize-static.js';
import { mulberry32, normal } from '../helpers/rng.js';
import { fixtureBytes, openBytes, runBytes } from './helpers.js';

const floats = (name: string, dims: number[], seed: number): HostTensor => {
  const gauss = normal(mulberry32(seed));
  return { name, type: 'float32', dims, data: Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => gauss()) };
};
const ops = (coverage: { ops: { opType: string; eligible: number; converted: number }[] }) => Object.fromEntries(coverage.ops.map((o) => [o.opType, `${o.converted}/${o.eligible}`]));

async function variants(original: Uint8Array, sets: HostTensor[][]) {
  const ranges = await calibrateRanges(onnxAdapter, original, sets);
  return { fp16: convertToFp16WithCoverage(original), int8: quantizeDynamicInt8WithCoverage(original), 'int8-static': quantizeStaticInt8(original, ranges) };
}

async function drift(original: Uint8Array, variant: Uint8Array, sets: HostTensor[][]) {
  const pairs = [];
  for (const set of sets) pairs.push({ reference: await runBytes(original, set), candidate: await runBytes(variant, set) });
  return compareOutputSets(pairs).overall;
}

describe('IR version 3: every initializer listed as a graph input', () => {
  const original = fixtureBytes('variants/ir3.onnx');
  const sets = [1, 2, 3, 4].map((seed) => [floats('x', [2, 32], seed)]);

  it('fp16, int8 and int8-static list what they add, drop what they replace, convert, load and run', async () => {
    for (const [precision, v] of Object.entries(await variants(original, sets))) {
      const model = decodeModel(v.bytes);
      const graph = graphOf(model);
      expect(Number(model.irVersion), precision).toBe(3);
      expect(checkStructure(model), precision).toEqual([]);
      const inputs = (graph.input ?? []).map((i) => i.name ?? '').sort();
      expect(inputs, precision).toEqual(['x', ...(graph.initializer ?? []).map((t) => t.name ?? '')].sort());
      expect(ops(v.coverage)[precision === 'fp16' ? 'Relu' : 'MatMul'], precision).toBe('1/1');
      expect((await drift(original, v.bytes, sets)).cosineSimilarity, precision).toBeGreaterThan(0.999);
    }
  });
});

describe('an initializer that is also a graph input (IR >= 4): left unconverted by every converter', () => {
  const original = fixtureBytes('variants/overridable.onnx');
  const sets = [1, 2, 3, 4].map((seed) => [floats('x', [2, 16], seed)]);

  // ONNX Runtime keeps such an initializer overridable (its Python API lists it in
  // get_overridable_initializers; onnxruntime-node does not offer it as an input, so inferbench
  // runs with the default). The variants keep it what the model declares: a float32 input.
  it('fp16, int8 and int8-static keep W a float32 initializer and input, and convert the rest', async () => {
    for (const [precision, v] of Object.entries(await variants(original, sets))) {
      const graph = graphOf(decodeModel(v.bytes));
      expect(checkStructure(decodeModel(v.bytes)), precision).toEqual([]);
      expect(graph.initializer?.find((t) => t.name === 'W')?.dataType, precision).toBe(DT.FLOAT);
      expect(graph.input?.find((i) => i.name === 'W')?.type?.tensorType?.elemType, precision).toBe(DT.FLOAT);
      expect(ops(v.coverage), precision).toEqual(precision === 'fp16' ? { MatMul: '2/2' } : { MatMul: '1/2' });
      if (precision === 'fp16') expect(graph.initializer?.find((t) => t.name === 'fc2.weight')?.dataType).toBe(DT.FLOAT16);
      expect((await drift(original, v.bytes, sets)).cosineSimilarity, precision).toBeGreaterThan(0.999);
    }
  });

  it('fp16 without keep_io_types turns W float16 with the other inputs, and the model runs', async () => {
    const { bytes } = convertToFp16WithCoverage(original, { keepIoTypes: false });
    const graph = graphOf(decodeModel(bytes));
    expect(checkStructure(decodeModel(bytes))).toEqual([]);
    expect(graph.initializer?.find((t) => t.name === 'W')?.dataType).toBe(DT.FLOAT16);
    expect(graph.input?.find((i) => i.name === 'W')?.type?.tensorType?.elemType).toBe(DT.FLOAT16);
    const session = await openBytes(bytes);
    await session.release();
  });
});

describe('external data', () => {
  it('every converter, and calibration, declines with the reason', () => {
    const model = decodeModel(fixtureBytes('mlp.onnx'));
    const w = graphOf(model).initializer?.[0];
    if (!w) throw new Error('mlp.onnx has no initializer');
    w.rawData = new Uint8Array(0);
    w.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    w.externalData = [{ key: 'location', value: 'mlp.onnx.data' }];
    const bytes = encodeModel(model);
    const attempts: [string, () => unknown][] = [
      ['fp16', () => convertToFp16WithCoverage(bytes)],
      ['int8', () => quantizeDynamicInt8WithCoverage(bytes)],
      ['int8-static', () => quantizeStaticInt8(bytes, new Map())],
      ['int8-static', () => calibrationGraph(bytes)],
    ];
    for (const [precision, attempt] of attempts) {
      let caught: unknown;
      try {
        attempt();
      } catch (error) {
        caught = error;
      }
      expect(isVariantDeclined(caught), precision).toBe(true);
      expect((caught as Error).message).toBe(`${precision}: the model keeps 1 tensor(s) in external data files (e.g. '${w.name ?? ''}'), which variant generation does not read; pass a converted file with --variant ${precision}=FILE`);
    }
  });
});
