import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { HostTensor } from '../../src/adapters/adapter.js';
import { collectPins, type PinStrings } from '../../src/inputs/pins.js';
import { buildInputs, float16BitsToNumber, float32ToFloat16Bits, RandomStream } from '../../src/inputs/synthetic.js';
import type { ElementType, TensorSpec } from '../../src/types.js';
import { error } from '../helpers/errors.js';

const DATA = join(import.meta.dirname, '..', 'data');

function build(specs: TensorSpec[], dims: number[][], pins: PinStrings = {}, seed = 42) {
  const shapes = new Map(specs.map((s, i) => [s.name, dims[i] ?? []]));
  return buildInputs(specs, shapes, collectPins(pins), seed);
}
function one(name: string, type: ElementType, dims: number[], pins: PinStrings = {}, seed = 42) {
  const { tensors, descriptions } = build([{ name, type, shape: dims }], [dims], pins, seed);
  return { tensor: tensors[0] as HostTensor, source: descriptions[0]?.source };
}
const values = (t: HostTensor): (number | bigint | string)[] => [...t.data];
const bytesOf = (t: HostTensor): Buffer =>
  Array.isArray(t.data) ? Buffer.from(t.data.join('\u0000')) : Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);


const ALL_TYPES: [ElementType, Function][] = [
  ['float32', Float32Array],
  ['float16', Uint16Array],
  ['float64', Float64Array],
  ['int8', Int8Array],
  ['uint8', Uint8Array],
  ['int16', Int16Array],
  ['uint16', Uint16Array],
  ['int32', Int32Array],
  ['uint32', Uint32Array],
  ['int64', BigInt64Array],
  ['uint64', BigUint64Array],
  ['bool', Uint8Array],
  ['string', Array],
];

describe('float32ToFloat16Bits', () => {
  test.each<[number, number]>([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff], // largest finite half
    [65519, 0x7bff], // rounds down below the halfway point
    [65520, 0x7c00], // halfway to the next binade: ties-to-even overflows to inf
    [1e6, 0x7c00],
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -25, 0x0000], // exactly half of it: ties to even → 0
    [1.5 * 2 ** -25, 0x0001], // above half → rounds up
    [1e-8, 0x0000], // 1e-8 < 2^-25 ≈ 2.98e-8 → 0
    [1e-7, 0x0002], // 1e-7 / 2^-24 ≈ 1.68 → 2
    [1023 * 2 ** -24, 0x03ff], // largest subnormal
    [1 + 2 ** -11, 0x3c00], // tie between 1 and 1+2^-10: even (1)
    [1 + 3 * 2 ** -11, 0x3c02], // tie between 1+2^-10 and 1+2^-9: even (0x3c02)
    [1 + 2 ** -10, 0x3c01],
    [0.1, 0x2e66],
    [Math.PI, 0x4248],
  ])('%s → %s', (value, bits) => {
    expect(float32ToFloat16Bits(value)).toBe(bits);
  });
  test('NaN is a quiet NaN', () => {
    expect(float32ToFloat16Bits(NaN) & 0x7c00).toBe(0x7c00);
    expect(float32ToFloat16Bits(NaN) & 0x3ff).not.toBe(0);
  });
  test('round trip of every finite half value', () => {
    const wrong: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) !== 0x7c00 && float32ToFloat16Bits(float16BitsToNumber(bits)) !== bits) wrong.push(bits);
    }
    expect(wrong).toEqual([]);
  });
});

describe('RandomStream', () => {
  test('uniform is in [0, 1) and normal has mean 0, variance 1', () => {
    const rng = new RandomStream(1, 'x');
    let sum = 0;
    let sq = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      const z = rng.normal();
      sum += z;
      sq += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.05);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.05);
  });
});

