import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openDataSource } from '../../src/pipeline/data-source.js';
import { parsePostprocessSteps } from '../../src/pipeline/postprocess.js';
import { checkPipelineFlags, isNonePipeline, pipelineForData, resolvePipeline } from '../../src/pipeline/resolve.js';
import { profile } from '../../src/profile.js';
import { createPipelineRunner, feedMismatch } from '../../src/pipeline/runner.js';
import type { PipelineModule, RawItem } from '../../src/pipeline/types.js';
import { error, rejection } from '../helpers/errors.js';
import { closeSessions, contextFor, DATA, runModel } from './helpers.js';

const IMAGES = join(DATA, 'images');
afterAll(closeSessions);

describe('pipeline runner: load → preprocess → (inference) → postprocess', () => {
  test('image pipeline + --postprocess softmax,topk=3 with labels on fixtures/cnn.onnx, cycling 4 images in batches of 3', async () => {
    const module = await resolvePipeline('image', { options: { interpolation: 'bicubic' } });
    const data = await openDataSource(IMAGES, { cache: true, extensions: module.extensions, unit: module.unit });
    const labels = Array.from({ length: 10 }, (_, i) => `class ${i}`);
    const spec = parsePostprocessSteps('softmax,topk=3');
    const runner = await createPipelineRunner({ module, data, context: await contextFor('cnn.onnx', 3), cacheDecoded: true, postprocess: { spec, labels } });
    const paths: string[][] = [];
    for (let k = 0; k < 2; k++) {
      const raw = await runner.load(k);
      paths.push(raw.map((r) => r.path.slice(IMAGES.length + 1)));
      const outputs = await runModel('cnn.onnx', await runner.preprocess(raw));
      const result = (await runner.postprocess(outputs)) as { rows: { topk: { index: number; label: string; score: number }[] }[] };
      expect(result.rows).toHaveLength(3);
      for (const row of result.rows) {
        expect(row.topk.map((c) => c.label)).toEqual(row.topk.map((c) => `class ${c.index}`));
        expect(row.topk[0]!.score).toBeGreaterThanOrEqual(row.topk[1]!.score);
      }
    }
    expect(paths).toEqual([
      ['a-solid.png', 'b-gradient.png', 'c-solid.webp'],
      ['d-pattern.jpg', 'a-solid.png', 'b-gradient.png'],
    ]);
  });

  test('--data-cache: each item is decoded once; without it, on every load', async () => {
    let decodes = 0;
    const module: PipelineModule<number> = {
      decode: (item: RawItem) => (decodes++, item.index),
      preprocess: (items) => [{ name: 'x', type: 'float32', dims: [items.length, 64], data: new Float32Array(items.length * 64) }],
    };
    const data = await openDataSource(join('examples', 'pipelines', 'features.csv'), { cache: true, unit: 'line' });
    for (const cacheDecoded of [true, false]) {
      decodes = 0;
      const runner = await createPipelineRunner({ module, data, context: await contextFor('mlp.onnx', 2), cacheDecoded });
      if (cacheDecoded) await runner.warmCache();
      for (let k = 0; k < 6; k++) await runner.preprocess(await runner.load(k));
      expect(decodes).toBe(cacheDecoded ? 4 : 12);
    }
  });

  test('the first batch of feeds is checked against the model: name, type, dims', async () => {
    const ctx = await contextFor('mlp.onnx', 2);
    const x = (over: object) => [{ name: 'x', type: 'float32' as const, dims: [2, 64], data: new Float32Array(128), ...over }];
    expect(feedMismatch(x({}), ctx.inputs, ctx.shapes)).toBeNull();
    expect(feedMismatch(x({ name: 'input' }), ctx.inputs, ctx.shapes)).toBe("it returned no tensor for input 'x' (returned: input)");
    expect(feedMismatch(x({ type: 'float64' }), ctx.inputs, ctx.shapes)).toBe("input 'x' is float32 but the tensor is float64");
    expect(feedMismatch(x({ dims: [1, 64] }), ctx.inputs, ctx.shapes)).toBe("tensor 'x' has dims [1, 64] (64 elements) but 128 values");
    expect(feedMismatch(x({ dims: [1, 128] }), ctx.inputs, ctx.shapes)).toBe("tensor 'x' has dims [1, 128] but the model's resolved shape is [2, 64]");
    const module: PipelineModule = { name: 'p.mjs', preprocess: () => x({ type: 'int32' }) };
    const data = await openDataSource(join('examples', 'pipelines', 'features.csv'), { cache: false, unit: 'line' });
    const runner = await createPipelineRunner({ module, data, context: ctx, cacheDecoded: false });
    const e = await rejection(runner.load(0).then((items) => runner.preprocess(items)));
    expect(e.message).toMatch(/^pipeline p\.mjs failed in preprocess on .*features\.csv:1, .*features\.csv:2: input 'x' is float32 but the tensor is int32$/);
  });

  test('none, conflicting postprocess, missing data, and guessing the pipeline from --data', async () => {
    const none = await resolvePipeline('none');
    expect(isNonePipeline(none)).toBe(true);
    expect(isNonePipeline(await resolvePipeline('tensors'))).toBe(false);
    const runner = await createPipelineRunner({ module: none, data: null, context: await contextFor('mlp.onnx', 1), cacheDecoded: false, postprocess: { spec: parsePostprocessSteps('argmax') } });
    const logits = await runModel('mlp.onnx', [{ name: 'x', type: 'float32', dims: [1, 64], data: new Float32Array(64) }]);
    expect(await runner.postprocess(logits)).toMatchObject({ output: 'logits', steps: ['argmax'] });
    expect(await runner.load(0)).toEqual([]);

    const own: PipelineModule = { name: 'own', preprocess: () => [], postprocess: () => 1 };
    const ctx = await contextFor('mlp.onnx', 1);
    expect((await rejection(createPipelineRunner({ module: own, data: null, context: ctx, cacheDecoded: false, postprocess: { spec: { steps: [] } } }))).message).toMatch(/has its own postprocess/);
    expect((await rejection(createPipelineRunner({ module: own, data: null, context: ctx, cacheDecoded: false }))).hint).toMatch(/--data/);
    const failing: PipelineModule = { name: 'f', setup: () => { throw new Error('no model file'); }, preprocess: () => [] };
    const data = await openDataSource(join('examples', 'pipelines', 'features.csv'), { cache: false });
    expect((await rejection(createPipelineRunner({ module: failing, data, context: ctx, cacheDecoded: false }))).message).toBe('pipeline f failed in setup: no model file');

    // Files that exist (a missing path is "not found" before any guess), globs by their extension.
    const here = mkdtempSync(join(tmpdir(), 'inferbench-guess-'));
    for (const name of ['x.PNG', 'a.txt', 'b.npy']) writeFileSync(join(here, name), '');
    mkdirSync(join(here, 'empty'));
    const at = (name: string): string => join(here, name);
    expect(['a/*.jpg', at('x.PNG'), at('a.txt'), 'a/**/*.pb', at('b.npy'), at('empty')].map(pipelineForData)).toEqual(['image', 'image', 'text', 'tensors', 'tensors', null]);
    expect(error(() => pipelineForData(at('missing.PNG'))).message).toMatch(/missing\.PNG: not found$/);
    expect(error(() => parsePostprocessSteps('nope')).code).toBe('usage');
  });

  test('a flag that would do nothing is refused before anything runs: --data-cache without --data, --labels without topk/argmax', async () => {
    expect(error(() => checkPipelineFlags({ dataCache: true })).message).toBe('--data-cache keeps the items of --data in memory, but no --data is given');
    const labels = error(() => checkPipelineFlags({ data: IMAGES, labels: 'labels.txt' }));
    expect([labels.code, labels.hint]).toEqual(['usage', 'add --postprocess softmax,topk=5 (or argmax), or drop --labels']);
    expect(error(() => checkPipelineFlags({ labels: 'labels.txt', postprocess: 'softmax' })).message).toMatch(/neither step is given/);
    expect(() => checkPipelineFlags({ data: IMAGES, dataCache: true, labels: 'l.txt', postprocess: 'softmax,topk=2' })).not.toThrow();
    expect(() => checkPipelineFlags({ labels: 'l.txt', postprocess: 'argmax' })).not.toThrow();
    // profile() checks them with the other options, before opening the model
    expect((await rejection(profile({ model: 'fixtures/no-such-model.onnx', dataCache: true }))).message).toMatch(/^--data-cache keeps/);
  });
});
