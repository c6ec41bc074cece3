// Tensor data as the serving protocols carry it: raw little-endian bytes (KServe's binary tensor
// extension, gRPC raw_*_contents) and JSON values (KServe's `data`, TF Serving's nested lists).
// Shared by the client adapter and the server, so both sides read and write the same bytes.
import type { ElementType, HostTensor, TypedArray } from '../model/spec.js';
import { ProtocolError } from './protocol-error.js';

type Ctor = { new (length: number): TypedArray; new (buffer: ArrayBuffer, offset: number, length: number): TypedArray; BYTES_PER_ELEMENT: number };

/** The typed array holding each element type in a HostTensor (float16 as raw Uint16 bits, bool as 0/1 bytes). */
const ARRAYS: Record<Exclude<ElementType, 'string'>, Ctor> = {
  float32: Float32Array, float16: Uint16Array, float64: Float64Array, int8: Int8Array, uint8: Uint8Array,
  int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array,
  int64: BigInt64Array as unknown as Ctor, uint64: BigUint64Array as unknown as Ctor, bool: Uint8Array,
};

/** Elements in a tensor of these dims. */
export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** Bytes per element, or null for strings (variable length). */
export function elementBytes(type: ElementType): number | null {
  return type === 'string' ? null : ARRAYS[type].BYTES_PER_ELEMENT;
}

/**
 * A tensor's elements as raw bytes: row-major, little-endian (the protocols' byte order; x86 and
 * ARM hosts are little-endian, so the typed array's memory is sent as it is, without a copy).
 * Strings: each element a 4-byte little-endian length, then its UTF-8 bytes (KServe BYTES).
 */
export function toRawBytes(tensor: HostTensor): Buffer {
  if (tensor.type === 'string') {
    const parts = (tensor.data as string[]).flatMap((s) => {
      const bytes = Buffer.from(s, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32LE(bytes.length);
      return [length, bytes];
    });
    return Buffer.concat(parts);
  }
  const data = tensor.data as TypedArray;
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Raw bytes → tensor data of `type` with `dims`, copied to an aligned array; a size mismatch is a ProtocolError. */
export function fromRawBytes(name: string, type: ElementType, dims: readonly number[], bytes: Uint8Array): HostTensor['data'] {
  const count = elementCount(dims);
  if (type === 'string') return stringsFromRaw(name, count, bytes);
  const Array_ = ARRAYS[type];
  const expected = count * Array_.BYTES_PER_ELEMENT;
  if (bytes.byteLength !== expected) {
    throw new ProtocolError(400, `tensor '${name}': ${bytes.byteLength} bytes of data, but shape [${dims.join(', ')}] of ${type} needs ${expected}`);
  }
  const out = new Array_(count);
  new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(bytes);
  return out;
}

function stringsFromRaw(name: string, count: number, bytes: Uint8Array): string[] {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = [];
  let at = 0;
  while (at < view.length) {
    if (at + 4 > view.length) throw new ProtocolError(400, `tensor '${name}': BYTES element ${out.length} is cut short (no 4-byte length)`);
    const length = view.readUInt32LE(at);
    if (at + 4 + length > view.length) throw new ProtocolError(400, `tensor '${name}': BYTES element ${out.length} says ${length} bytes, but the data ends first`);
    out.push(view.toString('utf8', at + 4, at + 4 + length));
    at += 4 + length;
  }
  if (out.length !== count) throw new ProtocolError(400, `tensor '${name}': ${out.length} BYTES elements, but the shape needs ${count}`);
  return out;
}

/**
 * JSON text of a tensor's elements as one flat array. Floats are written with the shortest text
 * that reads back as the same double, so a float32 survives the round trip bit-exactly; NaN and
 * ±Infinity, which JSON has no numbers for, are written as the tokens NaN/Infinity/-Infinity
 * (TF Serving's convention; parseJsonTolerant reads them back). int64 beyond 2^53 loses digits
 * in any reader that parses JSON numbers as doubles (JavaScript's and Python's default do not; ours does).
 */
export function jsonArrayText(tensor: HostTensor): string {
  const { type, data } = tensor;
  if (type === 'string') return JSON.stringify(data);
  if (type === 'bool') return `[${Array.from(data as Uint8Array, (v) => (v ? 'true' : 'false')).join(',')}]`;
  if (type === 'float16') return `[${Array.from(data as Uint16Array, (bits) => numberText(float16ToNumber(bits))).join(',')}]`;
  const parts = new Array<string>(data.length);
  for (let i = 0; i < data.length; i++) parts[i] = numberText((data as Float64Array)[i]!);
  return `[${parts.join(',')}]`;
}

function numberText(v: number | bigint): string {
  if (typeof v === 'bigint' || Number.isFinite(v)) return String(v);
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

const NON_FINITE = /([[,:]\s*)(NaN|-?Infinity)(?=\s*[,\]}])/g;

/** JSON.parse that also reads the NaN/Infinity/-Infinity tokens (as null, 1e999, -1e999: see valuesToData). */
export function parseJsonTolerant(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
    return JSON.parse(text.replace(NON_FINITE, (_m, before: string, token: string) => before + (token === 'NaN' ? 'null' : token.startsWith('-') ? '-1e999' : '1e999')));
  }
}

/** Flattens nested arrays row-major, giving the values and the (rectangular) shape. */
export function flattenNested(name: string, value: unknown): { values: unknown[]; dims: number[] } {
  const dims: number[] = [];
  let probe = value;
  while (Array.isArray(probe)) {
    dims.push(probe.length);
    if (dims.length > 32) throw new ProtocolError(400, `tensor '${name}': nested more than 32 levels deep`);
    probe = probe[0];
  }
  const values: unknown[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (depth === dims.length) {
      if (Array.isArray(node)) throw new ProtocolError(400, `tensor '${name}': ragged nested lists (more nesting than the first element's)`);
      values.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== dims[depth]) throw new ProtocolError(400, `tensor '${name}': ragged nested lists (axis ${depth} is not ${dims[depth]} long everywhere)`);
    for (const child of node) walk(child, depth + 1);
  };
  walk(value, 0);
  return { values, dims };
}

/** Flat values → nested lists of `dims` (row-major), for TF Serving's responses. */
export function nestValues(values: readonly unknown[], dims: readonly number[]): unknown {
  if (dims.length === 0) return values[0];
  const build = (axis: number, offset: number): unknown[] => {
    const size = dims[axis]!;
    if (axis === dims.length - 1) return values.slice(offset, offset + size) as unknown[];
    const stride = elementCount(dims.slice(axis + 1));
    return Array.from({ length: size }, (_, i) => build(axis + 1, offset + i * stride));
  };
  return build(0, 0);
}

/** A tensor's elements as JSON values (numbers, booleans, strings; int64 as numbers). */
export function dataToValues(tensor: HostTensor): unknown[] {
  const { type, data } = tensor;
  if (type === 'string') return [...(data as string[])];
  if (type === 'bool') return Array.from(data as Uint8Array, (v) => v !== 0);
  if (type === 'float16') return Array.from(data as Uint16Array, float16ToNumber);
  if (type === 'int64' || type === 'uint64') return Array.from(data as BigInt64Array, Number);
  return Array.from(data as Float32Array);
}

const INT_RANGE: Partial<Record<ElementType, [number, number]>> = {
  int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767], uint16: [0, 65535],
  int32: [-2147483648, 2147483647], uint32: [0, 4294967295],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], uint64: [0, Number.MAX_SAFE_INTEGER],
};

