import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseNpy, parseRaw, readNpyFile } from '../../src/inputs/npy.js';
import { readInputFile, withNpyShapes } from '../../src/inputs/input-file.js';
import { emptyPins } from '../../src/inputs/pins.js';
import { encodeTensorProto } from '../../src/inputs/tensor-proto.js';
import { execFileSync } from 'node:child_process';
import { error } from '../helpers/errors.js';

const DATA = join(import.meta.dirname, '..', 'data');
const dir = mkdtempSync(join(tmpdir(), 'inferbench-npy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A .npy file byte by byte, as numpy.lib.format writes it (header padded to 64 with a newline). */
function npy(header: string, body: number[] | Uint8Array, version = 1): Uint8Array {
  const prefix = version === 1 ? 10 : 12;
  let text = header;
  while ((prefix + text.length + 1) % 64 !== 0) text += ' ';
  text += '\n';
  const head = new Uint8Array(prefix + text.length);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(head.buffer);
  if (version === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  head.set(new TextEncoder().encode(text), prefix);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}
const dict = (descr: string, shape: string, fortran = 'False'): string =>
  `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;


describe('parseNpy', () => {
  test('float32 (2, 2) from known bytes', () => {
    const body = new Uint8Array(new Float32Array([1, -2, 0.5, 3]).buffer);
    const a = parseNpy(npy(dict('<f4', '(2, 2)'), body));
    expect(a.type).toBe('float32');
    expect(a.dims).toEqual([2, 2]);
    expect(a.data).toBeInstanceOf(Float32Array);
    expect([...a.data]).toEqual([1, -2, 0.5, 3]);
  });

  test('every dtype maps to its element type and array class', () => {
    const cases: [string, string, new (b: ArrayBuffer) => ArrayLike<unknown>, number][] = [
      ['<f2', 'float16', Uint16Array, 2],
      ['<f8', 'float64', Float64Array, 8],
      ['|i1', 'int8', Int8Array, 1],
      ['|u1', 'uint8', Uint8Array, 1],
      ['<i2', 'int16', Int16Array, 2],
      ['<u2', 'uint16', Uint16Array, 2],
      ['<i4', 'int32', Int32Array, 4],
      ['<u4', 'uint32', Uint32Array, 4],
      ['<i8', 'int64', BigInt64Array, 8],
      ['<u8', 'uint64', BigUint64Array, 8],
      ['|b1', 'bool', Uint8Array, 1],
    ];
    for (const [descr, type, ctor, size] of cases) {
      const a = parseNpy(npy(dict(descr, '(3,)'), new Uint8Array(3 * size).fill(1)));
      expect(a.type).toBe(type);
      expect(a.dims).toEqual([3]);
      expect(a.data).toBeInstanceOf(ctor);
      expect(a.data.length).toBe(3);
    }
  });

  test('little-endian int64 values, scalar and empty shapes', () => {
    const body = new Uint8Array(new BigInt64Array([-1n, 2n ** 40n]).buffer);
    expect([...parseNpy(npy(dict('<i8', '(2,)'), body)).data]).toEqual([-1n, 2n ** 40n]);
    const scalar = parseNpy(npy(dict('<f8', '()'), new Uint8Array(new Float64Array([7.5]).buffer)));
    expect(scalar.dims).toEqual([]);
    expect([...scalar.data]).toEqual([7.5]);
    expect(parseNpy(npy(dict('<f4', '(0, 3)'), [])).data.length).toBe(0);
  });

  test('v2 and v3 headers (4-byte length; v3 is utf-8)', () => {
    const body = new Uint8Array(new Int32Array([5, 6]).buffer);
    expect([...parseNpy(npy(dict('<i4', '(2,)'), body, 2)).data]).toEqual([5, 6]);
    expect([...parseNpy(npy(dict('<i4', '(1, 2)'), body, 3)).data]).toEqual([5, 6]);
  });

  test('data at an unaligned offset is copied into an aligned array', () => {
    const file = npy(dict('<f8', '(1,)'), new Uint8Array(new Float64Array([2.25]).buffer));
    const shifted = new Uint8Array(file.length + 3);
    shifted.set(file, 3);
    expect([...parseNpy(shifted.subarray(3)).data]).toEqual([2.25]);
  });

  test.each<[string, Uint8Array, string]>([
    ['bad magic', new Uint8Array(16), 'a.npy: not a .npy file (bad magic)'],
    ['fortran order', npy(dict('<f4', '(2,)', 'True'), new Uint8Array(8)), 'a.npy: fortran_order (column-major) arrays are not supported'],
    ['big-endian', npy(dict('>f4', '(2,)'), new Uint8Array(8)), "a.npy: big-endian dtype '>f4' is not supported"],
    ['complex', npy(dict('<c8', '(2,)'), new Uint8Array(16)), "a.npy: unsupported dtype '<c8'"],
    ['object', npy(dict('|O', '(2,)'), new Uint8Array(16)), "a.npy: unsupported dtype '|O'"],
    ['structured', npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", new Uint8Array(8)), 'a.npy: unreadable .npy header'],
    ['short data', npy(dict('<f4', '(3,)'), new Uint8Array(8)), 'a.npy: data holds 8 bytes but shape (3) of float32 needs 12'],
    ['version 9', npy(dict('<f4', '(2,)'), new Uint8Array(8), 9), 'a.npy: unsupported .npy version 9'],
  ])('rejects %s', (_, bytes, message) => {
    const e = error(() => parseNpy(bytes, 'a.npy'));
    expect(e.code).toBe('input-invalid');
    expect(e.message.startsWith(message)).toBe(true);
    expect(e.hint).toBeTruthy();
  });

  test('big-endian single bytes are fine (byte order does not apply)', () => {
    expect(parseNpy(npy(dict('>u1', '(2,)'), [1, 2])).type).toBe('uint8');
  });
});

describe('files written by numpy (test/data)', () => {
  test('int64 (2, 3) = arange(6)', () => {
    const a = readNpyFile(join(DATA, 'ids-int64-2x3.npy'));
    expect(a).toEqual({ type: 'int64', dims: [2, 3], data: new BigInt64Array([0n, 1n, 2n, 3n, 4n, 5n]) });
  });
  test('float32 (1, 2, 2)', () => {
    const a = readNpyFile(join(DATA, 'image-float32-1x2x2.npy'));
    expect(a.type).toBe('float32');
    expect(a.dims).toEqual([1, 2, 2]);
    expect([...a.data]).toEqual([0.5, -1, 2, 3.25]);
  });
});

describe('raw .bin', () => {
  test('bytes of the input type sized by the shape', () => {
    const data = parseRaw(new Uint8Array(new Int32Array([1, 2, 3, 4, 5, 6]).buffer), 'int32', [2, 3]);
    expect(data).toBeInstanceOf(Int32Array);
    expect([...data]).toEqual([1, 2, 3, 4, 5, 6]);
  });
  test('a length that does not match the shape', () => {
    const e = error(() => parseRaw(new Uint8Array(20), 'float32', [2, 3], 'x.bin'));
    expect(e.code).toBe('shape-invalid');
    expect(e.message).toBe('x.bin: holds 20 bytes (5 elements) but shape [2, 3] of float32 needs 24');
  });
  test('strings cannot be raw', () => {
    expect(error(() => parseRaw(new Uint8Array(4), 'string', [1])).code).toBe('input-invalid');
  });
});

describe('readInputFile', () => {
  const ids = { name: 'ids', type: 'int64' as const };
  test('.npy with matching type and shape', () => {
    const t = readInputFile(join(DATA, 'ids-int64-2x3.npy'), ids, [2, 3]);
    expect(t).toEqual({ name: 'ids', type: 'int64', dims: [2, 3], data: new BigInt64Array([0n, 1n, 2n, 3n, 4n, 5n]) });
  });
  test('.npy with another shape: shape-invalid saying both', () => {
    const e = error(() => readInputFile(join(DATA, 'ids-int64-2x3.npy'), ids, [1, 128]));
    expect(e.code).toBe('shape-invalid');
    expect(e.message).toMatch(/input 'ids': .*ids-int64-2x3\.npy has shape \[2, 3\] but the resolved shape is \[1, 128\]$/);
    expect(e.hint).toBe("pass --shape ids=2x3 to use the file's shape");
  });
  test('.npy with another dtype', () => {
    const e = error(() => readInputFile(join(DATA, 'ids-int64-2x3.npy'), { name: 'ids', type: 'int32' }, [2, 3]));
    expect(e.code).toBe('input-invalid');
    expect(e.message).toMatch(/input 'ids' is int32 but .* holds int64$/);
    expect(e.hint).toBe('convert it: np.save(path, arr.astype(np.int32))');
  });
  test('.bin', () => {
    const path = join(dir, 'x.bin');
    writeFileSync(path, new Uint8Array(new Float32Array([1, 2]).buffer));
    const t = readInputFile(path, { name: 'x', type: 'float32' }, [1, 2]);
    expect([...t.data]).toEqual([1, 2]);
    expect(error(() => readInputFile(path, { name: 'x', type: 'float32' }, [1, 3])).code).toBe('shape-invalid');
  });
  test('.pb: an ONNX TensorProto (test_data_set_N/input_K.pb), type and shape checked, strings allowed', () => {
    const path = join(dir, 'input_0.pb');
    writeFileSync(path, encodeTensorProto({ name: 'ids', type: 'int64', dims: [2, 3], data: new BigInt64Array([0n, 1n, 2n, 3n, 4n, 5n]) }));
    expect(readInputFile(path, ids, [2, 3])).toEqual({ name: 'ids', type: 'int64', dims: [2, 3], data: new BigInt64Array([0n, 1n, 2n, 3n, 4n, 5n]) });
    expect(error(() => readInputFile(path, ids, [1, 6])).code).toBe('shape-invalid');
    expect(withNpyShapes({ ...emptyPins(), files: new Map([['ids', path]]) }).shapes.get('ids')).toEqual([2, 3]);
    const strings = join(dir, 'strings.pb');
    writeFileSync(strings, encodeTensorProto({ name: 's', type: 'string', dims: [2], data: ['a', 'b'] }));
    expect(readInputFile(strings, { name: 's', type: 'string' }, [2]).data).toEqual(['a', 'b']);
  });
  test('a FIFO is refused without reading it', () => {
    const fifo = join(dir, 'pipe.npy');
    execFileSync('mkfifo', [fifo]);
    expect(error(() => readInputFile(fifo, ids, [1])).message).toContain('is not a regular file');
  });
  test('missing file, unknown extension, string input', () => {
    const missing = error(() => readInputFile(join(dir, 'nope.npy'), ids, [1]));
    expect(missing.code).toBe('input-invalid');
    expect(missing.message).toMatch(/cannot read input file '.*nope\.npy' \(ENOENT\)/);
    const txt = join(dir, 'x.txt');
    writeFileSync(txt, '1 2 3');
    expect(error(() => readInputFile(txt, ids, [3])).message).toContain('is not .npy, .pb or .bin');
    expect(error(() => readInputFile(txt, { name: 's', type: 'string' }, [3])).code).toBe('input-invalid');
  });
});
