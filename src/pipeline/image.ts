// The built-in `image` pipeline, on sharp (libvips): the common classifier preprocessing, as
// torchvision's Resize(S) + CenterCrop(H, W) + ToTensor + Normalize(mean, std) do it.
//   decode      JPEG/PNG/WebP/... → 8-bit sRGB pixels (alpha dropped). Cached by --data-cache.
//   preprocess  resize so the shorter side is S (default: just enough to cover H×W), then crop
//               H×W from the centre (offsets floor((size − crop) / 2)), then
//               (pixel / scale − mean) / std per channel into one float32 batch tensor, NCHW or NHWC.
// A resize to the image's own size is skipped, so pixels are exact. The resized long side is
// floor(long × S / short), as torchvision's Resize(int) computes it. EXIF orientation is not
// applied (torchvision/PIL do not either).
// Options (--pipeline-opt): interpolation=bilinear|bicubic|nearest|lanczos3|lanczos2|mitchell (default bilinear),
// layout=nchw|nhwc (default: from the input's shape), mean=…, std=… (default ImageNet's),
// scale=255, resize=S, input=NAME (default: the model's only rank-4 input).
import sharp from 'sharp';
import type { HostTensor } from '../adapters/adapter.js';
import { InferbenchError } from '../errors.js';
import { IMAGE_EXTENSIONS } from './formats.js';
import { checkKeys, choice, numberList, positiveInt } from './options.js';
import type { PipelineContext, PipelineModule, RawItem } from './types.js';

/** Decoded pixels: 8-bit, interleaved (HWC), 3 channels (sRGB). */
export interface DecodedImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3;
}

/** ImageNet statistics (torchvision's reference transforms). */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406];
export const IMAGENET_STD = [0.229, 0.224, 0.225];

const INTERPOLATIONS = {
  nearest: sharp.kernel.nearest,
  bilinear: sharp.kernel.linear,
  bicubic: sharp.kernel.cubic,
  mitchell: sharp.kernel.mitchell,
  lanczos2: sharp.kernel.lanczos2,
  lanczos3: sharp.kernel.lanczos3,
} as const;
type Interpolation = keyof typeof INTERPOLATIONS;
const KEYS = ['interpolation', 'layout', 'mean', 'std', 'scale', 'resize', 'input'] as const;

/** Where the image goes: the input, its layout and its (batch, channels, height, width). */
export interface ImageTarget {
  input: string;
  layout: 'nchw' | 'nhwc';
  type: 'float32' | 'uint8';
  dims: number[];
  n: number;
  c: number;
  h: number;
  w: number;
}

/** Picks the image input and its layout from the model's inputs and resolved shapes. */
export function imageTarget(ctx: PipelineContext, layoutOption?: 'nchw' | 'nhwc'): ImageTarget {
  const named = ctx.options.input;
  const candidates = named !== undefined ? ctx.inputs.filter((i) => i.name === named) : ctx.inputs.filter((i) => i.shape.length === 4);
  const spec = candidates[0];
  const list = ctx.inputs.map((i) => i.name).join(', ');
  if (spec === undefined || candidates.length > 1) {
    const why = named !== undefined ? `the model has no input '${named}'` : `the model has ${candidates.length} rank-4 inputs`;
    throw new InferbenchError('usage', `image pipeline: ${why} (inputs: ${list})`, 'name the image input with --pipeline-opt input=NAME');
  }
  if (ctx.inputs.length > 1) {
    throw new InferbenchError('usage', `image pipeline: the model has inputs besides '${spec.name}' (${list}) that it cannot fill`, 'write a pipeline module (--pipeline ./pipeline.mjs) that feeds them all');
  }
  const dims = ctx.shapes.get(spec.name) ?? [];
  const [n, a, b, c] = dims as [number, number, number, number];
  if (dims.length !== 4) throw new InferbenchError('usage', `image pipeline: input '${spec.name}' has rank ${dims.length}, not 4`, 'use a model that takes [N, C, H, W] or [N, H, W, C]');
  const layout = layoutOption ?? (a === 1 || a === 3 ? 'nchw' : c === 1 || c === 3 ? 'nhwc' : null);
  if (layout === null) {
    throw new InferbenchError('usage', `image pipeline: cannot tell the layout of '${spec.name}' [${dims.join(', ')}] (no dim of 1 or 3 channels)`, 'pass --pipeline-opt layout=nchw or layout=nhwc');
  }
  if (spec.type !== 'float32' && spec.type !== 'uint8') {
    throw new InferbenchError('usage', `image pipeline: input '${spec.name}' is ${spec.type}; it makes float32 (normalised) or uint8 (raw pixels)`, 'write a pipeline module for other types');
  }
  const [ch, h, w] = layout === 'nchw' ? [a, b, c] : [c, a, b];
  if (ch !== 1 && ch !== 3) throw new InferbenchError('usage', `image pipeline: input '${spec.name}' [${dims.join(', ')}] has ${ch} channels in layout ${layout}; 1 or 3 are supported`);
  return { input: spec.name, layout, type: spec.type, dims, n, c: ch, h, w };
}