describe('buildInputs', () => {
  test.each(ALL_TYPES)('%s: right array class and length', (type, ctor) => {
    const { tensor, source } = one('x', type, [2, 3]);
    expect(tensor.data).toBeInstanceOf(ctor);
    expect(tensor.data.length).toBe(6);
    expect(tensor).toMatchObject({ name: 'x', type, dims: [2, 3] });
    expect(source).toMatch(/seed 42$/);
  });

  test('defaults per type', () => {
    const f = one('x', 'float32', [1000]);
    expect(f.source).toBe('normal(0,1) seed 42');
    const ff = values(f.tensor) as number[];
    expect(Math.abs(ff.reduce((a, b) => a + b) / 1000)).toBeLessThan(0.15);
    expect(new Set(ff).size).toBe(1000);
    const h = one('x', 'float16', [100]).tensor.data as Uint16Array;
    expect([...h].every((b) => Math.abs(float16BitsToNumber(b)) < 8)).toBe(true);
    const u8 = one('x', 'uint8', [1000]);
    expect(u8.source).toBe('uniform int [0,256) seed 42');
    const i32 = one('x', 'int32', [1000]);
    expect(i32.source).toBe('uniform int [0,100) seed 42');
    expect((values(i32.tensor) as number[]).every((v) => Number.isInteger(v) && v >= 0 && v < 100)).toBe(true);
    const b = one('x', 'bool', [100]);
    expect(new Set(values(b.tensor))).toEqual(new Set([0, 1]));
    const s = one('x', 'string', [5]).tensor.data as string[];
    expect(s.every((w) => /^[a-z]{3,8}$/.test(w))).toBe(true);
  });

  test('deterministic: same seed → same bytes, other seed → other bytes, for every type', () => {
    for (const [type] of ALL_TYPES) {
      const a = bytesOf(one('x', type, [64], {}, 7).tensor);
      const b = bytesOf(one('x', type, [64], {}, 7).tensor);
      const c = bytesOf(one('x', type, [64], {}, 8).tensor);
      expect(a.equals(b)).toBe(true);
      expect(a.equals(c)).toBe(false);
    }
  });

  test('each input has its own stream: adding an input changes no other', () => {
    const x = { name: 'x', type: 'float32' as const, shape: [8] };
    const y = { name: 'y', type: 'float32' as const, shape: [8] };
    const alone = build([x], [[8]]).tensors[0] as HostTensor;
    const both = build([y, x], [[8], [8]]).tensors;
    expect(bytesOf(both[1] as HostTensor).equals(bytesOf(alone))).toBe(true);
    expect(bytesOf(both[0] as HostTensor).equals(bytesOf(alone))).toBe(false);
  });

  test('name heuristics', () => {
    const mask = one('attention_mask', 'int64', [2, 4]);
    expect(mask.source).toBe('ones (mask)');
    expect(values(mask.tensor)).toEqual(Array(8).fill(1n));
    expect(values(one('Input_Mask:0', 'float32', [3]).tensor)).toEqual([1, 1, 1]);
    expect(values(one('pad_mask', 'bool', [3]).tensor)).toEqual([1, 1, 1]);
    expect(values(one('half_mask', 'float16', [2]).tensor)).toEqual([0x3c00, 0x3c00]);
    const types = one('token_type_ids', 'int64', [1, 3]);
    expect(types.source).toBe('zeros (token types)');
    expect(values(types.tensor)).toEqual([0n, 0n, 0n]);
    expect(values(one('segment_ids', 'int32', [2]).tensor)).toEqual([0, 0]);
    const pos = one('position_ids', 'int64', [2, 3]);
    expect(pos.source).toBe('positions 0..2 per row');
    expect(values(pos.tensor)).toEqual([0n, 1n, 2n, 0n, 1n, 2n]);
    for (const name of ['input_ids', 'ids', 'tokens', 'decoder_input_ids', 'INPUT_IDS:0']) {
      const ids = one(name, 'int64', [500]);
      expect(ids.source).toBe('token ids uniform [0,1000) seed 42');
      const v = values(ids.tensor) as bigint[];
      expect(v.every((x) => x >= 0n && x < 1000n)).toBe(true);
      expect(v.some((x) => x >= 256n)).toBe(true);
    }
    expect(one('ids', 'int8', [10]).source).toBe('token ids uniform [0,128) seed 42');
    expect(one('ids', 'float32', [10]).source).toBe('normal(0,1) seed 42'); // ids heuristic is for ints only
  });

  test('--value fills a constant, checked against the type', () => {
    const sr = one('sr', 'int64', [1], { value: ['sr=16000'] });
    expect(sr.source).toBe('const 16000');
    expect(values(sr.tensor)).toEqual([16000n]);
    expect(values(one('t', 'float16', [2], { value: ['t=-2'] }).tensor)).toEqual([0xc000, 0xc000]);
    expect(values(one('attention_mask', 'int32', [2], { value: ['attention_mask=0'] }).tensor)).toEqual([0, 0]);
    expect(values(one('s', 'string', [2], { value: ['s=7'] }).tensor)).toEqual(['7', '7']);
    const e = error(() => one('u', 'uint8', [1], { value: ['u=300'] }));
    expect(e.code).toBe('input-invalid');
    expect(e.message).toBe("--value for input 'u' does not fit its type uint8");
    expect(e.hint).toBe('give integers in [0, 255]');
    expect(error(() => one('i', 'int32', [1], { value: ['i=0.5'] })).code).toBe('input-invalid');
  });

  test('--range draws uniform values in [lo, hi)', () => {
    const ids = one('input_ids', 'int64', [2000], { range: ['input_ids=5:8'] });
    expect(ids.source).toBe('uniform int [5,8) seed 42');
    expect(new Set(values(ids.tensor))).toEqual(new Set([5n, 6n, 7n]));
    const f = one('x', 'float64', [2000], { range: ['x=-0.5:0.5'] });
    expect(f.source).toBe('uniform [-0.5,0.5) seed 42');
    expect((values(f.tensor) as number[]).every((v) => v >= -0.5 && v < 0.5)).toBe(true);
    expect(values(one('b', 'uint8', [100], { range: ['b=0:256'] }).tensor).length).toBe(100);
    const e = error(() => one('b', 'int8', [1], { range: ['b=0:200'] }));
    expect(e.message).toBe("--range for input 'b' does not fit its type int8");
    expect(e.hint).toBe('give integers in [-128, 127] (hi is exclusive: up to max+1)');
    expect(error(() => one('s', 'string', [1], { range: ['s=0:1'] })).code).toBe('input-invalid');
  });

  test('--input-file reads .npy, checking shape and type', () => {
    const path = join(DATA, 'ids-int64-2x3.npy');
    const ok = one('ids', 'int64', [2, 3], { inputFile: [`ids=${path}`] });
    expect(ok.source).toBe(`file ${path}`);
    expect(values(ok.tensor)).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
    expect(error(() => one('ids', 'int64', [1, 128], { inputFile: [`ids=${path}`] })).code).toBe('shape-invalid');
    expect(error(() => one('ids', 'int32', [2, 3], { inputFile: [`ids=${path}`] })).code).toBe('input-invalid');
  });

  test('scalars, empty tensors and pins naming unknown inputs', () => {
    expect(values(one('x', 'float32', []).tensor).length).toBe(1);
    expect(values(one('x', 'int64', [0, 4]).tensor)).toEqual([]);
    const e = error(() => one('x', 'float32', [1], { value: ['y=1'] }));
    expect(e.code).toBe('usage');
    expect(e.hint).toBe("the model's inputs: x [1] float32");
  });

  test('descriptions list every input with its dims', () => {
    const { descriptions } = build(
      [
        { name: 'input_ids', type: 'int64', shape: ['batch', 'sequence'] },
        { name: 'attention_mask', type: 'int64', shape: ['batch', 'sequence'] },
      ],
      [
        [1, 16],
        [1, 16],
      ],
    );
    expect(descriptions).toEqual([
      { name: 'input_ids', type: 'int64', dims: [1, 16], source: 'token ids uniform [0,1000) seed 42' },
      { name: 'attention_mask', type: 'int64', dims: [1, 16], source: 'ones (mask)' },
    ]);
  });

  test('absurd sizes are refused before allocating', () => {
    const e = error(() => one('x', 'float32', [1024, 1024, 1024, 2]));
    expect(e.code).toBe('out-of-memory');
    expect(e.message).toBe("input 'x' of shape [1024, 1024, 1024, 2] would take 8.00 GiB, over the 4.00 GiB a tensor may take");
  });
});