/**
 * JSON values → typed tensor data, checking each element: a number of the type's range for
 * numeric types (null reads as NaN for floats: parseJsonTolerant's NaN), a boolean (or 0/1) for
 * bool, a string for string. The first bad element is a ProtocolError naming its index.
 */
export function valuesToData(name: string, type: ElementType, values: readonly unknown[]): HostTensor['data'] {
  if (type === 'string') {
    const bad = values.findIndex((v) => typeof v !== 'string');
    if (bad >= 0) throw badElement(name, type, bad, values[bad]);
    return values as string[];
  }
  const out = new ARRAYS[type](values.length);
  const float = type === 'float32' || type === 'float64' || type === 'float16';
  const range = INT_RANGE[type];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (type === 'bool') {
      if (v === true || v === 1) out[i] = 1;
      else if (v === false || v === 0) out[i] = 0;
      else throw badElement(name, type, i, v);
    } else if (float) {
      const x = v === null ? NaN : v;
      if (typeof x !== 'number') throw badElement(name, type, i, v);
      out[i] = type === 'float16' ? numberToFloat16(x) : x;
    } else {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < range![0] || v > range![1]) throw badElement(name, type, i, v);
      out[i] = type === 'int64' || type === 'uint64' ? (BigInt(v) as never) : v;
    }
  }
  return out;
}

function badElement(name: string, type: ElementType, index: number, value: unknown): ProtocolError {
  const shown = JSON.stringify(value) ?? String(value);
  return new ProtocolError(400, `tensor '${name}': element ${index} (${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}) is not a valid ${type}`);
}

function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** Number → float16 bits (round half to even via float32; exact for values a float16 holds). */
function numberToFloat16(value: number): number {
  F32[0] = value;
  const x = U32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = ((x >>> 23) & 0xff) - 127 + 15;
  const mantissa = x & 0x7fffff;
  if (((x >>> 23) & 0xff) === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  if (exponent >= 0x1f) return sign | 0x7c00;
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    const m = (mantissa | 0x800000) >> (1 - exponent);
    return sign | ((m + 0x1000 + ((m >> 13) & 1) - 1) >> 13);
  }
  const rounded = (exponent << 10) | (mantissa >> 13);
  const rest = mantissa & 0x1fff;
  return sign | (rest > 0x1000 || (rest === 0x1000 && (rounded & 1)) ? rounded + 1 : rounded);
}
