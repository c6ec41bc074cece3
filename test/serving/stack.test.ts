import { describe, expect, it } from 'vitest';
import { splitOutputs, stackRequests } from '../../src/serving/stack.js';
import type { HostTensor } from '../../src/types.js';

const t = (name: string, dims: number[], values: number[]): HostTensor => ({ name, type: 'float32', dims, data: Float32Array.from(values) });

describe('stackRequests / splitOutputs', () => {
  it('concatenates along axis 0 and splits the outputs back by each request’s items', () => {
    const a = [t('x', [1, 2], [1, 2])];
    const b = [t('x', [2, 2], [3, 4, 5, 6])];
    const [stacked] = stackRequests([a, b], new Map([['x', 0]]));
    expect(stacked!.dims).toEqual([3, 2]);
    expect([...(stacked!.data as Float32Array)]).toEqual([1, 2, 3, 4, 5, 6]);
    const [ra, rb] = splitOutputs([t('y', [3, 1], [10, 20, 30])], [1, 2]);
    expect([...(ra![0]!.data as Float32Array)]).toEqual([10]);
    expect(rb![0]!.dims).toEqual([2, 1]);
    expect([...(rb![0]!.data as Float32Array)]).toEqual([20, 30]);
  });

  it('stacks along an inner batch axis ([seq, N]) and splits an output batched there', () => {
    const a = [t('x', [2, 1], [1, 2])]; // seq 2, N 1
    const b = [t('x', [2, 1], [3, 4])];
    const [stacked] = stackRequests([a, b], new Map([['x', 1]]));
    expect(stacked!.dims).toEqual([2, 2]);
    expect([...(stacked!.data as Float32Array)]).toEqual([1, 3, 2, 4]);
    const [ra, rb] = splitOutputs([t('y', [2, 2], [1, 3, 2, 4])], [1, 1]);
    // dims[0] is 2 = the batch's items too: axis 0 is taken first, which is what an output batched on axis 0 needs.
    expect(ra![0]!.dims).toEqual([1, 2]);
    expect(rb![0]!.dims).toEqual([1, 2]);
  });

  it('gives a per-batch output (no batch axis) to every request whole, and keeps an input without a batch axis', () => {
    const out = t('scale', [1], [7]);
    const parts = splitOutputs([out], [1, 1, 1]);
    expect(parts.map((p) => p[0])).toEqual([out, out, out]);
    const mask = t('m', [4], [1, 1, 1, 1]);
    expect(stackRequests([[mask], [mask]], new Map([['m', null]]))[0]).toBe(mask);
  });

  it('refuses requests whose other dims differ', () => {
    expect(() => stackRequests([[t('x', [1, 2], [1, 2])], [t('x', [1, 3], [1, 2, 3])]], new Map([['x', 0]]))).toThrow(/cannot be stacked/);
  });

  it('handles int64 and string tensors', () => {
    const i = (v: bigint[]): HostTensor => ({ name: 'ids', type: 'int64', dims: [1, v.length], data: BigInt64Array.from(v) });
    const [ids] = stackRequests([[i([1n, 2n])], [i([3n, 4n])]], new Map([['ids', 0]]));
    expect([...(ids!.data as BigInt64Array)]).toEqual([1n, 2n, 3n, 4n]);
    const s = (v: string[]): HostTensor => ({ name: 's', type: 'string', dims: [1], data: v });
    expect(stackRequests([[s(['a'])], [s(['b'])]], new Map([['s', 0]]))[0]!.data).toEqual(['a', 'b']);
  });
});
