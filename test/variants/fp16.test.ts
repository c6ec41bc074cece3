// fp16 conversion: the result loads in real onnxruntime-node, its initializers and casts are what
// onnxconverter-common would make, and its outputs stay within FP16_TOLERANCE of fp32.
import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../../src/adapters/adapter.js';
import { float32ToFloat16Bits, float16BitsToNumber } from '../../src/inputs/synthetic.js';
import { compareOutputs } from '../../src/variants/accuracy.js';
import { convertToFp16 } from '../../src/variants/fp16.js';
import { clampForFp16, FP16_MAX_FINITE, FP16_MIN_POSITIVE } from '../../src/variants/fp16-tensor.js';
import { decodeModel, DT, graphOf, toNumber } from '../../src/variants/onnx-graph.js';
import { error } from '../helpers/errors.js';
import { describeModel, FIXTURE_NAMES, fixtureBytes, fixtureInputs, runBytes } from './helpers.js';
import { blockedOpsModel, constantOfShapeModel } from './tiny-models.js';
import { FP16_TOLERANCE } from './tolerances.js';

const asFloat16 = (t: HostTensor): HostTensor =>
  t.type === 'float32' ? { ...t, type: 'float16', data: Uint16Array.from(t.data as Float32Array, (v) => float32ToFloat16Bits(v)) } : t;

describe.each(FIXTURE_NAMES)('convertToFp16(%s)', (name) => {
  const fp32 = fixtureBytes(`${name}.onnx`);
  const fp16 = convertToFp16(fp32);

  it('turns every float32 initializer into float16 and keeps integer ones', () => {
    const before = describeModel(fp32).initializerTypes;
    const after = describeModel(fp16).initializerTypes;
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [init, type] of before) expect(after.get(init), init).toBe(type === DT.FLOAT ? DT.FLOAT16 : type);
  });

  it('keeps float32 graph I/O behind Cast nodes (keep_io_types)', () => {
    const before = describeModel(fp32);
    const after = describeModel(fp16);
    expect(after.inputTypes).toEqual(before.inputTypes);
    expect(after.outputTypes).toEqual(before.outputTypes);
    const floatInputs = before.inputTypes.filter((t) => t === DT.FLOAT).length;
    expect(after.opTypes.filter((op) => op === 'Cast').length).toBe(
      before.opTypes.filter((op) => op === 'Cast').length + floatInputs + before.outputTypes.length,
    );
    expect(after.opTypes.at(-1)).toBe('Cast');
  });

  it.each([1, 8])('runs in onnxruntime-node at batch %i within the fp16 tolerance', async (batch) => {
    const inputs = fixtureInputs(name, batch);
    const reference = await runBytes(fp32, inputs);
    const candidate = await runBytes(fp16, inputs);
    expect(candidate.map((t) => t.type)).toEqual(reference.map((t) => t.type));
    const { overall } = compareOutputs(reference, candidate);
    const tolerance = FP16_TOLERANCE[name];
    expect(overall.cosineSimilarity).toBeGreaterThanOrEqual(tolerance.minCosine);
    expect(overall.maxAbsError).toBeLessThanOrEqual(tolerance.maxAbsError);
    expect(overall.meanRelativeError).toBeLessThanOrEqual(tolerance.maxRelativeError);
    if (overall.top1Agreement !== null) expect(overall.top1Agreement).toBeGreaterThanOrEqual(tolerance.minTop1);
  });

  it('without keep_io_types takes and returns float16', async () => {
    const bare = convertToFp16(fp32, { keepIoTypes: false });
    const described = describeModel(bare);
    const before = describeModel(fp32);
    expect(described.inputTypes).toEqual(before.inputTypes.map((t) => (t === DT.FLOAT ? DT.FLOAT16 : t)));
    expect(described.outputTypes).toEqual([DT.FLOAT16]);
    const inputs = fixtureInputs(name, 2);
    const candidate = await runBytes(bare, inputs.map(asFloat16));
    expect(candidate[0]?.type).toBe('float16');
    const { overall } = compareOutputs(await runBytes(fp32, inputs), candidate);
    expect(overall.cosineSimilarity).toBeGreaterThanOrEqual(FP16_TOLERANCE[name].minCosine);
  });
});

