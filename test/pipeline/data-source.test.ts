import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { batchIndices, openDataSource } from '../../src/pipeline/data-source.js';
import { glob } from '../../src/pipeline/glob.js';
import { rejection } from '../helpers/errors.js';

const root = mkdtempSync(join(tmpdir(), 'inferbench-data-'));
const files: Record<string, string> = {
  'img_2.jpg': 'two',
  'img_10.jpg': 'ten',
  'img_1.png': 'one',
  'notes.md': 'skip me',
  '.hidden.jpg': 'hidden',
  'sub/deep/x.jpg': 'deep',
  'sets/test_data_set_1/input_0.pb': 'b0',
  'sets/test_data_set_0/input_1.pb': 'a1',
  'sets/test_data_set_0/input_0.pb': 'a0',
  'sets/test_data_set_0/output_0.pb': 'expected',
  'sets/test_data_set_1/output_0.pb': 'expected',
  'lines.txt': 'first\n\n  \nsecond\r\nthird',
};
for (const [path, text] of Object.entries(files)) {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}
// Globs with classes and symlinked directories, in their own tree so the walks above stay as they are.
const linked = mkdtempSync(join(tmpdir(), 'inferbench-links-'));
for (const path of ['ab/a-1.png', 'ab/b-2.png', 'ab/c-3.png', 'elsewhere/linked.png']) {
  mkdirSync(join(linked, path, '..'), { recursive: true });
  writeFileSync(join(linked, path), path);
}
symlinkSync(join(linked, 'elsewhere'), join(linked, 'ab', 'link'));
symlinkSync(join(linked, 'ab'), join(linked, 'ab', 'loop')); // a cycle must not hang the walk
const relLinked = (p: string): string => p.slice(linked.length + 1);
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const rel = (p: string): string => p.slice(root.length + 1);
const IMAGES = ['.jpg', '.png'];

describe('openDataSource', () => {
  test('a directory: recursive, naturally sorted, filtered by extension, dotfiles skipped', async () => {
    const source = await openDataSource(root, { cache: false, extensions: IMAGES });
    const paths = await Promise.all(Array.from({ length: source.size }, async (_, i) => rel((await source.read(i)).path)));
    expect(paths).toEqual(['img_1.png', 'img_2.jpg', 'img_10.jpg', 'sub/deep/x.jpg']);
    expect(text((await source.read(1)).bytes)).toBe('two');
    expect(source.description).toBe(`4 files from ${root} (.jpg .png)`);
  });

  test('a single file is taken whatever its extension', async () => {
    const source = await openDataSource(join(root, 'notes.md'), { cache: false, extensions: IMAGES });
    expect(source.size).toBe(1);
    expect(await source.read(0)).toMatchObject({ index: 0, path: join(root, 'notes.md') });
  });

  test('globs: * and ? within a segment, ** across, {a,b} alternatives', async () => {
    expect((await glob(join(root, 'img_?.*'))).map(rel)).toEqual(['img_1.png', 'img_2.jpg']);
    expect((await glob(join(root, '**/*.jpg'))).map(rel)).toEqual(['img_2.jpg', 'img_10.jpg', 'sub/deep/x.jpg']);
    expect((await glob(join(root, '*.{png,md}'))).map(rel)).toEqual(['img_1.png', 'notes.md']);
    expect((await glob(join(linked, 'ab/[ab]-*.png'))).map(relLinked)).toEqual(['ab/a-1.png', 'ab/b-2.png']);
    const source = await openDataSource(join(root, '**/*.jpg'), { cache: false, extensions: IMAGES });
    expect(source.size).toBe(3);
  });

  test('symlinked directories are walked, once, by globs and directory walks', async () => {
    expect((await glob(join(linked, 'ab/link/*.png'))).map(relLinked)).toEqual(['ab/link/linked.png']);
    const source = await openDataSource(join(linked, 'ab'), { cache: false, extensions: IMAGES });
    const paths = await Promise.all(Array.from({ length: source.size }, async (_, i) => relLinked((await source.read(i)).path)));
    expect(paths).toEqual(['ab/a-1.png', 'ab/b-2.png', 'ab/c-3.png', 'ab/link/linked.png']);
  });

  test("unit 'line': each non-empty line is an item, read by its byte range, CRLF stripped", async () => {
    const source = await openDataSource(join(root, 'lines.txt'), { cache: false, unit: 'line' });
    const items = await Promise.all([0, 1, 2].map((i) => source.read(i)));
    expect(items.map((i) => [rel(i.path), text(i.bytes)])).toEqual([
      ['lines.txt:1', 'first'],
      ['lines.txt:4', 'second'],
      ['lines.txt:5', 'third'],
    ]);
  });

  test("unit 'directory': each test_data_set_N is one sample with its files in order", async () => {
    const source = await openDataSource(join(root, 'sets'), { cache: false, extensions: ['.pb'], unit: 'directory' });
    expect(source.size).toBe(2);
    const first = await source.read(0);
    expect(rel(first.path)).toBe('sets/test_data_set_0');
    expect(first.parts!.map((p) => [rel(p.path), text(p.bytes)])).toEqual([
      ['sets/test_data_set_0/input_0.pb', 'a0'],
      ['sets/test_data_set_0/input_1.pb', 'a1'],
    ]);
    // output_K.pb are expected outputs, never inputs: a test_data_set directory given directly is one sample
    expect(first.parts).toHaveLength(2);
    expect((await openDataSource(join(root, 'sets', 'test_data_set_0'), { cache: false, extensions: ['.pb'], unit: 'directory' })).size).toBe(1);
  });

  test('cache: true keeps the first read; false reads the disk every time', async () => {
    const path = join(root, 'changing.bin');
    writeFileSync(path, 'v1');
    const cached = await openDataSource(path, { cache: true });
    const uncached = await openDataSource(path, { cache: false });
    expect(text((await cached.read(0)).bytes)).toBe('v1');
    expect(text((await uncached.read(0)).bytes)).toBe('v1');
    writeFileSync(path, 'v2');
    expect(text((await cached.read(0)).bytes)).toBe('v1');
    expect(text((await uncached.read(0)).bytes)).toBe('v2');
    expect(cached.description).toMatch(/cached in memory$/);
  });

  test('a missing path and an empty match are input errors naming the path', async () => {
    expect((await rejection(openDataSource(join(root, 'nope'), { cache: false }))).message).toMatch(/nope: not found/);
    expect((await rejection(openDataSource(root, { cache: false, extensions: ['.wav'] }))).message).toMatch(/no files with extension \.wav/);
  });
});

describe('batchIndices', () => {
  test('consecutive items per batch, cycling through a smaller dataset', () => {
    expect([0, 1, 2].map((k) => batchIndices(k, 2, 5))).toEqual([[0, 1], [2, 3], [4, 0]]);
    expect(batchIndices(0, 4, 3)).toEqual([0, 1, 2, 0]);
    expect(batchIndices(7, 1, 3)).toEqual([1]);
  });
});
