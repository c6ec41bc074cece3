// Raising older models' opsets for the int8 converters (issue 21): on the opset 7–13 fixtures
// (scripts/make-opset-fixtures.mjs) the raised fp32 model computes what the original computes in
// real onnxruntime-node; int8 and int8-static of each load, run, stay near fp32 and list the
// nodes the raise converted; operators that cannot be raised decline the variant by name.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../../src/adapters/adapter.js';
import { onnxAdapter } from '../../src/adapters/onnx.js';
import { calibrateRanges } from '../../src/sweep/calibrate-static.js';
import { compareOutputs } from '../../src/variants/accuracy.js';
import { formatCoverageDetail } from '../../src/report/format.js';
import { isVariantDeclined } from '../../src/variants/declined.js';
import { decodeModel, DT, encodeModel, graphOf } from '../../src/variants/onnx-graph.js';
import { defaultOpsetOf, raiseDefaultOpset } from '../../src/variants/opset-upgrade.js';
import { quantizeDynamicInt8WithCoverage } from '../../src/variants/quantize-int8.js';
import { quantizeStaticInt8 } from '../../src/variants/quantize-static.js';
import { mulberry32, normal } from '../helpers/rng.js';
import { fixtureBytes, fixturePath, repoRoot, runBytes } from './helpers.js';
import { floatA, floats, intA, model, node } from './tiny-models.js';

const FIXTURES = ['opset7', 'opset9', 'opset10', 'opset11', 'opset13', 'paddle-opset9'] as const;

function image(seed: number): HostTensor[] {
  const gauss = normal(mulberry32(seed));
  return [{ name: 'image', type: 'float32', dims: [1, 3, 16, 16], data: Float32Array.from({ length: 768 }, () => gauss()) }];
}

function raised(bytes: Uint8Array, target: number): { bytes: Uint8Array; raise: ReturnType<typeof raiseDefaultOpset> } {
  const m = decodeModel(bytes);
  const raise = raiseDefaultOpset(m, target, 'test');
  return { bytes: encodeModel(m), raise };
}

/** Where the raise changed nothing the outputs are bit-identical; Flatten/Reshape around Softmax may round differently. */
const SAME = 1e-6;

describe.each(FIXTURES)('%s', (name) => {
  const fp32 = fixtureBytes(`opset/${name}.onnx`);
  const opset = defaultOpsetOf(decodeModel(fp32));

  it.each([11, 13])('raised to %i computes what the original computes', async (target) => {
    const { bytes, raise } = raised(fp32, target);
    if (opset >= target) expect(raise).toBeNull();
    else expect(raise).toMatchObject({ from: opset, to: target });
    expect(defaultOpsetOf(decodeModel(bytes))).toBe(Math.max(opset, target));
    for (const seed of [1, 2]) {
      const { overall } = compareOutputs(await runBytes(fp32, image(seed)), await runBytes(bytes, image(seed)));
      expect(overall.maxAbsError).toBeLessThanOrEqual(SAME);
    }
  });

  it('int8 and int8-static load, run and stay near fp32; coverage lists what the raise converted', async () => {
    const int8 = quantizeDynamicInt8WithCoverage(fp32);
    const ranges = await calibrateRanges(onnxAdapter, fp32, Array.from({ length: 8 }, (_, k) => image(100 + k)));
    const qdq = quantizeStaticInt8(fp32, ranges);
    for (const [variant, target] of [[int8, 11], [qdq, 13]] as const) {
      const reference = await runBytes(fp32, image(7));
      const { overall } = compareOutputs(reference, await runBytes(variant.bytes, image(7)));
      // A few KB of random weights, 8 channels: drift is larger than on real models, never wrong.
      expect(overall.cosineSimilarity).toBeGreaterThan(0.98);
      expect(variant.coverage.ops.some((o) => o.converted > 0)).toBe(true);
      if (opset < target) {
        expect(variant.coverage.opsetRaise).toMatchObject({ from: opset, to: target });
        expect(defaultOpsetOf(decodeModel(variant.bytes))).toBe(target);
      } else {
        expect(variant.coverage.opsetRaise).toBeUndefined();
      }
    }
  });
});

it('scripts/make-opset-fixtures.mjs regenerates fixtures/opset byte for byte', () => {
  const out = mkdtempSync(join(tmpdir(), 'inferbench-opset-fixtures-'));
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'make-opset-fixtures.mjs'), out]);
  expect(readdirSync(out).sort()).toEqual(FIXTURES.map((f) => `${f}.onnx`).sort());
  for (const file of readdirSync(out)) expect(readFileSync(join(out, file)).equals(readFileSync(fixturePath(`opset/${file}`))), file).toBe(true);
});