describe('convertToFp16 details', () => {
  it('turns the transformer mask Cast(to=float) into Cast(to=float16)', () => {
    const graph = graphOf(decodeModel(convertToFp16(fixtureBytes('transformer.onnx'))));
    const maskCast = (graph.node ?? []).find((n) => n.opType === 'Cast' && n.input?.[0] === 'attention_mask');
    expect(toNumber(maskCast?.attribute?.find((a) => a.name === 'to')?.i)).toBe(DT.FLOAT16);
  });

  it('runs blocked ops (Max, TopK) in float32 between Casts, keeps their-only initializers float32, converts Constant', async () => {
    const fp32 = blockedOpsModel();
    const fp16 = convertToFp16(fp32);
    const graph = graphOf(decodeModel(fp16));
    const byOp = (op: string) => (graph.node ?? []).filter((n) => n.opType === op);
    // 'floor' is read only by Max (blocked): it stays float32 and needs no Cast.
    expect(describeModel(fp16).initializerTypes.get('floor')).toBe(DT.FLOAT);
    const max = byOp('Max')[0];
    expect(max?.input).toEqual(['x', 'floor']); // the float32 graph input goes straight in
    // Max's output is cast to fp16 for Mul; Mul's fp16 output is cast back to fp32 for TopK.
    const castTargets = byOp('Cast').map((n) => toNumber(n.attribute?.[0]?.i));
    expect(castTargets.filter((t) => t === DT.FLOAT16).length).toBeGreaterThanOrEqual(2);
    // The Constant is folded into an initializer first (fold-constants.ts), then converted.
    expect(byOp('Constant')).toEqual([]);
    expect(describeModel(fp16).initializerTypes.get('scale')).toBe(DT.FLOAT16);
    const x: HostTensor = { name: 'x', type: 'float32', dims: [2, 4], data: Float32Array.from([1, -3, 2, 0.25, -1, 4, 0, 3]) };
    const [ref, got] = [await runBytes(fp32, [x]), await runBytes(fp16, [x])];
    expect(got.map((t) => [t.name, t.type])).toEqual(ref.map((t) => [t.name, t.type]));
    expect(Array.from(got[0]?.data as Float32Array)).toEqual(Array.from(ref[0]?.data as Float32Array));
    expect(Array.from(got[1]?.data as BigInt64Array)).toEqual(Array.from(ref[1]?.data as BigInt64Array));
  });

  it('gives a ConstantOfShape with no value float16 zeros', async () => {
    const x: HostTensor = { name: 'x', type: 'float32', dims: [3], data: Float32Array.from([0.5, -2, 3]) };
    const [y] = await runBytes(convertToFp16(constantOfShapeModel()), [x]);
    expect(Array.from(y?.data as Float32Array)).toEqual([1.5, -1, 4]);
  });

  it('clamps to the float16 range like onnxconverter-common, keeping sign and finiteness', () => {
    expect(clampForFp16(1e6)).toBe(FP16_MAX_FINITE);
    expect(clampForFp16(-1e6)).toBe(-FP16_MAX_FINITE);
    expect(clampForFp16(1e-12)).toBe(FP16_MIN_POSITIVE);
    expect(clampForFp16(-1e-12)).toBe(-FP16_MIN_POSITIVE);
    for (const v of [0, -0, Infinity, -Infinity, 1.5]) expect(Object.is(clampForFp16(v), v)).toBe(true);
    expect(Number.isNaN(clampForFp16(NaN))).toBe(true);
    expect(float16BitsToNumber(float32ToFloat16Bits(clampForFp16(1e-12)))).toBeGreaterThan(0);
    expect(float16BitsToNumber(float32ToFloat16Bits(clampForFp16(7e4)))).toBe(65504);
  });

  it('refuses bytes that are not a model', () => {
    expect(error(() => convertToFp16(Uint8Array.from([1, 2, 3, 4, 5]))).code).toBe('model-invalid');
  });
});
