import { describe, expect, test } from 'vitest';
import { collectPins, emptyPins, type PinStrings } from '../../src/inputs/pins.js';
import { batchDimOf, resolveShapes } from '../../src/inputs/shapes.js';
import type { Dim, TensorSpec } from '../../src/types.js';
import { error } from '../helpers/errors.js';

const spec = (name: string, shape: Dim[], type: TensorSpec['type'] = 'float32'): TensorSpec => ({ name, type, shape });

const BERT = [spec('input_ids', ['batch', 'sequence'], 'int64'), spec('attention_mask', ['batch', 'sequence'], 'int64')];
const CNN = [spec('image', ['N', 3, 224, 224])];

function resolve(specs: TensorSpec[], pins: PinStrings = {}, batch: number | null = null): Record<string, number[]> {
  return Object.fromEntries(resolveShapes(specs, collectPins(pins), batch));
}


describe('batchDimOf', () => {
  test.each<[Dim[], number | null]>([
    [['batch', 3], 0],
    [['N', 3, 224, 224], 0],
    [['unk__123', 10], 0],
    [[null, 4], 0],
    [['', 4], 0],
    [['height', 4], 0], // any dynamic first dim
    [[1, 'batch_size'], 1],
    [['sequence', 'batch', 64], 1], // time-major: a sequence-like first dim is not the batch
    [['seq', 5], null],
    [[1, 3, 'unk__7'], null], // unk__ counts only at axis 0
    [[1, 16], null],
    [[], null],
  ])('%j → %s', (shape, expected) => {
    expect(batchDimOf(spec('x', shape))).toBe(expected);
  });
});

