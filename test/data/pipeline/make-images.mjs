// Writes the small deterministic image set of test/pipeline/image.test.ts from raw pixel buffers.
// Run: node test/data/pipeline/make-images.mjs   (the outputs are committed next to this script)
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const out = join(dirname(fileURLToPath(import.meta.url)), 'images');
mkdirSync(out, { recursive: true });

function pixels(width, height, colour) {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(colour(x, y), (y * width + x) * 3);
  }
  return sharp(data, { raw: { width, height, channels: 3 } });
}

// 1. a solid colour, 4:3 landscape, lossless: every output pixel is exactly (200, 100, 50).
await pixels(40, 30, () => [200, 100, 50]).png().toFile(join(out, 'a-solid.png'));
// 2. a gradient already 64 pixels high: no resampling, the centre crop starts at x = 32.
await pixels(128, 64, (x, y) => [2 * x, 4 * y, 255 - 2 * x]).png().toFile(join(out, 'b-gradient.png'));
// 3. a solid colour, 2:3 portrait, lossless WebP.
await pixels(100, 150, () => [10, 20, 240]).webp({ lossless: true }).toFile(join(out, 'c-solid.webp'));
// 4. a lossy JPEG with structure (a checkerboard over a gradient), 96×80.
await pixels(96, 80, (x, y) => {
  const check = ((x >> 3) + (y >> 3)) % 2 === 0 ? 60 : 0;
  return [Math.min(255, x * 2 + check), Math.min(255, y * 3), check * 3];
})
  .jpeg({ quality: 90 })
  .toFile(join(out, 'd-pattern.jpg'));
console.log(`wrote 4 images to ${out}`);
