import { describe, expect, test } from 'vitest';
import { InferbenchError } from '../../src/errors.js';
import {
  collectPins,
  emptyPins,
  parseDimPin,
  parseFilePin,
  parseRangePin,
  parseShapePin,
  parseValuePin,
} from '../../src/inputs/pins.js';

function usageError(fn: () => unknown): InferbenchError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InferbenchError);
    const e = error as InferbenchError;
    expect(e.code).toBe('usage');
    return e;
  }
  throw new Error('expected a usage error');
}

describe('parseShapePin', () => {
  test('accepts x and comma separators', () => {
    expect(parseShapePin('x=1x3x224x224')).toEqual(['x', [1, 3, 224, 224]]);
    expect(parseShapePin('x=1,3,224,224')).toEqual(['x', [1, 3, 224, 224]]);
    expect(parseShapePin('x=1X8')).toEqual(['x', [1, 8]]);
    expect(parseShapePin(' x = 7 ')).toEqual(['x', [7]]);
  });
  test('keeps names with ":" and "/" (TensorFlow style)', () => {
    expect(parseShapePin('serving/input:0=2x2')).toEqual(['serving/input:0', [2, 2]]);
  });
  test.each([
    ['x', "--shape 'x': missing '='"],
    ['=1x2', "--shape '=1x2': missing the name before ="],
    ['x=', "--shape 'x=': missing the value after ="],
    ['x=1xax3', "--shape 'x=1xax3': dim 'a' is not a positive integer"],
    ['x=1x0', "--shape 'x=1x0': dim '0' is not a positive integer"],
    ['x=1x-2', "--shape 'x=1x-2': dim '-2' is not a positive integer"],
    ['x=1x2.5', "--shape 'x=1x2.5': dim '2.5' is not a positive integer"],
    ['x=1xx2', "--shape 'x=1xx2': dim '' is not a positive integer"],
  ])('rejects %s', (raw, message) => {
    const e = usageError(() => parseShapePin(raw));
    expect(e.message).toBe(message);
    expect(e.hint).toBe('expected --shape input=1x3x224x224 (or 1,3,224,224)');
  });
});

describe('parseDimPin', () => {
  test('good', () => expect(parseDimPin('batch=4')).toEqual(['batch', 4]));
  test.each(['batch', 'batch=0', 'batch=four', 'batch=1.5', 'batch=4x4', '=4'])('rejects %s', (raw) => {
    expect(usageError(() => parseDimPin(raw)).hint).toBe('expected --dim batch=4');
  });
});

describe('parseValuePin', () => {
  test('numbers of every spelling', () => {
    expect(parseValuePin('sr=16000')).toEqual(['sr', 16000]);
    expect(parseValuePin('t=-0.5')).toEqual(['t', -0.5]);
    expect(parseValuePin('t=1e-3')).toEqual(['t', 0.001]);
    expect(parseValuePin('t=.5')).toEqual(['t', 0.5]);
  });
  test.each(['sr=abc', 'sr=Infinity', 'sr=0x10', 'sr', 'sr=1,2'])('rejects %s', (raw) => {
    const e = usageError(() => parseValuePin(raw));
    expect(e.message).toContain(`--value '${raw}'`);
    expect(e.hint).toBe('expected --value sr=16000');
  });
});

describe('parseRangePin', () => {
  test('lo:hi, negative values allowed', () => {
    expect(parseRangePin('ids=0:30000')).toEqual(['ids', [0, 30000]]);
    expect(parseRangePin('x=-1.5:1.5')).toEqual(['x', [-1.5, 1.5]]);
  });
  test('lo must be below hi', () => {
    const e = usageError(() => parseRangePin('ids=5:5'));
    expect(e.message).toBe("--range 'ids=5:5': lo (5) must be less than hi (5)");
    expect(e.hint).toBe('expected --range ids=0:30000 (lo inclusive, hi exclusive)');
  });
  test.each([
    ['ids=0', "--range 'ids=0': the range must be lo:hi with one ':'"],
    ['ids=0:1:2', "--range 'ids=0:1:2': the range must be lo:hi with one ':'"],
    ['ids=a:2', "--range 'ids=a:2': lo 'a' is not a number"],
    ['ids=0:', "--range 'ids=0:': hi '' is not a number"],
  ])('rejects %s', (raw, message) => {
    expect(usageError(() => parseRangePin(raw)).message).toBe(message);
  });
});

describe('parseFilePin', () => {
  test('splits at the first =, so paths may hold =', () => {
    expect(parseFilePin('ids=path/to/ids.npy')).toEqual(['ids', 'path/to/ids.npy']);
    expect(parseFilePin('ids=data/a=b.bin')).toEqual(['ids', 'data/a=b.bin']);
  });
  test('rejects a missing path', () => {
    const e = usageError(() => parseFilePin('ids='));
    expect(e.hint).toBe('expected --input-file ids=path/to/ids.npy (.npy or raw .bin)');
  });
});

describe('collectPins', () => {
  test('empty input gives empty pins', () => {
    expect(collectPins({})).toEqual(emptyPins());
  });
  test('parses every flag', () => {
    const pins = collectPins({
      shape: ['x=1x3'],
      dim: ['batch=2', 'seq=64'],
      value: ['sr=16000'],
      range: ['ids=0:10'],
      inputFile: ['img=a.npy'],
    });
    expect(pins.shapes.get('x')).toEqual([1, 3]);
    expect([...pins.dims]).toEqual([
      ['batch', 2],
      ['seq', 64],
    ]);
    expect(pins.values.get('sr')).toBe(16000);
    expect(pins.ranges.get('ids')).toEqual([0, 10]);
    expect(pins.files.get('img')).toBe('a.npy');
  });
  test('a name given twice by one flag is an error', () => {
    const e = usageError(() => collectPins({ dim: ['seq=1', 'seq=2'] }));
    expect(e.message).toBe("--dim 'seq=2': 'seq' is given more than once");
  });
  test('--value, --range and --input-file exclude each other per input', () => {
    const e = usageError(() => collectPins({ value: ['ids=1'], range: ['ids=0:5'] }));
    expect(e.message).toBe("input 'ids' is given both --value and --range");
    expect(e.hint).toBe('give each input at most one of --value, --range and --input-file');
    expect(() => collectPins({ value: ['a=1'], range: ['b=0:5'], inputFile: ['c=c.npy'] })).not.toThrow();
  });
});
