import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, test } from 'vitest';
import { openDataSource } from '../../src/pipeline/data-source.js';
import { createImagePipeline, IMAGENET_MEAN, IMAGENET_STD, resizedSize } from '../../src/pipeline/image.js';
import type { PipelineContext, RawItem } from '../../src/pipeline/types.js';
import { error, rejection } from '../helpers/errors.js';
import { closeSessions, contextFor, DATA, runModel } from './helpers.js';

const IMAGES = join(DATA, 'images');
const item = (file: string, index = 0): RawItem => ({ index, path: join(IMAGES, file), bytes: readFileSync(join(IMAGES, file)) });
/** (c/255 − mean)/std in float64, then rounded to float32 as the tensor stores it. */
const norm = (c: number, ch: number): number => Math.fround((c / 255 - (IMAGENET_MEAN[ch] as number)) / (IMAGENET_STD[ch] as number));

async function run(files: string[], options: Record<string, string> = {}, ctx?: PipelineContext) {
  const context = ctx ?? (await contextFor('cnn.onnx', files.length, options));
  const pipeline = createImagePipeline(options);
  await pipeline.setup?.(context);
  const decoded = await Promise.all(files.map((f, i) => pipeline.decode!(item(f, i), context)));
  const [tensor] = await pipeline.preprocess(decoded, context);
  return tensor!;
}

afterAll(closeSessions);

describe('image pipeline on fixtures/cnn.onnx (image [batch, 3, 64, 64])', () => {
  test('a solid-colour PNG (40×30, upscaled and cropped) gives exactly (c/255 − mean)/std per channel', async () => {
    const t = await run(['a-solid.png']);
    expect(t).toMatchObject({ name: 'image', type: 'float32', dims: [1, 3, 64, 64] });
    const data = t.data as Float32Array;
    [200, 100, 50].forEach((c, ch) => {
      const plane = data.subarray(ch * 4096, (ch + 1) * 4096);
      expect(new Set(plane)).toEqual(new Set([norm(c, ch)]));
    });
  });

  test('a lossless portrait WebP (100×150) is solid too, for every interpolation', async () => {
    for (const interpolation of ['bilinear', 'bicubic', 'nearest', 'lanczos3']) {
      const data = (await run(['c-solid.webp'], { interpolation })).data as Float32Array;
      [10, 20, 240].forEach((c, ch) => expect(new Set(data.subarray(ch * 4096, (ch + 1) * 4096))).toEqual(new Set([norm(c, ch)])));
    }
  });

  test('a 128×64 gradient is not resampled: the centre crop starts at x = 32, every value exact', async () => {
    const data = (await run(['b-gradient.png'])).data as Float32Array;
    for (let y = 0; y < 64; y++) {
      for (let x = 0; x < 64; x++) {
        const px = x + 32; // made with (2x, 4y, 255 − 2x)
        expect([data[y * 64 + x], data[4096 + y * 64 + x], data[8192 + y * 64 + x]]).toEqual([norm(2 * px, 0), norm(4 * y, 1), norm(255 - 2 * px, 2)]);
      }
    }
    // the centre pixel, (32, 32) of the crop = (64, 32) of the image
    expect(data[32 * 64 + 32]).toBe(norm(128, 0));
  });

  test('a JPEG matches a direct sharp resize (76×64) + centre crop, normalised; scale/mean/std options apply', async () => {
    expect(resizedSize(96, 80, 64)).toEqual({ width: 76, height: 64 }); // floor(96·64/80)
    const pixels = await sharp(join(IMAGES, 'd-pattern.jpg')).removeAlpha().resize(76, 64, { kernel: 'linear', fit: 'fill' }).extract({ left: 6, top: 0, width: 64, height: 64 }).raw().toBuffer();
    const data = (await run(['d-pattern.jpg'], { mean: '0.5', std: '0.25', scale: '100' })).data as Float32Array;
    const expected = new Float32Array(3 * 4096);
    for (let p = 0; p < 4096; p++) for (let ch = 0; ch < 3; ch++) expected[ch * 4096 + p] = ((pixels[p * 3 + ch] as number) / 100 - 0.5) / 0.25;
    expect(Array.from(data)).toEqual(Array.from(expected));
  });

  test('a batch of all four images runs on the real model; each row equals the image run alone', async () => {
    const files = ['a-solid.png', 'b-gradient.png', 'c-solid.webp', 'd-pattern.jpg'];
    const batch = await run(files);
    expect(batch.dims).toEqual([4, 3, 64, 64]);
    const [scores] = await runModel('cnn.onnx', [batch]);
    expect(scores!.dims).toEqual([4, 10]);
    for (const [i, f] of files.entries()) {
      const [alone] = await runModel('cnn.onnx', [await run([f])]);
      expect(Array.from(alone!.data as Float32Array)).toEqual(Array.from((scores!.data as Float32Array).subarray(i * 10, i * 10 + 10)));
    }
    // the independently computed solid tensor gives the same scores as the pipeline's
    const solid = new Float32Array(3 * 4096).map((_, i) => norm([200, 100, 50][Math.floor(i / 4096)] as number, Math.floor(i / 4096)));
    const [reference] = await runModel('cnn.onnx', [{ name: 'image', type: 'float32', dims: [1, 3, 64, 64], data: solid }]);
    expect(Array.from(reference!.data as Float32Array)).toEqual(Array.from((scores!.data as Float32Array).subarray(0, 10)));
  });

  test('data source + pipeline: the directory lists the 4 images in order, filtered by extension', async () => {
    const source = await openDataSource(IMAGES, { cache: false, extensions: createImagePipeline().extensions });
    expect(source.size).toBe(4); // make-images.mjs is not listed
    expect(source.description).toBe(`4 files from ${IMAGES} (.jpg .jpeg .png .webp .gif .tif .tiff .avif)`);
    expect((await source.read(3)).path).toBe(join(IMAGES, 'd-pattern.jpg'));
  });
});

