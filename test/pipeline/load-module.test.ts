import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, test } from 'vitest';
import { openDataSource } from '../../src/pipeline/data-source.js';
import { loadPipelineModule } from '../../src/pipeline/load-module.js';
import { resolvePipeline } from '../../src/pipeline/resolve.js';
import { createPipelineRunner } from '../../src/pipeline/runner.js';
import type { PipelineModule } from '../../src/pipeline/types.js';
import { rejection } from '../helpers/errors.js';
import { closeSessions, contextFor, runModel } from './helpers.js';

const EXAMPLES = join('examples', 'pipelines');
const CSV = join(EXAMPLES, 'features.csv');
const scratch = mkdtempSync(join(tmpdir(), 'inferbench-modules-'));
function writeModule(name: string, code: string): string {
  const path = join(scratch, name);
  writeFileSync(path, code);
  return path;
}
afterAll(closeSessions);

/** Runs one batch of 4 csv rows through a pipeline module and fixtures/mlp.onnx, stage by stage. */
async function runExample(module: PipelineModule) {
  const ctx = await contextFor('mlp.onnx', 4, { scale: '0.5' });
  const data = await openDataSource(CSV, { cache: false, extensions: module.extensions, unit: module.unit });
  const runner = await createPipelineRunner({ module, data, context: ctx, cacheDecoded: false });
  const raw = await runner.load(0);
  const feeds = await runner.preprocess(raw);
  const outputs = await runModel('mlp.onnx', feeds);
  return { raw, feeds, result: await runner.postprocess(outputs) };
}

/** The expected classes, computed without the pipeline: parse, scale, run, argmax. */
async function expectedClasses(): Promise<number[]> {
  const { readFileSync } = await import('node:fs');
  const rows = readFileSync(CSV, 'utf8').trim().split('\n').map((l) => l.split(',').map((v) => Number(v) * 0.5));
  const [logits] = await runModel('mlp.onnx', [{ name: 'x', type: 'float32', dims: [4, 64], data: Float32Array.from(rows.flat()) }]);
  const data = Array.from(logits!.data as Float32Array);
  return [0, 1, 2, 3].map((i) => {
    const row = data.slice(i * 10, i * 10 + 10);
    return row.indexOf(Math.max(...row));
  });
}

