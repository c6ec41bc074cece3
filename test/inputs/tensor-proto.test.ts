import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, test } from 'vitest';
import type { HostTensor } from '../../src/adapters/adapter.js';
import { dataTypeOf, encodeTensorProto, parseTensorProto } from '../../src/inputs/tensor-proto.js';
import { error } from '../helpers/errors.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
const encode = (message: Record<string, unknown>): Uint8Array => onnx.TensorProto.encode(message).finish();

describe('TensorProto .pb files', () => {
  test('typed fields, one per element type, as the ONNX spec assigns them', () => {
    const cases: [number, string, Record<string, unknown>, unknown[]][] = [
      [DT.FLOAT, 'float32', { floatData: [1.5, -2] }, [1.5, -2]],
      [DT.DOUBLE, 'float64', { doubleData: [0.1, 1e300] }, [0.1, 1e300]],
      [DT.INT32, 'int32', { int32Data: [-7, 2 ** 31 - 1] }, [-7, 2 ** 31 - 1]],
      [DT.INT16, 'int16', { int32Data: [-300, 300] }, [-300, 300]],
      [DT.INT8, 'int8', { int32Data: [-128, 127] }, [-128, 127]],
      [DT.UINT16, 'uint16', { int32Data: [0, 65535] }, [0, 65535]],
      [DT.UINT8, 'uint8', { int32Data: [0, 255] }, [0, 255]],
      [DT.BOOL, 'bool', { int32Data: [1, 0] }, [1, 0]],
      [DT.FLOAT16, 'float16', { int32Data: [0x3c00, 0xc000] }, [0x3c00, 0xc000]], // 1.0, -2.0 as half bits
      [DT.INT64, 'int64', { int64Data: [-5, 9007199254740991] }, [-5n, 9007199254740991n]],
      [DT.UINT32, 'uint32', { uint64Data: [0, 4294967295] }, [0, 4294967295]],
      [DT.UINT64, 'uint64', { uint64Data: [1, 9007199254740991] }, [1n, 9007199254740991n]],
      [DT.STRING, 'string', { stringData: [new TextEncoder().encode('héllo'), new Uint8Array(0)] }, ['héllo', '']],
    ];
    for (const [dataType, type, fields, values] of cases) {
      const t = parseTensorProto(encode({ name: 'v', dims: [2], dataType, ...fields }));
      expect({ type: t.type, dims: t.dims, data: Array.from(t.data as ArrayLike<unknown>) }).toEqual({ type, dims: [2], data: values });
      expect(dataTypeOf(t.type)).toBe(dataType);
    }
  });

  test('raw_data: little-endian bytes, round trip through encodeTensorProto for every numeric type', () => {
    const tensors: HostTensor[] = [
      { name: 'a', type: 'float32', dims: [2, 2], data: Float32Array.of(1, 2.5, -3, 0.125) },
      { name: 'b', type: 'float16', dims: [3], data: Uint16Array.of(0x3c00, 0x4000, 0x7bff) },
      { name: 'c', type: 'int64', dims: [1, 2], data: BigInt64Array.of(-1n, 2n ** 62n) },
      { name: 'd', type: 'uint64', dims: [1], data: BigUint64Array.of(2n ** 64n - 1n) },
      { name: 'e', type: 'int8', dims: [2], data: Int8Array.of(-1, 1) },
      { name: 'f', type: 'float64', dims: [], data: Float64Array.of(Math.PI) },
      { name: 'g', type: 'uint32', dims: [1], data: Uint32Array.of(4000000000) },
      { name: 'h', type: 'bool', dims: [2], data: Uint8Array.of(0, 1) },
    ];
    for (const t of tensors) expect(parseTensorProto(encodeTensorProto(t))).toEqual(t);
    // the bytes are what the spec says: raw_data of 1.0f is 00 00 80 3f
    const raw = onnx.TensorProto.decode(encodeTensorProto({ name: 'x', type: 'float32', dims: [1], data: Float32Array.of(1) })).rawData;
    expect(Array.from(raw)).toEqual([0, 0, 0x80, 0x3f]);
  });

  test('the committed ONNX-test-data sample (int64_data and raw_data, written by onnx-proto)', () => {
    const dir = join('test', 'data', 'pipeline', 'tensors', 'test_data_set_0');
    const ids = parseTensorProto(readFileSync(join(dir, 'input_0.pb')));
    const mask = parseTensorProto(readFileSync(join(dir, 'input_1.pb')));
    expect(ids).toEqual({ name: 'input_ids', type: 'int64', dims: [1, 8], data: BigInt64Array.of(2n, 18n, 15n, 19n, 16n, 3n, 0n, 0n) });
    expect(mask).toEqual({ name: 'attention_mask', type: 'int64', dims: [1, 8], data: BigInt64Array.of(1n, 1n, 1n, 1n, 1n, 1n, 0n, 0n) });
  });

  test('errors name the file and what is wrong', () => {
    expect(error(() => parseTensorProto(new Uint8Array([0xff, 0xff, 0xff]), 'bad.pb')).message).toMatch(/^bad\.pb: not a serialized ONNX TensorProto/);
    expect(error(() => parseTensorProto(encode({ dims: [2], dataType: DT.FLOAT, floatData: [1] }), 'x.pb')).message).toMatch(/float_data holds 1 values but dims need 2/);
    expect(error(() => parseTensorProto(encode({ dims: [2], dataType: DT.FLOAT, rawData: new Uint8Array(7) }), 'x.pb')).message).toMatch(/raw_data holds 7 bytes but float32\[2\] needs 8/);
    expect(error(() => parseTensorProto(encode({ dims: [1], dataType: DT.BFLOAT16, int32Data: [1] }), 'x.pb')).message).toMatch(/element type BFLOAT16 has no ONNX Runtime JS tensor/);
    const external = encode({ dims: [1], dataType: DT.FLOAT, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL });
    expect(error(() => parseTensorProto(external, 'x.pb')).message).toMatch(/external file/);
  });
});
