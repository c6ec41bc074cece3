import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openDataSource } from '../../src/pipeline/data-source.js';
import { createTextPipeline } from '../../src/pipeline/text.js';
import type { PipelineContext } from '../../src/pipeline/types.js';
import { error, rejection } from '../helpers/errors.js';
import { closeSessions, contextFor, DATA, runModel } from './helpers.js';

const TOKENIZER = join(DATA, 'tokenizer.json');
// The vocabulary of test/data/pipeline/tokenizer.json, by hand: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3,
// the=5 quick=6 brown=7 fox=8 jump=9 ##s=10 over=11 lazy=12 dog=13 .=14 ,=15 !=16 hello=18
// world=19 a=20 cat=21 sat=22 on=23 mat=24 un=25 ##believ=26 ##able=27 token=28 ##ize=29 ##r=30.
const LINES = [
  [2, 18, 15, 19, 16, 3], // Hello, world!  (lower-cased; punctuation split off)
  [2, 5, 6, 7, 8, 9, 10, 11, 5, 12, 13, 14, 3], // The quick brown fox jump ##s over the lazy dog .
  [2, 20, 21, 22, 23, 5, 24, 3], // A cat sat on the mat  (after a blank line; CRLF)
  [2, 25, 26, 27, 28, 29, 30, 10, 16, 3], // un ##believ ##able token ##ize ##r ##s !
];
const pad = (ids: number[], n: number): number[] => [...ids, ...new Array<number>(n - ids.length).fill(0)];
const mask = (ids: number[], n: number): number[] => pad(ids.map(() => 1), n);

async function encode(texts: string[], ctx: PipelineContext) {
  const p = createTextPipeline(ctx.options);
  await p.setup!(ctx);
  return p.preprocess(texts, ctx);
}

afterAll(closeSessions);

describe('text pipeline on fixtures/transformer.onnx (input_ids, attention_mask int64 [batch, sequence])', () => {
  test('each non-empty line of the file is one item; ids, mask and padding to sequence=16 are exact', async () => {
    const ctx = await contextFor('transformer.onnx', 4, { tokenizer: TOKENIZER }, { sequence: 16 });
    const p = createTextPipeline(ctx.options);
    const source = await openDataSource(join(DATA, 'text', 'sentences.txt'), { cache: false, extensions: p.extensions, unit: p.unit });
    expect(source.size).toBe(4);
    const items = await Promise.all([0, 1, 2, 3].map((i) => source.read(i)));
    expect(items.map((i) => i.path)).toEqual([1, 2, 4, 5].map((n) => `${join(DATA, 'text', 'sentences.txt')}:${n}`));
    await p.setup!(ctx);
    const texts = await Promise.all(items.map((i) => p.decode!(i, ctx)));
    expect(texts[2]).toBe('A cat sat on the mat');
    const [ids, attention] = await p.preprocess(texts, ctx);
    expect(ids).toMatchObject({ name: 'input_ids', type: 'int64', dims: [4, 16] });
    expect(Array.from(ids!.data as BigInt64Array, Number)).toEqual(LINES.flatMap((l) => pad(l, 16)));
    expect(attention).toMatchObject({ name: 'attention_mask', type: 'int64', dims: [4, 16] });
    expect(Array.from(attention!.data as BigInt64Array, Number)).toEqual(LINES.flatMap((l) => mask(l, 16)));

    const [hidden] = await runModel('transformer.onnx', [ids!, attention!]);
    expect(hidden!.dims).toEqual([4, 16, 64]);
    expect(Array.from(hidden!.data as Float32Array).every(Number.isFinite)).toBe(true);
  });

  test('truncation keeps [CLS] … [SEP]: 12 word pieces into 8', async () => {
    const ctx = await contextFor('transformer.onnx', 1, { tokenizer: TOKENIZER }, { sequence: 8 });
    const [ids, attention] = await encode(['the quick brown fox jumps over the lazy dog the quick'], ctx);
    expect(Array.from(ids!.data as BigInt64Array, Number)).toEqual([2, 5, 6, 7, 8, 9, 10, 3]);
    expect(Array.from(attention!.data as BigInt64Array, Number)).toEqual(new Array(8).fill(1));
  });

  test('unit=file: a whole file is one item; unknown words are [UNK]', async () => {
    const ctx = await contextFor('transformer.onnx', 1, { tokenizer: TOKENIZER, unit: 'file' }, { sequence: 6 });
    const p = createTextPipeline(ctx.options);
    const source = await openDataSource(join(DATA, 'text'), { cache: false, extensions: p.extensions, unit: p.unit });
    expect(source.size).toBe(2);
    const [ids] = await encode(['xyz hello'], ctx);
    expect(Array.from(ids!.data as BigInt64Array, Number)).toEqual([2, 1, 18, 3, 0, 0]);
  });

  test('token_type_ids when the model has one; int32 inputs get Int32Array', async () => {
    const shape = [2, 8];
    const ctx: PipelineContext = {
      inputs: [
        { name: 'input_ids', type: 'int32', shape: ['batch', 'sequence'] },
        { name: 'token_type_ids', type: 'int32', shape: ['batch', 'sequence'] },
        { name: 'attention_mask', type: 'int64', shape: ['batch', 'sequence'] },
      ],
      outputs: [],
      shapes: new Map([['input_ids', shape], ['token_type_ids', shape], ['attention_mask', shape]]),
      batch: 2,
      options: { tokenizer: TOKENIZER },
    };
    const [ids, types, attention] = await encode(['hello world', 'a cat'], ctx);
    expect(ids!.data).toBeInstanceOf(Int32Array);
    expect(Array.from(ids!.data as Int32Array)).toEqual([2, 18, 19, 3, 0, 0, 0, 0, 2, 20, 21, 3, 0, 0, 0, 0]);
    expect(Array.from(types!.data as Int32Array)).toEqual(new Array(16).fill(0));
    expect(Array.from(attention!.data as BigInt64Array, Number)).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0]);
  });

  test('missing tokenizer option, unreadable tokenizer, an input it cannot fill', async () => {
    expect(error(() => createTextPipeline({})).hint).toMatch(/tokenizer=/);
    const ctx = await contextFor('transformer.onnx', 1, { tokenizer: 'nope.json' });
    expect((await rejection(Promise.resolve(createTextPipeline(ctx.options).setup!(ctx)))).message).toMatch(/cannot read tokenizer nope.json/);
    const mlp = await contextFor('mlp.onnx', 1, { tokenizer: TOKENIZER });
    expect((await rejection(Promise.resolve(createTextPipeline(mlp.options).setup!(mlp)))).message).toMatch(/cannot fill input 'x'/);
  });
});
