// Integration: the tensors buildInputs makes must be accepted by real ONNX Runtime for every
// element type (float16 as Uint16 bits, bool as Uint8Array of 0/1, 64-bit ints as BigInt arrays).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, test } from 'vitest';
import type { HostTensor } from '../../src/adapters/adapter.js';
import { collectPins, emptyPins } from '../../src/inputs/pins.js';
import { resolveShapes } from '../../src/inputs/shapes.js';
import { buildInputs } from '../../src/inputs/synthetic.js';
import type { Dim, ElementType, TensorSpec } from '../../src/types.js';

const TYPES_ONNX = join(import.meta.dirname, '..', '..', 'fixtures', 'types.onnx');
const ALL: ElementType[] = [
  'float32',
  'float16',
  'float64',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'bool',
  'string',
];

const toOrt = (t: HostTensor): ort.Tensor => new ort.Tensor(t.type as ort.Tensor.Type, t.data as never, t.dims);

describe('onnxruntime-node accepts the built tensors', () => {
  test('ort.Tensor for every element type', () => {
    const specs: TensorSpec[] = ALL.map((type) => ({ name: `x_${type}`, type, shape: ['batch', 4] }));
    const shapes = resolveShapes(specs, emptyPins(), 2);
    const { tensors } = buildInputs(specs, shapes, emptyPins(), 1);
    for (const t of tensors) {
      const tensor = toOrt(t);
      expect(tensor.type).toBe(t.type);
      expect(tensor.dims).toEqual([2, 4]);
      expect(tensor.size).toBe(8);
    }
  });

  test.runIf(existsSync(TYPES_ONNX))('fixtures/types.onnx runs on them', async () => {
    const session = await ort.InferenceSession.create(TYPES_ONNX);
    try {
      const specs: TensorSpec[] = session.inputNames.map((name, i) => {
        const meta = session.inputMetadata[i];
        if (meta === undefined || !meta.isTensor) throw new Error(`input ${name} is not a tensor`);
        return { name, type: meta.type as ElementType, shape: meta.shape as Dim[] };
      });
      expect(new Set(specs.map((s) => s.type))).toEqual(new Set(ALL.filter((t) => t !== 'string')));
      // 'anon' has an unnamed dim at axis 1: only --shape can size it.
      const pins = collectPins({ shape: ['anon=1x5'] });
      const shapes = resolveShapes(specs, pins, 3);
      const { tensors } = buildInputs(specs, shapes, pins, 42);
      const feeds = Object.fromEntries(tensors.map((t) => [t.name, toOrt(t)]));
      const out = await session.run(feeds);
      const sum = out['sum'];
      expect(sum?.dims).toEqual([3, 4]);
      expect([...(sum?.data as Float32Array)].every(Number.isFinite)).toBe(true);
    } finally {
      await session.release();
    }
  });
});