describe('what each fixture needed converted', () => {
  const changes = (file: string, target: number): string[] =>
    (raised(fixtureBytes(`opset/${file}.onnx`), target).raise?.converted ?? []).map((c) => `${c.nodes} ${c.opType}: ${c.change}`).sort();

  it('the Paddle-style model: both hard-swish Clips and the Slice (and, at 13, the Softmax)', () => {
    expect(changes('paddle-opset9', 11)).toEqual(['1 Slice: starts/ends/axes attributes → inputs (Slice-10)', '2 Clip: min/max attributes → inputs (Clip-11)']);
    expect(changes('paddle-opset9', 13)).toContain('1 Softmax: last-axis Softmax: axis = −1 (Softmax-13)');
  });

  it("the trial's Converted line says so", () => {
    const { coverage } = quantizeDynamicInt8WithCoverage(fixtureBytes('opset/paddle-opset9.onnx'));
    expect(formatCoverageDetail(coverage)).toMatch(/; opset 9 → 11 \((1 Slice, 2 Clip|2 Clip, 1 Slice) converted\)$/);
  });

  it('opset 7: BatchNormalization spatial, Upsample → Resize in three steps, Dropout, Softmax', () => {
    expect(changes('opset7', 13)).toEqual([
      '1 BatchNormalization: spatial attribute dropped (BatchNormalization-9)',
      '1 Dropout: ratio attribute → input (Dropout-12)',
      '1 Softmax: last-axis Softmax: axis = −1 (Softmax-13)',
      '1 Upsample: Upsample → Resize (Upsample was removed at 10)',
      '1 Upsample: roi input added, asymmetric coordinates kept (Resize-11)',
      '1 Upsample: scales attribute → input (Upsample-9)',
    ]);
  });

  it('opset 10 at 13: Scatter, Pad, Clip, Resize, and a Softmax over axis 1 of a 3-D tensor written out', () => {
    const all = changes('opset10', 13).join('\n');
    for (const op of ['Scatter → ScatterElements', 'Pad-11', 'Clip-11', 'Resize-11', 'axis 1 kept as Flatten → Softmax(axis −1) → Reshape']) expect(all).toContain(op);
  });

  it('opset 11 at 13: Squeeze, Unsqueeze, ReduceSum axes and Split split become inputs', () => {
    const all = changes('opset11', 13).join('\n');
    for (const op of ['Squeeze-13', 'Unsqueeze-13', 'ReduceSum-13', 'Split-13', 'Dropout-12', 'LogSoftmax(axis −1)']) expect(all).toContain(op);
  });
});

describe('opset 6 → 7: legacy broadcasting', () => {
  // As PyTorch's opset-6 exports add a Conv bias: Add(conv, bias[C], broadcast = 1, axis = 1).
  const legacy = (axis: number | undefined) =>
    model({
      opset: 6,
      nodes: [node('Conv', ['x', 'w'], ['c']), node('Add', ['c', 'bias'], ['y'], [intA('broadcast', 1), ...(axis === undefined ? [] : [intA('axis', axis)])])],
      initializers: [floats('w', [2, 1, 1, 1], [1, -1]), axis === undefined ? floats('bias', [4], [0.5, -0.5, 1, 2]) : floats('bias', [2], [0.5, -0.25])],
      inputs: [['x', DT.FLOAT, [1, 1, 4, 4]]],
      outputs: [['y', DT.FLOAT, [1, 2, 4, 4]]],
    });
  const x: HostTensor[] = [{ name: 'x', type: 'float32', dims: [1, 1, 4, 4], data: Float32Array.from({ length: 16 }, (_, i) => i - 8) }];

  // onnxruntime has no Add-6 kernel to compare with: the expected values are written out. The
  // 1×1 Conv makes channel 0 = x and channel 1 = −x; the bias goes along channels (axis 1) or,
  // without axis, along the last dim.
  const expected = (axis: number | undefined): number[] =>
    Array.from({ length: 32 }, (_, i) => {
      const channel = Math.floor(i / 16);
      const v = (i % 16) - 8;
      return (channel === 0 ? v : -v) + (axis === 1 ? [0.5, -0.25][channel]! : [0.5, -0.5, 1, 2][i % 4]!);
    });

  it.each([[1, 'broadcast at axis 1 written as a Reshape of B (Add-7)'], [undefined, 'broadcast/axis attributes dropped (Add-7)']])('axis %s: the raised model computes what Add-6 specifies', async (axis, change) => {
    const { bytes, raise } = raised(legacy(axis), 11);
    expect(raise?.converted.map((c) => c.change)).toEqual([change]);
    const [y] = await runBytes(bytes, x);
    expect(Array.from(y!.data as Float32Array)).toEqual(expected(axis));
  });
});

