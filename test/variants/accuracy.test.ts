// compareOutputs against exact answers on small vectors.
import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../../src/adapters/adapter.js';
import { float32ToFloat16Bits } from '../../src/inputs/synthetic.js';
import { compareOutputs, isClassScores, tensorValues } from '../../src/variants/accuracy.js';
import { error } from '../helpers/errors.js';

const f32 = (name: string, dims: number[], values: number[]): HostTensor => ({ name, type: 'float32', dims, data: Float32Array.from(values) });

describe('compareOutputs', () => {
  it('identical outputs: no error, cosine 1, full agreement', () => {
    const a = [f32('scores', [2, 3], [1, 2, 3, 3, 2, 1])];
    expect(compareOutputs(a, a).overall).toEqual({ maxAbsError: 0, meanRelativeError: 0, cosineSimilarity: 1, top1Agreement: 1 });
  });

  it('known errors on one output', () => {
    // reference [1, 2, 3, 4], candidate [1, 2.5, 3, 3]: |diff| = [0, 0.5, 0, 1]
    const { overall, outputs } = compareOutputs([f32('y', [4], [1, 2, 3, 4])], [f32('y', [4], [1, 2.5, 3, 3])]);
    expect(overall.maxAbsError).toBe(1);
    expect(overall.meanRelativeError).toBeCloseTo(1.5 / 10, 12);
    // dot = 1 + 5 + 9 + 12 = 27; |r| = √30, |c| = √(1 + 6.25 + 9 + 9) = √25.25
    expect(overall.cosineSimilarity).toBeCloseTo(27 / Math.sqrt(30 * 25.25), 12);
    expect(overall.top1Agreement).toBeNull(); // rank 1: not class scores
    expect(outputs).toEqual([{ name: 'y', elements: 4, ...overall }]);
  });

  it('top-1 agreement over rows of [batch, classes]', () => {
    const reference = f32('logits', [3, 3], [0, 1, 0, 5, 1, 2, 0, 0, 9]);
    const candidate = f32('logits', [3, 3], [0, 1, 0, 1, 5, 2, 0, 0, 9]); // row 2 flips
    expect(compareOutputs([reference], [candidate]).overall.top1Agreement).toBeCloseTo(2 / 3, 12);
  });

  it('overall combines outputs: max of maxima, cosine of the concatenation, top-1 over all rows', () => {
    const reference = [f32('a', [1, 2], [1, 0]), f32('b', [2], [0, 1])];
    const candidate = [f32('a', [1, 2], [0, 1]), f32('b', [2], [0, 1])];
    const { overall, outputs } = compareOutputs(reference, candidate);
    expect(outputs.map((o) => o.cosineSimilarity)).toEqual([0, 1]);
    expect(overall.cosineSimilarity).toBeCloseTo(0.5, 12); // dot 1, norms √2 · √2
    expect(overall.maxAbsError).toBe(1);
    expect(overall.meanRelativeError).toBe(1); // Σ|diff| = 2, Σ|ref| = 2
    expect(overall.top1Agreement).toBe(0);
  });

  it('decodes float16 candidates and int64 references', () => {
    const half: HostTensor = { name: 'y', type: 'float16', dims: [3], data: Uint16Array.from([0.5, -2, 1024], (v) => float32ToFloat16Bits(v)) };
    const ints: HostTensor = { name: 'y', type: 'int64', dims: [3], data: BigInt64Array.from([1n, -2n, 1024n]) };
    const { overall } = compareOutputs([ints], [half]);
    expect(overall.maxAbsError).toBe(0.5);
    expect(Array.from(tensorValues(half))).toEqual([0.5, -2, 1024]);
  });

  it('zero vectors: cosine 1 when both are zero, 0 when one is', () => {
    expect(compareOutputs([f32('y', [2], [0, 0])], [f32('y', [2], [0, 0])]).overall.cosineSimilarity).toBe(1);
    const oneZero = compareOutputs([f32('y', [2], [0, 0])], [f32('y', [2], [1, 0])]).overall;
    expect(oneZero.cosineSimilarity).toBe(0);
    expect(oneZero.meanRelativeError).toBe(Infinity);
  });

  it('a NaN in the candidate shows in maxAbsError', () => {
    expect(compareOutputs([f32('y', [3], [1, 2, 3])], [f32('y', [3], [1, NaN, 3])]).overall.maxAbsError).toBeNaN();
  });

  it('a missing output or a different shape is an error, not a drift', () => {
    expect(error(() => compareOutputs([f32('y', [2], [1, 2])], [f32('z', [2], [1, 2])])).message).toMatch(/no output 'y'/);
    expect(error(() => compareOutputs([f32('y', [2], [1, 2])], [f32('y', [1, 2], [1, 2])])).message).toMatch(/shape/);
  });

  it('class scores are rank 2 with at least 2 classes', () => {
    expect([[8, 10], [1, 2], [8, 1], [10], [1, 3, 4]].map(isClassScores)).toEqual([true, true, false, false, false]);
  });
});