describe('user pipeline modules', () => {
  test('examples/pipelines/custom.mjs runs for real on fixtures/mlp.onnx', async () => {
    const module = await resolvePipeline(join(EXAMPLES, 'custom.mjs'), { options: { scale: '0.5' } });
    expect(module.name).toBe('csv-features');
    const { raw, feeds, result } = await runExample(module);
    expect(raw.map((r) => r.path)).toEqual([1, 2, 3, 4].map((n) => `${CSV}:${n}`));
    expect(feeds[0]).toMatchObject({ name: 'x', type: 'float32', dims: [4, 64] });
    expect(result).toEqual({ classes: await expectedClasses() });
  });

  test('examples/pipelines/custom.ts loads (compiled with esbuild) and gives the same result', async () => {
    const module = await loadPipelineModule(join(EXAMPLES, 'custom.ts'));
    expect(module.name).toBe('csv-features (ts)');
    expect((await runExample(module)).result).toEqual({ classes: await expectedClasses() });
    expect(readdirSync(EXAMPLES).filter((f) => f.startsWith('.'))).toEqual([]); // the hidden .mjs is removed
  });

  // One strict program, as a user's editor would check their pipeline, with `inferbench` resolved
  // to the package entry: the package's types are dist/index.d.ts, which tsc builds from src/index.ts.
  test("the package's exported types: custom.ts type-checks, and they are real types, not any", () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; types: string; exports: { '.': { types: string } } };
    expect([pkg.name, pkg.types, pkg.exports['.'].types]).toEqual(['inferbench', './dist/index.d.ts', './dist/index.d.ts']);
    const wrong = writeModule(
      'typed.ts',
      `import type { PipelineContext, PipelineModule, PipelineStage, RawItem } from 'inferbench';
export const wrongType: PipelineModule = { preprocess: () => [{ name: 'x', type: 'float33', dims: [1], data: new Float32Array(1) }] };
export const noPreprocess: PipelineModule = { setup(ctx: PipelineContext) { void ctx.shapes; } };
export const decoded: PipelineModule<number> = { decode: (item: RawItem) => item.bytes.length, preprocess: (items: string[]) => [] };
export const stage: PipelineStage = 'inference';
`,
    );
    const example = resolve(EXAMPLES, 'custom.ts');
    const program = ts.createProgram([example, wrong], {
      strict: true,
      noUncheckedIndexedAccess: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: ['node'],
      skipLibCheck: true,
      paths: { inferbench: [resolve('src/index.ts')] },
    });
    const diagnostics = ts.getPreEmitDiagnostics(program);
    const of = (file: string): string[] => diagnostics.filter((d) => d.file && resolve(d.file.fileName) === file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    // Messages, not Diagnostic objects: a failing diff of those formats the whole program (it ran a fork out of heap).
    const elsewhere = diagnostics.filter((d) => !d.file || ![example, resolve(wrong)].includes(resolve(d.file.fileName)));
    expect(elsewhere.map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)).toEqual([]);
    expect(of(example)).toEqual([]);
    const errors = of(resolve(wrong)).join('\n');
    expect(errors).toMatch(/'"float33"' is not assignable to type 'ElementType'/);
    expect(errors).toMatch(/Property 'preprocess' is missing/);
    expect(errors).toMatch(/'number\[\]' is not assignable to type 'string\[\]'|Type 'number' is not assignable to type 'string'/);
    expect(errors).toMatch(/'"inference"' is not assignable to type 'PipelineStage'/);
  });

  test('named exports work as well as a default export', async () => {
    const path = writeModule('named.mjs', `export const name = 'named';\nexport function preprocess(items) { return items.map(() => ({ name: 'x', type: 'float32', dims: [1], data: new Float32Array(1) })); }`);
    const module = await loadPipelineModule(path);
    expect(module.name).toBe('named');
    expect(await module.preprocess([1], await contextFor('mlp.onnx', 1))).toHaveLength(1);
  });

  test('shape errors are usage errors naming the module and the fix', async () => {
    const none = writeModule('none.mjs', 'export default { postprocess() {} };');
    const e1 = await rejection(loadPipelineModule(none, './none.mjs'));
    expect([e1.code, e1.message]).toEqual(['usage', 'pipeline ./none.mjs exports no preprocess function']);
    expect(e1.hint).toMatch(/export default \{ preprocess/);
    const bad = writeModule('bad.mjs', 'export default { preprocess() {}, setup: 42 };');
    expect((await rejection(loadPipelineModule(bad, 'bad.mjs'))).message).toBe('pipeline bad.mjs: setup is a number, not a function');
    const unit = writeModule('unit.mjs', "export default { preprocess() {}, unit: 'row' };");
    expect((await rejection(loadPipelineModule(unit, 'unit.mjs'))).message).toMatch(/unit must be 'file', 'line' or 'directory'/);
    expect((await rejection(loadPipelineModule(join(scratch, 'missing.mjs'), './missing.mjs'))).message).toBe('pipeline module not found: ./missing.mjs');
    const broken = writeModule('broken.mjs', 'export default {');
    expect((await rejection(loadPipelineModule(broken, 'broken.mjs'))).message).toMatch(/^pipeline broken\.mjs failed to load: /);
    const badTs = writeModule('bad.ts', 'export default { preprocess( };');
    expect((await rejection(loadPipelineModule(badTs, 'bad.ts'))).message).toMatch(/^pipeline bad\.ts does not compile: /);
    expect((await rejection(resolvePipeline('imag'))).hint).toMatch(/image, text, tensors, none/);
  });

  test('a pipeline that throws is reported with its stage and input', async () => {
    const path = writeModule(
      'throws.mjs',
      `export default {
        unit: 'line',
        decode(item) { if (item.index === 2) throw new Error('bad row'); return item; },
        preprocess(items) { if (items.length > 1) throw new TypeError('cannot batch'); return [{ name: 'x', type: 'float32', dims: [1, 64], data: new Float32Array(64) }]; },
        postprocess() { throw new Error('no labels'); },
      };`,
    );
    const module = await loadPipelineModule(path, './throws.mjs');
    const data = await openDataSource(CSV, { cache: false, unit: 'line' });
    const batch2 = await createPipelineRunner({ module, data, context: await contextFor('mlp.onnx', 2), cacheDecoded: false });
    const e1 = await rejection(batch2.load(0).then((items) => batch2.preprocess(items)));
    expect([e1.code, e1.message]).toEqual(['input-invalid', `pipeline ./throws.mjs failed in preprocess on ${CSV}:1, ${CSV}:2: cannot batch`]);
    const e2 = await rejection(batch2.load(1).then((items) => batch2.preprocess(items)));
    expect(e2.message).toBe(`pipeline ./throws.mjs failed in decode on ${CSV}:3: bad row`);
    const batch1 = await createPipelineRunner({ module, data, context: await contextFor('mlp.onnx', 1), cacheDecoded: false });
    const feeds = await batch1.preprocess(await batch1.load(0));
    const e3 = await rejection(batch1.postprocess(await runModel('mlp.onnx', feeds)));
    expect(e3.message).toBe(`pipeline ./throws.mjs failed in postprocess on ${CSV}:1: no labels`);
  });
});
