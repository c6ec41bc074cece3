// Readers for `--input-file`: NumPy .npy files and raw little-endian .bin files.
// The .npy format: magic "\x93NUMPY", major and minor version bytes, a header length (uint16 LE
// in v1, uint32 LE in v2/v3), then a Python dict literal {'descr', 'fortran_order', 'shape'}
// (latin1 in v1/v2, utf8 in v3), padded so the data starts aligned, then the raw data.
// Spec: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
// Data is copied into a fresh buffer so typed-array views are aligned; this happens once, before
// any timing. Hosts are assumed little-endian (every platform Node and ONNX Runtime ship for).
import { readFileSync, statSync } from 'node:fs';
import type { TypedArray } from '../adapters/adapter.js';
import { InferbenchError } from '../errors.js';
import type { ElementType } from '../types.js';

export interface NpyArray {
  type: ElementType;
  dims: number[];
  /** float16 is raw IEEE half bits in a Uint16Array; bool is a Uint8Array of 0/1. */
  data: TypedArray;
}

/** Every element type but 'string': the ones stored in typed arrays. */
export type NumericType = Exclude<ElementType, 'string'>;

/** NumPy dtype kind+size (without byte order) → element type. */
const DTYPES: Record<string, NumericType> = {
  f2: 'float16',
  f4: 'float32',
  f8: 'float64',
  i1: 'int8',
  u1: 'uint8',
  i2: 'int16',
  u2: 'uint16',
  i4: 'int32',
  u4: 'uint32',
  i8: 'int64',
  u8: 'uint64',
  b1: 'bool',
};

const BYTES: Record<NumericType, number> = {
  float16: 2,
  float32: 4,
  float64: 8,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  bool: 1,
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function invalid(label: string, why: string, hint?: string): InferbenchError {
  return new InferbenchError('input-invalid', `${label}: ${why}`, hint ?? 'write it with numpy.save(path, array)');
}

/** Bytes per element of a numeric element type. */
export function bytesPerElement(type: ElementType): number {
  if (type === 'string') throw new InferbenchError('input-invalid', 'string tensors cannot be read from .npy or .bin files');
  return BYTES[type];
}

/** A typed array of `type` over a copy of `bytes` (whose length must be a multiple of the size). */
export function typedArrayOf(type: NumericType, bytes: Uint8Array): TypedArray {
  // new Uint8Array(view) copies into an exact-size buffer (Buffer#slice would not copy).
  const buffer = new Uint8Array(bytes).buffer;
  switch (type) {
    case 'float32':
      return new Float32Array(buffer);
    case 'float64':
      return new Float64Array(buffer);
    case 'float16':
    case 'uint16':
      return new Uint16Array(buffer);
    case 'int8':
      return new Int8Array(buffer);
    case 'uint8':
    case 'bool':
      return new Uint8Array(buffer);
    case 'int16':
      return new Int16Array(buffer);
    case 'int32':
      return new Int32Array(buffer);
    case 'uint32':
      return new Uint32Array(buffer);
    case 'int64':
      return new BigInt64Array(buffer);
    case 'uint64':
      return new BigUint64Array(buffer);
  }
}

function parseDescr(descr: string, label: string): NumericType {
  const order = descr[0];
  const type = DTYPES[descr.slice(1)];
  if (type === undefined || (order !== '<' && order !== '|' && order !== '>')) {
    throw invalid(label, `unsupported dtype '${descr}'`, 'supported: f2 f4 f8 i1 u1 i2 u2 i4 u4 i8 u8 b1 (little-endian)');
  }
  if (order === '>' && BYTES[type] > 1) {
    throw invalid(label, `big-endian dtype '${descr}' is not supported`, "convert with arr.astype(arr.dtype.newbyteorder('<'))");
  }
  return type;
}

function parseHeader(header: string, label: string): { type: NumericType; dims: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shape === undefined) {
    throw invalid(label, `unreadable .npy header ${JSON.stringify(header.trim())} (structured dtypes are not supported)`);
  }
  if (fortran === 'True') {
    throw invalid(label, 'fortran_order (column-major) arrays are not supported', 'save a C-order copy: np.save(path, np.ascontiguousarray(arr))');
  }
  const dims = shape
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const n = Number(s.replace(/L$/, ''));
      if (!Number.isSafeInteger(n) || n < 0) throw invalid(label, `bad shape (${shape}) in .npy header`);
      return n;
    });
  return { type: parseDescr(descr, label), dims };
}

/** Parses the bytes of a .npy file. `label` names the file in errors. */
export function parseNpy(bytes: Uint8Array, label = 'array.npy'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw invalid(label, 'not a .npy file (bad magic)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let start: number;
  let length: number;
  if (major === 1) {
    length = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw invalid(label, 'truncated .npy header');
    length = view.getUint32(8, true);
    start = 12;
  } else {
    throw invalid(label, `unsupported .npy version ${major}`);
  }
  if (start + length > bytes.length) throw invalid(label, 'truncated .npy header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + length));
  const { type, dims } = parseHeader(header, label);
  const count = dims.reduce((a, b) => a * b, 1);
  const body = bytes.subarray(start + length);
  const expected = count * BYTES[type];
  if (body.length !== expected) {
    throw invalid(label, `data holds ${body.length} bytes but shape (${dims.join(', ')}) of ${type} needs ${expected}`);
  }
  return { type, dims, data: typedArrayOf(type, body) };
}

/** Parses raw little-endian bytes as `count(dims)` elements of `type`; the length must match. */
export function parseRaw(bytes: Uint8Array, type: ElementType, dims: number[], label = 'input.bin'): TypedArray {
  const size = bytesPerElement(type);
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== count * size) {
    const fits = bytes.length % size === 0 ? ` (${bytes.length / size} elements)` : '';
    throw new InferbenchError(
      'shape-invalid',
      `${label}: holds ${bytes.length} bytes${fits} but shape [${dims.join(', ')}] of ${type} needs ${count * size}`,
      'pass --shape so the shape matches the file, or write the file from an array of that shape',
    );
  }
  return typedArrayOf(type as NumericType, bytes);
}

/** The bytes of an input file; a FIFO or device is refused first (reading one would block). */
export function readBytes(path: string): Uint8Array {
  try {
    if (!statSync(path).isFile()) throw new InferbenchError('input-invalid', `input file '${path}' is not a regular file`, 'pass a .npy, .pb or .bin file');
    return readFileSync(path);
  } catch (error) {
    if (error instanceof InferbenchError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new InferbenchError('input-invalid', `cannot read input file '${path}' (${code})`, 'check the path given to --input-file');
  }
}

export function readNpyFile(path: string): NpyArray {
  return parseNpy(readBytes(path), path);
}

export function readRawFile(path: string, type: ElementType, dims: number[]): TypedArray {
  return parseRaw(readBytes(path), type, dims, path);
}
