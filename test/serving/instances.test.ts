// A model instance on the real onnxruntime (fixtures/mlp.onnx): a batch of stacked requests gives
// each request the outputs it gets alone. (A whole probe on the real runtime: test/cli/service.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerInstance } from '../../src/serving/instances.js';
import type { HostTensor } from '../../src/types.js';

const MODEL = 'fixtures/mlp.onnx';
const SESSION = { device: 'cpu', intraOpThreads: 1, interOpThreads: null, graphOptimization: 'all' as const };
const request = (seed: number, items = 1): HostTensor[] => [{ name: 'x', type: 'float32', dims: [items, 64], data: Float32Array.from({ length: 64 * items }, (_, i) => Math.sin(seed * 100 + i)) }];

describe('WorkerInstance', () => {
  let instance: WorkerInstance;
  beforeAll(async () => {
    instance = new WorkerInstance(0, { model: MODEL, session: SESSION, batchAxes: new Map([['x', 0]]) });
    await instance.ready;
  });
  afterAll(() => instance.close());

  it('splits a stacked batch back so each request gets its own outputs', async () => {
    const payloads = [request(1), request(2, 2), request(3)];
    const batched = await instance.run(payloads, [1, 2, 1]);
    expect(batched.results.map((r) => r[0]!.dims)).toEqual([[1, 10], [2, 10], [1, 10]]);
    expect(batched.stagesMs!.inference).toBeGreaterThan(0);
    for (const [k, payload] of payloads.entries()) {
      const alone = await instance.run([payload], [payload[0]!.dims[0]!]);
      const got = batched.results[k]![0]!.data as Float32Array;
      const want = alone.results[0]![0]!.data as Float32Array;
      expect(got.length).toBe(want.length);
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
    }
  });
});
