import { describe, expect, test } from 'vitest';
import { collectPins, emptyPins, type PinStrings } from '../../src/inputs/pins.js';
import { batchDimOf, resolveInputShapes, resolveShapes } from '../../src/inputs/shapes.js';
import type { Dim, TensorSpec } from '../../src/types.js';
import { error } from '../helpers/errors.js';

const spec = (name: string, shape: Dim[], type: TensorSpec['type'] = 'float32'): TensorSpec => ({ name, type, shape });

const BERT = [spec('input_ids', ['batch', 'sequence'], 'int64'), spec('attention_mask', ['batch', 'sequence'], 'int64')];
const CNN = [spec('image', ['N', 3, 224, 224])];

function resolveError(specs: TensorSpec[], model: string) {
  return error(() => resolveInputShapes(specs, emptyPins(), null, model));
}

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

  test('an unknown symbolic dim with no evident layout is unresolved, with the flags that fix it', () => {
    const e = error(() => resolve([spec('feats', [1, 'frames', 'bins'])]));
    expect(e.code).toBe('dim-unresolved');
    expect(e.message).toBe("2 dims are unresolved: input 'feats' dim 'frames' (axis 1), dim 'bins' (axis 2)");
    expect(e.hint).toBe('no layout to guess from: give the sizes (all of them), e.g. inferbench profile MODEL --dim frames=<n> --dim bins=<n>');
    const ids = error(() => resolve([spec('ids', [1, 'vocab_pos'])]));
    expect(ids.message).toBe("input 'ids': dim 'vocab_pos' (axis 1) is unresolved");
    expect(ids.hint).toBe('no layout to guess from: give the size, e.g. inferbench profile MODEL --dim vocab_pos=<n>');
  });

  test('an unnamed dim past axis 0 with no layout is unresolved; the hint fills in the known dims', () => {
    for (const anon of [null, '', -1]) {
      const e = error(() => resolve([spec('wave', [1, anon, 64])], {}, 2));
      expect(e.code).toBe('dim-unresolved');
      expect(e.message).toBe("input 'wave': dynamic dim at axis 1 (no name) is unresolved");
      expect(e.hint).toBe('no layout to guess from: give the size, e.g. inferbench profile MODEL --shape wave=1x<n>x64');
    }
  });

  test('every unresolved dim of every input in one error, with one complete command line', () => {
    const specs = [spec('audio', [null, null]), spec('state', [2, null, 16]), spec('cond', ['batch', 'width_feat'])];
    const e = resolveError(specs, 'vad.onnx');
    expect(e.message).toBe("3 dims are unresolved: input 'audio' dynamic dim at axis 1 (no name); input 'state' dynamic dim at axis 1 (no name); input 'cond' dim 'width_feat' (axis 1)");
    expect(e.hint).toBe('no layout to guess from: give the sizes (all of them), e.g. inferbench profile vad.onnx --shape audio=1x<n> --shape state=2x<n>x16 --dim width_feat=<n>');
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

describe('guessed shapes (dims nothing else resolves, read from the input\'s layout)', () => {
  const guess = (specs: TensorSpec[], pins: PinStrings = {}, batch: number | null = null) => {
    const { shapes, guessed } = resolveInputShapes(specs, collectPins(pins), batch);
    return { shapes: Object.fromEntries(shapes), guessed };
  };

  test('an image [N, 3, H, W] with N, H, W dynamic and odd names → 1×3×224×224, H and W reported', () => {
    const r = guess([spec('x', ['p2o.DynamicDimension.0', 3, 'p2o.DynamicDimension.1', 'p2o.DynamicDimension.2'])]);
    expect(r.shapes).toEqual({ x: [1, 3, 224, 224] });
    expect(r.guessed).toEqual([
      { input: 'x', axis: 2, dim: 'p2o.DynamicDimension.1', size: 224, layout: 'image [N, 3, H, W]' },
      { input: 'x', axis: 3, dim: 'p2o.DynamicDimension.2', size: 224, layout: 'image [N, 3, H, W]' },
    ]);
  });

  test('channels last [N, H, W, 3], unnamed dims, and --batch still set the batch', () => {
    const r = guess([spec('img', [null, null, null, 3])], {}, 4);
    expect(r.shapes).toEqual({ img: [4, 224, 224, 3] });
    expect(r.guessed.map((g) => [g.axis, g.dim, g.layout])).toEqual([[1, null, 'image [N, H, W, 3]'], [2, null, 'image [N, H, W, 3]']]);
  });

  test('a guessed name takes one size everywhere, and pins always win over guesses', () => {
    const specs = [spec('x', ['n', 3, 'h', 'w']), spec('mask', ['n', 1, 'h', 'w'])];
    expect(guess(specs).shapes).toEqual({ x: [1, 3, 224, 224], mask: [1, 1, 224, 224] });
    const pinned = guess(specs, { dim: ['h=320'] });
    expect(pinned.shapes).toEqual({ x: [1, 3, 320, 224], mask: [1, 1, 320, 224] });
    expect(pinned.guessed.map((g) => g.dim)).toEqual(['w']);
    expect(guess(specs, { shape: ['x=1x3x64x48'] }).guessed).toEqual([]);
  });

  test('an integer [N, S] input is a token sequence → 128', () => {
    const r = guess([spec('tokens_in', ['b', 'len_q'], 'int64'), spec('segments', ['b', 'len_q'], 'int32')]);
    expect(r.shapes).toEqual({ tokens_in: [1, 128], segments: [1, 128] });
    expect(r.guessed).toEqual([{ input: 'tokens_in', axis: 1, dim: 'len_q', size: 128, layout: 'token sequence [N, S]' }]);
  });

  test('nothing is guessed where the layout is not evident (float [N, ?], [2, ?, 16], a dynamic channel count)', () => {
    expect(() => guess([spec('audio', [null, null])])).toThrow(/unresolved/);
    expect(() => guess([spec('state', [2, null, 16])])).toThrow(/unresolved/);
    expect(() => guess([spec('x', ['n', 'c', 'h', 'w'])])).toThrow(/3 dims are unresolved/);
  });

  test('known names keep their defaults and are not reported as guesses', () => {
    expect(guess(BERT).guessed).toEqual([]);
  });
});
