// Pins in a paired comparison of models whose inputs differ: each side takes the pins that name
// its inputs and dims; a pin that names neither side's is the usage error.
import { describe, expect, test } from 'vitest';
import { emptyPins, type InputPins } from '../../src/inputs/pins.js';
import { checkPinNamesOfEither, pinsFor } from '../../src/inputs/side-pins.js';
import type { TensorSpec } from '../../src/types.js';

const v4: TensorSpec[] = [
  { name: 'input', type: 'float32', shape: ['batch', 'samples'] },
  { name: 'sr', type: 'int64', shape: [] },
  { name: 'h', type: 'float32', shape: [2, 'batch', 64] },
];
const v5: TensorSpec[] = [
  { name: 'input', type: 'float32', shape: [null, null] },
  { name: 'state', type: 'float32', shape: [2, null, 128] },
  { name: 'sr', type: 'int64', shape: [] },
];

const pins = (extra: Partial<InputPins>): InputPins => ({ ...emptyPins(), ...extra });

describe('pinsFor', () => {
  test('each side keeps the pins of its own inputs and dims', () => {
    const given = pins({ shapes: new Map([['input', [1, 512]], ['state', [2, 1, 128]]]), values: new Map([['sr', 16000]]), dims: new Map([['samples', 512]]), batchDim: 'batch' });
    const base = pinsFor(v4, given);
    expect([...base.shapes.keys()]).toEqual(['input']);
    expect([...base.values.keys()]).toEqual(['sr']);
    expect([...base.dims.keys()]).toEqual(['samples']);
    expect(base.batchDim).toBe('batch');
    const head = pinsFor(v5, given);
    expect([...head.shapes.keys()]).toEqual(['input', 'state']);
    expect(head.dims.size).toBe(0);
    expect(head.batchDim).toBeUndefined();
  });
});

describe('checkPinNamesOfEither', () => {
  test('a pin of either side passes', () => {
    expect(() => checkPinNamesOfEither(v4, v5, pins({ shapes: new Map([['state', [2, 1, 128]]]), dims: new Map([['samples', 512]]) }))).not.toThrow();
  });

  test.each([
    [pins({ shapes: new Map([['stat', [1]]]) }), /--shape names 'stat', which is not an input of either model/],
    [pins({ values: new Map([['rate', 1]]) }), /--value names 'rate', which is not an input of either model/],
    [pins({ dims: new Map([['seq', 4]]) }), /--dim names 'seq', which is not a dim of either model/],
  ])('a name neither side has is a usage error', (given, message) => {
    expect(() => checkPinNamesOfEither(v4, v5, given)).toThrow(message);
  });
});
