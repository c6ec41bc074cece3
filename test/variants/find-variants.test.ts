// Variant discovery (user file, sibling, generate) and the generated-variant cache.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultVariantCacheDir, findSibling, findVariants, generatedVariant, siblingNames } from '../../src/variants/find-variants.js';
import { variantCachePath } from '../../src/variants/variant-cache.js';
import { error, rejection } from '../helpers/errors.js';
import { describeModel, fixtureInputs, fixturePath, runBytes } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'inferbench-variants-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;
function dirWith(...files: string[]): string {
  const dir = join(root, `d${(dirCount += 1)}`);
  mkdirSync(dir);
  for (const f of files) writeFileSync(join(dir, f), 'x');
  return dir;
}

describe('findVariants', () => {
  it('fp32 is the model itself; with no siblings fp16 and int8 are null (generate)', () => {
    const dir = dirWith('model.onnx');
    expect(findVariants(join(dir, 'model.onnx'))).toEqual({ fp32: { path: join(dir, 'model.onnx'), source: 'original' }, fp16: null, int8: null, 'int8-static': null });
  });

  it.each([
    ['model_fp16.onnx', 'fp16'],
    ['model.fp16.onnx', 'fp16'],
    ['model_float16.onnx', 'fp16'],
    ['model-fp16.onnx', 'fp16'],
    ['model_quantized.onnx', 'int8'],
    ['model_int8.onnx', 'int8'],
    ['model.int8.onnx', 'int8'],
    ['model_quint8.onnx', 'int8'],
    ['model_uint8.onnx', 'int8'],
    ['MODEL_FP16.ONNX', 'fp16'],
  ] as const)('finds the sibling %s as %s', (file, precision) => {
    const dir = dirWith('model.onnx', file);
    expect(findVariants(join(dir, 'model.onnx'))[precision]).toEqual({ path: join(dir, file), source: 'sibling' });
  });

  it('prefers the more specific name when several siblings exist, and ignores 4-bit ones', () => {
    const dir = dirWith('model.onnx', 'model_quantized.onnx', 'model_int8.onnx', 'model_q4.onnx', 'model_q4f16.onnx');
    const found = findVariants(join(dir, 'model.onnx'));
    expect(found.int8?.path).toBe(join(dir, 'model_int8.onnx'));
    expect(found.fp16).toBeNull();
    expect(findSibling(join(dirWith('model.onnx', 'model_q4.onnx'), 'model.onnx'), 'int8')).toBeNull();
  });

  it('works from the stem of other model names (optimum: decoder_model_merged_quantized.onnx)', () => {
    const dir = dirWith('decoder_model_merged.onnx', 'decoder_model_merged_quantized.onnx');
    expect(findVariants(join(dir, 'decoder_model_merged.onnx')).int8?.source).toBe('sibling');
    expect(siblingNames('a/b/enc.onnx', 'fp16').slice(0, 3)).toEqual(['enc_fp16.onnx', 'enc.fp16.onnx', 'enc-fp16.onnx']);
  });

  it('a user-named file wins over a sibling; a missing one is an error naming --variant', () => {
    const dir = dirWith('model.onnx', 'model_int8.onnx', 'mine.onnx');
    const found = findVariants(join(dir, 'model.onnx'), { int8: join(dir, 'mine.onnx') });
    expect(found.int8).toEqual({ path: join(dir, 'mine.onnx'), source: 'user' });
    const e = error(() => findVariants(join(dir, 'model.onnx'), { fp16: join(dir, 'nope.onnx') }));
    expect(e.code).toBe('model-not-found');
    expect(e.message).toMatch(/--variant fp16=/);
  });

  it('a directory named like a sibling is not a variant', () => {
    const dir = dirWith('model.onnx');
    mkdirSync(join(dir, 'model_fp16.onnx'));
    expect(findVariants(join(dir, 'model.onnx')).fp16).toBeNull();
  });
});

describe('generatedVariant', () => {
  const model = join(root, 'cnn.onnx');
  copyFileSync(fixturePath('cnn.onnx'), model);
  const sha = createHash('sha256').update(readFileSync(model)).digest('hex');

  it.each(['fp16', 'int8'] as const)('generates %s once, then returns the cached file untouched', async (precision) => {
    const cache = join(root, `cache-${precision}`);
    const first = await generatedVariant(model, precision, cache);
    expect(first).toMatchObject({ path: variantCachePath(cache, sha, precision), source: 'generated', cached: false });
    expect(first.provenance.from).toBe(sha);
    expect(first.provenance.method).toMatch(precision === 'fp16' ? /^fp16-v3: / : /^int8-dynamic-v4: /);
    expect(first.provenance.toolVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(first.path).toContain(sha);
    // Backdate the file: a regeneration would give it a new mtime.
    const past = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000); // whole seconds: every fs keeps them
    utimesSync(first.path, past, past);
    const second = await generatedVariant(model, precision, cache);
    expect(second).toEqual({ ...first, cached: true });
    expect(Math.round(statSync(second.path).mtimeMs)).toBe(past.getTime());
    // The model and its coverage sidecar, no temp files left.
    const file = `${sha}-${precision}-${precision === 'fp16' ? 'fp16-v3' : 'int8-dynamic-v4'}.onnx`;
    expect(readdirSync(cache).sort()).toEqual([file, `${file}.json`]);
    expect(second.coverage.ops.find((o) => o.opType === 'Conv')).toEqual({ opType: 'Conv', eligible: 3, converted: 3 });
    const inputs = fixtureInputs('cnn', 1);
    const outputs = await runBytes(new Uint8Array(readFileSync(second.path)), inputs);
    expect(outputs[0]?.dims).toEqual([1, 10]);
    expect(describeModel(new Uint8Array(readFileSync(second.path))).opTypes).toContain(precision === 'fp16' ? 'Cast' : 'ConvInteger');
  });

  it('keys the cache by content: a changed model misses', async () => {
    const cache = join(root, 'cache-content');
    const other = join(root, 'mlp.onnx');
    copyFileSync(fixturePath('mlp.onnx'), other);
    const a = await generatedVariant(model, 'int8', cache);
    const b = await generatedVariant(other, 'int8', cache);
    expect(b.path).not.toBe(a.path);
    expect(b.cached).toBe(false);
  });

  it('a missing model is model-not-found', async () => {
    expect((await rejection(generatedVariant(join(root, 'missing.onnx'), 'fp16', join(root, 'c')))).code).toBe('model-not-found');
  });

  it('the default cache directory follows XDG_CACHE_HOME, then node_modules/.cache, then ~/.cache', () => {
    expect(defaultVariantCacheDir({ XDG_CACHE_HOME: '/x' }, root)).toBe(join('/x', 'inferbench', 'variants'));
    const project = dirWith();
    mkdirSync(join(project, 'node_modules'));
    expect(defaultVariantCacheDir({}, project)).toBe(join(project, 'node_modules', '.cache', 'inferbench', 'variants'));
    expect(defaultVariantCacheDir({}, dirWith())).toMatch(/\.cache[/\\]inferbench[/\\]variants$/);
  });
});