it('Softmax-11 over axis −2 of an input of unknown rank keeps its meaning at 13', async () => {
  const declared = decodeModel(model({
    opset: 11,
    nodes: [node('Relu', ['x'], ['r']), node('Softmax', ['r'], ['y'], [intA('axis', -2)])],
    inputs: [['x', DT.FLOAT, [2, 3, 4]]],
    outputs: [['y', DT.FLOAT, [2, 3, 4]]],
  }));
  delete graphOf(declared).output![0]!.type!.tensorType!.shape; // nothing says the rank of r or y
  const original = encodeModel(declared);
  const { bytes, raise } = raised(original, 13);
  expect(raise?.converted.map((c) => c.change)).toEqual(['axis -2 kept as Flatten → Softmax(axis −1) → Reshape (Softmax-13)']);
  const x: HostTensor[] = [{ name: 'x', type: 'float32', dims: [2, 3, 4], data: Float32Array.from({ length: 24 }, (_, i) => Math.cos(i)) }];
  expect(compareOutputs(await runBytes(original, x), await runBytes(bytes, x)).overall.maxAbsError).toBeLessThanOrEqual(SAME);
});

describe('declines by name', () => {
  const decline = (bytes: Uint8Array): string => {
    try {
      quantizeDynamicInt8WithCoverage(bytes);
    } catch (error) {
      if (isVariantDeclined(error)) return error.reason;
      throw error;
    }
    return 'not declined';
  };
  const convModel = (opset: number, extra: ReturnType<typeof node>[], out: string, outDims: number[]) =>
    model({
      opset,
      nodes: [node('Conv', ['x', 'w'], ['c']), ...extra],
      initializers: [floats('w', [2, 1, 1, 1], [1, -1])],
      inputs: [['x', DT.FLOAT, [1, 1, 4, 4]]],
      outputs: [[out, DT.FLOAT, outDims]],
    });

  it('an operator onnx does not know (the experimental ImageScaler)', () => {
    const m = convModel(7, [node('ImageScaler', ['c'], ['y'], [floatA('scale', 2)])], 'y', [1, 2, 4, 4]);
    expect(decline(m)).toBe('int8: ImageScaler at opset 7 cannot be raised to 11 (not an operator of the ONNX default domain that inferbench knows)');
  });

  it('a nearest Upsample whose scales are computed at run time', () => {
    const m = model({
      opset: 9,
      nodes: [node('Conv', ['x', 'w'], ['c']), node('Upsample', ['c', 's'], ['y'])],
      initializers: [floats('w', [2, 1, 1, 1], [1, -1])],
      inputs: [['x', DT.FLOAT, [1, 1, 4, 4]], ['s', DT.FLOAT, [4]]],
      outputs: [['y', DT.FLOAT, [1, 2, 8, 8]]],
    });
    expect(decline(m)).toMatch(/^int8: Upsample at opset 9 cannot be raised to 11 \(nearest with scales computed at run time/);
  });

  it('BatchNormalization with spatial = 0', () => {
    const m = model({
      opset: 7,
      nodes: [node('Conv', ['x', 'w'], ['c']), node('BatchNormalization', ['c', 'g', 'b', 'm', 'v'], ['y'], [intA('spatial', 0)])],
      initializers: [floats('w', [2, 1, 1, 1], [1, -1]), ...['g', 'b', 'm', 'v'].map((n) => floats(n, [2, 4, 4], new Array(32).fill(1)))],
      inputs: [['x', DT.FLOAT, [1, 1, 4, 4]]],
      outputs: [['y', DT.FLOAT, [1, 2, 4, 4]]],
    });
    expect(decline(m)).toMatch(/^int8: BatchNormalization at opset 7 cannot be raised to 11 \(spatial = 0/);
  });

  it('a model older than opset 6', () => {
    expect(decline(convModel(5, [], 'c', [1, 2, 4, 4]))).toMatch(/^int8: the model's opset 5 would have to be raised to 11/);
  });

  it('a model already at the target is not touched', () => {
    const m = convModel(11, [node('Clip', ['c'], ['y'])], 'y', [1, 2, 4, 4]);
    const graph = graphOf(decodeModel(quantizeDynamicInt8WithCoverage(m).bytes));
    expect((graph.node ?? []).map((n) => n.opType)).toContain('ConvInteger');
  });
});