export async function decodeImage(item: RawItem): Promise<DecodedImage> {
  const { data, info } = await sharp(item.bytes).removeAlpha().toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

/** Size after resizing the shorter side to `shorter`: the long side is floor(long × S / short). */
export function resizedSize(width: number, height: number, shorter: number): { width: number; height: number } {
  if (width <= height) return { width: shorter, height: Math.floor((height * shorter) / width) };
  return { width: Math.floor((width * shorter) / height), height: shorter };
}

/** Resize + centre crop to h×w, `channels` (1: sRGB → greyscale) interleaved 8-bit pixels. */
export async function resizeAndCrop(image: DecodedImage, t: { h: number; w: number; c: number }, kernel: Interpolation, shorter?: number): Promise<Uint8Array> {
  const s = shorter ?? Math.max(Math.ceil((t.h * Math.min(image.width, image.height)) / image.height), Math.ceil((t.w * Math.min(image.width, image.height)) / image.width));
  const size = resizedSize(image.width, image.height, s);
  if (size.width < t.w || size.height < t.h) {
    throw new InferbenchError('usage', `image pipeline: resize=${s} gives ${size.width}×${size.height}, smaller than the ${t.w}×${t.h} crop`, `pass a larger --pipeline-opt resize, at least ${Math.max(t.w, t.h)}`);
  }
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });
  if (size.width !== image.width || size.height !== image.height) {
    pipeline = pipeline.resize(size.width, size.height, { kernel: INTERPOLATIONS[kernel], fit: 'fill' });
  }
  pipeline = pipeline.extract({ left: Math.floor((size.width - t.w) / 2), top: Math.floor((size.height - t.h) / 2), width: t.w, height: t.h });
  if (t.c === 1) pipeline = pipeline.greyscale();
  return pipeline.raw({ depth: 'uchar' }).toBuffer();
}

/** Writes one image's pixels, normalised, into the batch tensor at item `i`. */
function writeImage(out: Float32Array | Uint8Array, i: number, pixels: Uint8Array, t: ImageTarget, norm: { mean: number[]; std: number[]; scale: number }): void {
  const plane = t.h * t.w;
  const base = i * plane * t.c;
  for (let p = 0; p < plane; p++) {
    for (let ch = 0; ch < t.c; ch++) {
      const v = pixels[p * t.c + ch] as number;
      const at = t.layout === 'nchw' ? base + ch * plane + p : base + p * t.c + ch;
      out[at] = t.type === 'uint8' ? v : (v / norm.scale - (norm.mean[ch] as number)) / (norm.std[ch] as number);
    }
  }
}

/** The `image` pipeline with its --pipeline-opt options. */
export function createImagePipeline(options: Record<string, string> = {}): PipelineModule<DecodedImage> {
  checkKeys('image', options, KEYS);
  const kernel = choice(options, 'interpolation', Object.keys(INTERPOLATIONS) as Interpolation[]) ?? 'bilinear';
  const layout = choice(options, 'layout', ['nchw', 'nhwc'] as const);
  const shorter = positiveInt(options, 'resize');
  const [scale] = numberList(options, 'scale', [255], 1) as [number];
  let target: ImageTarget | null = null;
  let norm = { mean: IMAGENET_MEAN, std: IMAGENET_STD, scale };
  return {
    name: 'image',
    extensions: IMAGE_EXTENSIONS,
    unit: 'file',
    setup(ctx) {
      target = imageTarget(ctx, layout);
      // One channel: the mean of ImageNet's statistics, unless given.
      const grey = (v: number[]): number[] => (target?.c === 1 ? [v.reduce((a, b) => a + b, 0) / v.length] : v);
      norm = { mean: numberList(options, 'mean', grey(IMAGENET_MEAN), target.c), std: numberList(options, 'std', grey(IMAGENET_STD), target.c), scale };
      if (norm.std.some((s) => s === 0)) throw new InferbenchError('usage', '--pipeline-opt std has a zero', 'std values divide the pixels');
    },
    decode: decodeImage,
    async preprocess(items): Promise<HostTensor[]> {
      const t = target;
      if (t === null) throw new Error('image pipeline: setup was not called');
      const out = t.type === 'uint8' ? new Uint8Array(items.length * t.c * t.h * t.w) : new Float32Array(items.length * t.c * t.h * t.w);
      for (let i = 0; i < items.length; i++) writeImage(out, i, await resizeAndCrop(items[i] as DecodedImage, t, kernel, shorter), t, norm);
      const dims = [...t.dims];
      dims[0] = items.length;
      return [{ name: t.input, type: t.type, dims, data: out }];
    },
  };
}