describe('layouts and options', () => {
  const nhwc = (shape: number[], options: Record<string, string> = {}): PipelineContext => ({
    inputs: [{ name: 'pixels', type: 'float32', shape }],
    outputs: [],
    shapes: new Map([['pixels', shape]]),
    batch: 1,
    options,
  });

  test('NHWC is detected from the last dim: channels interleaved', async () => {
    const data = (await run(['b-gradient.png'], {}, nhwc([1, 64, 64, 3]))).data as Float32Array;
    const at = (y: number, x: number): number[] => Array.from(data.subarray((y * 64 + x) * 3, (y * 64 + x) * 3 + 3));
    expect(at(10, 5)).toEqual([norm(74, 0), norm(40, 1), norm(255 - 74, 2)]);
  });

  test('the interpolation named is the one used: a 2× downscale of the gradient, values derived by hand (uint8 NHWC)', async () => {
    // b-gradient.png is 128×64 with (R, G, B) = (2x, 4y, 255 − 2x). resize=32 halves it to 64×32,
    // and the 24×24 crop starts at (20, 4). Output pixel X of the resized image samples the source
    // at its centre, 2X + 0.5 (the half-pixel convention of libvips, PIL and torchvision). On a linear
    // ramp any normalised symmetric kernel returns the ramp there: R = 2(2X + 0.5) = 4X + 1 and
    // G = 4(2Y + 0.5) = 8Y + 2. Nearest takes source pixel 2X + 1 instead: R = 4X + 2, G = 8Y + 4.
    const target = nhwc([1, 24, 24, 3]);
    target.inputs[0]!.type = 'uint8';
    const at = (data: Uint8Array, x: number, y: number): number[] => Array.from(data.subarray((y * 24 + x) * 3, (y * 24 + x) * 3 + 3));
    const expected = (kernel: 'smooth' | 'nearest', x: number, y: number): number[] => {
      const [X, Y] = [x + 20, y + 4];
      const r = kernel === 'nearest' ? 4 * X + 2 : 4 * X + 1;
      return [r, kernel === 'nearest' ? 8 * Y + 4 : 8 * Y + 2, 255 - r];
    };
    for (const interpolation of ['bilinear', 'bicubic', 'lanczos3', 'nearest']) {
      const t = await run(['b-gradient.png'], { interpolation, resize: '32' }, target);
      expect(t).toMatchObject({ type: 'uint8', dims: [1, 24, 24, 3] });
      const data = t.data as Uint8Array;
      for (let y = 0; y < 24; y++) for (let x = 0; x < 24; x++) expect(at(data, x, y)).toEqual(expected(interpolation === 'nearest' ? 'nearest' : 'smooth', x, y));
    }
  });

  test('one channel: greyscale, with the mean of the ImageNet statistics', async () => {
    const data = (await run(['a-solid.png'], {}, nhwc([1, 1, 8, 8]))).data as Float32Array;
    const grey = (await sharp(Buffer.from([200, 100, 50]), { raw: { width: 1, height: 1, channels: 3 } }).greyscale().raw().toBuffer())[0] as number;
    const mean = (0.485 + 0.456 + 0.406) / 3;
    const std = (0.229 + 0.224 + 0.225) / 3;
    expect(new Set(data)).toEqual(new Set([Math.fround((grey / 255 - mean) / std)]));
  });

  test('an undecidable layout, a bad option, a too-small resize: usage errors naming the fix', async () => {
    const p = createImagePipeline();
    expect(error(() => p.setup!(nhwc([1, 5, 5, 5]))).hint).toMatch(/layout=nchw/);
    expect(error(() => createImagePipeline({ interpolation: 'cubic-ish' })).message).toMatch(/bilinear/);
    expect(error(() => createImagePipeline({ interpolaton: 'nearest' })).message).toMatch(/not an option of the image pipeline/);
    expect(error(() => createImagePipeline({ mean: '1,2' }).setup!(nhwc([1, 3, 8, 8]))).message).toMatch(/3 channels/);
    const small = await rejection(run(['a-solid.png'], { resize: '32' }));
    expect(small.message).toMatch(/resize=32/);
  });

  test('a corrupt file fails in decode', async () => {
    const p = createImagePipeline();
    await expect(Promise.resolve(p.decode!({ index: 0, path: 'x.jpg', bytes: new Uint8Array([1, 2, 3]) }, nhwc([1, 3, 8, 8])))).rejects.toThrow();
  });
});
