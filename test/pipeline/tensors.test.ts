import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { encodeTensorProto } from '../../src/inputs/tensor-proto.js';
import { openDataSource } from '../../src/pipeline/data-source.js';
import { createTensorsPipeline } from '../../src/pipeline/tensors.js';
import type { PipelineContext } from '../../src/pipeline/types.js';
import { error, rejection } from '../helpers/errors.js';
import { closeSessions, contextFor, DATA, runModel } from './helpers.js';

/** A .npy v1 file: magic, version, header length, dict header padded to 64 bytes, data. */
function npy(descr: string, shape: number[], data: ArrayBufferView): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

const root = mkdtempSync(join(tmpdir(), 'inferbench-tensors-'));
const rows = [0, 1, 2].map((r) => Float32Array.from({ length: 64 }, (_, i) => (r * 64 + i) / 100));
mkdirSync(join(root, 'mlp'));
rows.forEach((row, r) => writeFileSync(join(root, 'mlp', `sample_${r}.npy`), npy('<f4', r === 1 ? [1, 64] : [64], row)));
writeFileSync(join(root, 'mlp', `sample_3.pb`), encodeTensorProto({ name: '', type: 'float32', dims: [64], data: rows[0]! }));

afterAll(closeSessions);

async function batchOf(dir: string, ctx: PipelineContext, indices: number[]) {
  const p = createTensorsPipeline();
  const source = await openDataSource(dir, { cache: false, extensions: p.extensions, unit: p.unit });
  const samples = await Promise.all(indices.map(async (i) => p.decode!(await source.read(i), ctx)));
  return { size: source.size, tensors: await p.preprocess(samples, ctx) };
}

describe('tensors pipeline', () => {
  test('.npy and .pb files of a single-input model (fixtures/mlp.onnx), with or without a batch axis of 1', async () => {
    const ctx = await contextFor('mlp.onnx', 4);
    const { size, tensors } = await batchOf(join(root, 'mlp'), ctx, [0, 1, 2, 3]);
    expect(size).toBe(4);
    const [x] = tensors;
    expect(x).toMatchObject({ name: 'x', type: 'float32', dims: [4, 64] });
    expect(Array.from(x!.data as Float32Array)).toEqual([...rows[0]!, ...rows[1]!, ...rows[2]!, ...rows[0]!]);
    const [logits] = await runModel('mlp.onnx', tensors);
    const [alone] = await runModel('mlp.onnx', [{ name: 'x', type: 'float32', dims: [1, 64], data: rows[2]! }]);
    expect(Array.from((logits!.data as Float32Array).subarray(20, 30))).toEqual(Array.from(alone!.data as Float32Array));
  });

  test('the committed ONNX test data set feeds fixtures/transformer.onnx by name', async () => {
    const ctx = await contextFor('transformer.onnx', 2, {}, { sequence: 8 });
    const dir = join(DATA, 'tensors');
    const { size, tensors } = await batchOf(dir, ctx, [0, 0]); // cycling a 1-sample dataset
    expect(size).toBe(1);
    expect(tensors.map((t) => [t.name, t.type, t.dims])).toEqual([
      ['input_ids', 'int64', [2, 8]],
      ['attention_mask', 'int64', [2, 8]],
    ]);
    expect(Array.from(tensors[0]!.data as BigInt64Array, Number)).toEqual([2, 18, 15, 19, 16, 3, 0, 0, 2, 18, 15, 19, 16, 3, 0, 0]);
    const [hidden] = await runModel('transformer.onnx', tensors);
    expect(hidden!.dims).toEqual([2, 8, 64]);
  });

  test('by order when names do not match; type and shape mismatches name the file', async () => {
    const ctx = await contextFor('transformer.onnx', 1, {}, { sequence: 4 });
    const dir = join(root, 'order', 'test_data_set_0');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'input_0.pb'), encodeTensorProto({ name: 'a', type: 'int64', dims: [1, 4], data: BigInt64Array.of(2n, 5n, 3n, 0n) }));
    writeFileSync(join(dir, 'input_1.pb'), encodeTensorProto({ name: 'b', type: 'int64', dims: [1, 4], data: BigInt64Array.of(1n, 1n, 1n, 0n) }));
    const { tensors } = await batchOf(dir, ctx, [0]);
    expect(tensors.map((t) => t.name)).toEqual(['input_ids', 'attention_mask']);
    expect(Array.from(tensors[1]!.data as BigInt64Array, Number)).toEqual([1, 1, 1, 0]);

    const wrongType = await contextFor('mlp.onnx', 1);
    const p = createTensorsPipeline();
    const sample = [{ name: 'x', type: 'float64' as const, dims: [64], data: new Float64Array(64), path: 'x.npy' }];
    expect(error(() => p.preprocess([sample], wrongType)).message).toBe("x.npy: input 'x' is float32 but the file holds float64");
    const wrongShape = [{ name: 'x', type: 'float32' as const, dims: [32], data: new Float32Array(32), path: 'x.npy' }];
    expect(error(() => p.preprocess([wrongShape], wrongType)).message).toMatch(/x\.npy: input 'x' takes \[64\] per sample \(or \[1, 64\]\) but the file holds \[32\]/);
    // a symbolic dim that differs is named in the hint: the committed sample is sequence=8
    const seq16 = await contextFor('transformer.onnx', 1, {}, { sequence: 16 });
    const committed = await rejection(batchOf(join(DATA, 'tensors'), seq16, [0]));
    expect([committed.code, committed.hint]).toEqual(['shape-invalid', 'pass --dim sequence=8 so the shapes match']);
    const two = [{ ...wrongShape[0]!, name: 'a' }, { ...wrongShape[0]!, name: 'b' }];
    expect(error(() => p.preprocess([two], wrongType)).message).toMatch(/2 tensor\(s\) \(a, b\) for 1 input\(s\) \(x\)/);
  });
});