describe('resolveShapes', () => {
  test('fixed dims are themselves', () => {
    expect(resolve([spec('x', [1, 16]), spec('s', [])])).toEqual({ x: [1, 16], s: [] });
  });

  test('defaults: batch-like → 1, sequence-like → 128', () => {
    expect(resolve(BERT)).toEqual({ input_ids: [1, 128], attention_mask: [1, 128] });
    expect(resolve(CNN)).toEqual({ image: [1, 3, 224, 224] });
    for (const name of ['seq', 'seq_len', 'sequence_length', 'max_seq_len', 'tokens', 'length', 'num_tokens', 'SEQ']) {
      expect(resolve([spec('x', [1, name])])).toEqual({ x: [1, 128] });
    }
    for (const name of ['batch', 'batch_size', 'N', 'bs', 'BatchSize']) {
      expect(resolve([spec('x', [4, name])])).toEqual({ x: [4, 1] });
    }
  });

  test('the sweep batch sets the batch dim of every input', () => {
    expect(resolve(BERT, {}, 8)).toEqual({ input_ids: [8, 128], attention_mask: [8, 128] });
    expect(resolve(CNN, {}, 4)).toEqual({ image: [4, 3, 224, 224] });
    expect(resolve([spec('x', ['unk__12', 10])], {}, 3)).toEqual({ x: [3, 10] });
    expect(resolve([spec('x', [null, 10])], {}, 3)).toEqual({ x: [3, 10] });
    expect(resolve([spec('x', ['seq', 'batch', 2])], {}, 5)).toEqual({ x: [128, 5, 2] });
  });

  test('--batch-dim names the dim the sweep batch sets when the heuristic picks another', () => {
    const withBatchDim = (specs: TensorSpec[], batchDim: string, batch: number, dims: Record<string, number> = {}) => {
      const pins = { ...collectPins({ dim: Object.entries(dims).map(([k, v]) => `${k}=${v}`) }), batchDim };
      return Object.fromEntries(resolveShapes(specs, pins, batch));
    };
    // [time, N]: the heuristic takes the dynamic axis 0 ('time') as the batch.
    const timeMajor = [spec('x', ['time', 'N', 16])];
    expect(batchDimOf(timeMajor[0]!)).toBe(0);
    expect(batchDimOf(timeMajor[0]!, 'N')).toBe(1);
    expect(resolve(timeMajor, { dim: ['N=2'] }, 8)).toEqual({ x: [8, 2, 16] }); // without it: 'time' gets the batch
    expect(withBatchDim(timeMajor, 'N', 8, { time: 50 })).toEqual({ x: [50, 8, 16] });
    expect(error(() => withBatchDim(timeMajor, 'N', 8)).message).toBe("input 'x': dim 'time' (axis 0) is unresolved");
    expect(withBatchDim([spec('x', ['seq', 'rows']), spec('m', ['rows'])], 'rows', 4)).toEqual({ x: [128, 4], m: [4] });
    // other batch-like names and an unnamed axis 0 fall back to 1
    expect(withBatchDim([spec('x', [null, 'samples']), spec('y', ['batch', 'samples'])], 'samples', 6)).toEqual({ x: [1, 6], y: [1, 6] });
    const typo = error(() => withBatchDim(BERT, 'bacth', 2));
    expect(typo.code).toBe('usage');
    expect(typo.message).toBe("--batch-dim names 'bacth', which is not a dim of the model");
    expect(typo.hint).toMatch(/^symbolic dims: batch, sequence; /);
  });

  test('--dim sets a symbolic dim everywhere and wins over batch and defaults', () => {
    expect(resolve(BERT, { dim: ['sequence=64'] })).toEqual({ input_ids: [1, 64], attention_mask: [1, 64] });
    expect(resolve(BERT, { dim: ['batch=2', 'sequence=16'] }, 8)).toEqual({ input_ids: [2, 16], attention_mask: [2, 16] });
    expect(resolve([spec('img', [1, 3, 'height', 'width'])], { dim: ['height=32', 'width=48'] })).toEqual({
      img: [1, 3, 32, 48],
    });
  });

  test('--shape wins for its input and binds its symbolic dims for the others', () => {
    expect(resolve(BERT, { shape: ['input_ids=2x32'] })).toEqual({ input_ids: [2, 32], attention_mask: [2, 32] });
    expect(resolve(BERT, { shape: ['input_ids=2,32'] }, 8)).toEqual({ input_ids: [2, 32], attention_mask: [2, 32] });
    expect(resolve([spec('anon', [1, ''])], { shape: ['anon=1x5'] })).toEqual({ anon: [1, 5] });
  });

  test('--shape with the wrong rank or fixed dims', () => {
    const rank = error(() => resolve(CNN, { shape: ['image=1x3x224'] }));
    expect(rank.code).toBe('shape-invalid');
    expect(rank.message).toBe("--shape image=1x3x224 does not fit input 'image': the model expects [N, 3, 224, 224]");
    expect(rank.hint).toBe('give rank 4, e.g. --shape image=?x3x224x224');
    const fixed = error(() => resolve(CNN, { shape: ['image=1x3x256x256'] }));
    expect(fixed.code).toBe('shape-invalid');
    expect(fixed.message).toContain('the model expects [N, 3, 224, 224]');
    expect(fixed.hint).toBe('give those fixed dims, e.g. --shape image=?x3x224x224');
  });

  test('--shape that contradicts --dim', () => {
    const e = error(() => resolve(BERT, { shape: ['input_ids=1x32'], dim: ['sequence=64'] }));
    expect(e.code).toBe('shape-invalid');
    expect(e.message).toBe("--shape input_ids=1x32 gives dim 'sequence' size 32 but --dim sequence=64");
  });

  test('an unknown symbolic dim is unresolved, with the flags that fix it', () => {
    const e = error(() => resolve([spec('img', [1, 3, 'height', 'width'])]));
    expect(e.code).toBe('dim-unresolved');
    expect(e.message).toBe("input 'img': dim 'height' (axis 2) is unresolved");
    expect(e.hint).toBe('pass --dim height=<n> or --shape img=1x3x<n>x?');
    const ids = error(() => resolve([spec('ids', [1, 'vocab_pos'])]));
    expect(ids.message).toBe("input 'ids': dim 'vocab_pos' (axis 1) is unresolved");
    expect(ids.hint).toBe('pass --dim vocab_pos=<n> or --shape ids=1x<n>');
  });

  test('an unnamed dim past axis 0 is unresolved; the hint fills in the known dims', () => {
    for (const anon of [null, '', -1]) {
      const e = error(() => resolve([spec('image', [1, 3, anon, 64])], {}, 2));
      expect(e.code).toBe('dim-unresolved');
      expect(e.message).toBe("input 'image': dynamic dim at axis 2 has no name and no size");
      expect(e.hint).toBe('pass --shape image=1x3x?x64 with the ? filled in');
    }
  });

  test('pins that name nothing in the model are usage errors listing the inputs', () => {
    const listing = "the model's inputs: input_ids [batch, sequence] int64; attention_mask [batch, sequence] int64";
    for (const [pins, message] of [
      [{ shape: ['input_id=1x8'] }, "--shape names 'input_id', which is not an input of the model"],
      [{ value: ['mask=1'] }, "--value names 'mask', which is not an input of the model"],
      [{ range: ['ids=0:5'] }, "--range names 'ids', which is not an input of the model"],
      [{ inputFile: ['x=x.npy'] }, "--input-file names 'x', which is not an input of the model"],
    ] as [PinStrings, string][]) {
      const e = error(() => resolve(BERT, pins));
      expect(e.code).toBe('usage');
      expect(e.message).toBe(message);
      expect(e.hint).toBe(listing);
    }
    const dim = error(() => resolve(BERT, { dim: ['seq=64'] }));
    expect(dim.code).toBe('usage');
    expect(dim.message).toBe("--dim names 'seq', which is not a dim of the model");
    expect(dim.hint).toBe(`symbolic dims: batch, sequence; ${listing}`);
    const none = error(() => resolveShapes([spec('x', [1, null])], collectPins({ dim: ['batch=2'] }), null));
    expect(none.hint).toBe("the model has no symbolic dims; the model's inputs: x [1, ?] float32");
  });

  test('returns fresh arrays, not the pins', () => {
    const pins = emptyPins();
    pins.shapes.set('x', [1, 2]);
    const shapes = resolveShapes([spec('x', [1, 'n2'])], pins, null);
    expect(shapes.get('x')).toEqual([1, 2]);
    expect(shapes.get('x')).not.toBe(pins.shapes.get('x'));
  });
});
