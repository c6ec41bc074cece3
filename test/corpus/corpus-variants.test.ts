// A few older-opset Conv / Gemm models of the ONNX backend-test corpus through the real CLI with
// --precision fp32,fp16,int8,int8-static (scripts/corpus-variants.mjs), when the corpus is
// installed (apt-get install libonnx-testdata): each variant ends in the class recorded in
// test/data/corpus-variants-sample.txt, none fails to load, and the CLI never crashes or hangs.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
// @ts-expect-error: a plain ES module script without types
import { DEFAULT_ROOT } from '../../scripts/corpus.mjs';
// @ts-expect-error: a plain ES module script without types
import { runModel } from '../../scripts/corpus-variants.mjs';

const installed = existsSync(DEFAULT_ROOT);
const SAMPLE = readFileSync('test/data/corpus-variants-sample.txt', 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => l.trim().split(/\s+/) as [string, string, string, string]);

interface VariantClass { class: string; detail?: string }
interface ModelResult { test: string; cli: string; fp32?: string; cache?: string; variants?: Record<string, VariantClass> }

describe.skipIf(!installed)('older-opset corpus models with precision variants', () => {
  test.each(SAMPLE)('%s: fp16 %s, int8 %s, int8-static %s', async (name, fp16, int8, int8Static) => {
    const result = (await runModel(DEFAULT_ROOT, name, 180_000)) as ModelResult;
    if (result.cache) rmSync(result.cache, { recursive: true, force: true });
    expect(result.cli).toBe('ok');
    expect(result.fp32).toBe('ok');
    const classes = Object.fromEntries(Object.entries(result.variants ?? {}).map(([p, v]) => [p, v.class === 'ok' ? 'ok' : `${v.class}: ${v.detail ?? ''}`]));
    const short = (c: string | undefined): string => (c ?? '').split(':')[0] ?? '';
    expect({ fp16: short(classes.fp16), int8: short(classes.int8), 'int8-static': short(classes['int8-static']) }, JSON.stringify(classes)).toEqual({ fp16, int8, 'int8-static': int8Static });
  }, 240_000);
});

test.runIf(!installed)('corpus variant sample skipped: apt-get install libonnx-testdata to run it', () => {
  expect(installed).toBe(false);
});
