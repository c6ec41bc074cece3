// Reader for ONNX `TensorProto` files (`.pb`), the format of ONNX's conformance test data
// (`test_data_set_0/input_0.pb`) and of onnx.numpy_helper.from_array(...).SerializeToString().
// Values come from raw_data (little-endian bytes) or from the typed repeated fields, whose use per
// element type the spec fixes (onnx/onnx.proto3, TensorProto):
//   float_data: FLOAT · int32_data: INT32 INT16 INT8 UINT16 UINT8 BOOL FLOAT16 (bits) ·
//   int64_data: INT64 · uint64_data: UINT32 UINT64 · double_data: DOUBLE · string_data: STRING.
// Data in an external file, and types ONNX Runtime's JS API has no tensor for (bfloat16, float8,
// int4, complex), are refused with a message naming the type.
import onnxProto from 'onnx-proto';
import type { onnx as O } from 'onnx-proto';
import type { HostTensor, TypedArray } from '../adapters/adapter.js';
import { InferbenchError, messageOf } from '../errors.js';
import type { ElementType } from '../types.js';
import { bytesPerElement, typedArrayOf, type NumericType } from './npy.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;

/** TensorProto.DataType → element type, for the types ONNX Runtime's JS API has tensors for. */
const TYPES = new Map<number, ElementType>([
  [DT.FLOAT, 'float32'],
  [DT.UINT8, 'uint8'],
  [DT.INT8, 'int8'],
  [DT.UINT16, 'uint16'],
  [DT.INT16, 'int16'],
  [DT.INT32, 'int32'],
  [DT.INT64, 'int64'],
  [DT.STRING, 'string'],
  [DT.BOOL, 'bool'],
  [DT.FLOAT16, 'float16'],
  [DT.DOUBLE, 'float64'],
  [DT.UINT32, 'uint32'],
  [DT.UINT64, 'uint64'],
]);

/** The TensorProto.DataType number of an element type (for writing .pb files). */
export function dataTypeOf(type: ElementType): number {
  for (const [code, t] of TYPES) if (t === type) return code;
  throw new Error(`no ONNX data type for ${type}`);
}

type Int64 = number | { toString(): string };
const bigOf = (v: Int64): bigint => BigInt(typeof v === 'number' ? v : v.toString());

function invalid(label: string, why: string): InferbenchError {
  return new InferbenchError('input-invalid', `${label}: ${why}`, 'write it with onnx.numpy_helper.from_array(array, name).SerializeToString()');
}

/** Values of the typed repeated field that holds `type`. */
function fromFields(t: O.TensorProto, type: Exclude<ElementType, 'string'>, count: number, label: string): TypedArray {
  const take = <T>(field: T[], name: string): T[] => {
    if (field.length !== count) throw invalid(label, `${name} holds ${field.length} values but dims need ${count}`);
    return field;
  };
  switch (type) {
    case 'float32':
      return Float32Array.from(take(t.floatData, 'float_data'));
    case 'float64':
      return Float64Array.from(take(t.doubleData, 'double_data'));
    case 'int64':
      return BigInt64Array.from(take(t.int64Data, 'int64_data').map(bigOf));
    case 'uint64':
      return BigUint64Array.from(take(t.uint64Data, 'uint64_data').map((v) => BigInt.asUintN(64, bigOf(v))));
    case 'uint32':
      return Uint32Array.from(take(t.uint64Data, 'uint64_data').map((v) => Number(bigOf(v))));
    case 'int32':
      return Int32Array.from(take(t.int32Data, 'int32_data'));
    case 'int16':
      return Int16Array.from(take(t.int32Data, 'int32_data'));
    case 'int8':
      return Int8Array.from(take(t.int32Data, 'int32_data'));
    case 'uint16':
    case 'float16': // IEEE half bits, as HostTensor keeps float16
      return Uint16Array.from(take(t.int32Data, 'int32_data'));
    case 'uint8':
    case 'bool':
      return Uint8Array.from(take(t.int32Data, 'int32_data'));
  }
}

/** Decodes a serialized TensorProto into a host tensor. `label` names the file in errors. */
export function parseTensorProto(bytes: Uint8Array, label = 'tensor.pb'): HostTensor {
  let t: O.TensorProto;
  try {
    t = onnx.TensorProto.decode(bytes);
  } catch (error) {
    throw invalid(label, `not a serialized ONNX TensorProto (${messageOf(error)})`);
  }
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw invalid(label, 'its data is in an external file, which is not supported');
  }
  const type = TYPES.get(t.dataType);
  if (type === undefined) {
    const known = (DT as unknown as Record<number, string>)[t.dataType];
    throw invalid(label, `element type ${known ?? t.dataType} has no ONNX Runtime JS tensor`);
  }
  const dims = t.dims.map((d) => Number(bigOf(d)));
  const count = dims.reduce((a, b) => a * b, 1);
  const name = t.name;
  if (type === 'string') {
    if (t.stringData.length !== count) throw invalid(label, `string_data holds ${t.stringData.length} values but dims need ${count}`);
    return { name, type, dims, data: t.stringData.map((s) => new TextDecoder().decode(s)) };
  }
  if (t.rawData.length > 0) {
    const size = bytesPerElement(type);
    if (t.rawData.length !== count * size) {
      throw invalid(label, `raw_data holds ${t.rawData.length} bytes but ${type}[${dims.join(', ')}] needs ${count * size}`);
    }
    return { name, type, dims, data: typedArrayOf(type as NumericType, t.rawData) };
  }
  return { name, type, dims, data: fromFields(t, type, count, label) };
}

/** Serializes a host tensor as a TensorProto with raw_data (strings in string_data). */
export function encodeTensorProto(tensor: HostTensor): Uint8Array {
  const base = { name: tensor.name, dims: tensor.dims, dataType: dataTypeOf(tensor.type) };
  const message = Array.isArray(tensor.data)
    ? { ...base, stringData: tensor.data.map((s) => new TextEncoder().encode(s)) }
    : { ...base, rawData: new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength) };
  return onnx.TensorProto.encode(message).finish();
}
