// model.json format detection (with and without `format`), path routing, SavedModel without
// tfjs-node, and the errors for files that are not TensorFlow models.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { SessionOptions } from '../../src/adapters/adapter.js';
import { resolveAdapter } from '../../src/adapters/resolve.js';
import { tfAdapter } from '../../src/adapters/tf.js';
import { detectTfjsFormat, isTfModelPath } from '../../src/adapters/tf-model.js';
import { error, rejection } from '../helpers/errors.js';

const CPU: SessionOptions = { device: 'cpu', intraOpThreads: null, interOpThreads: null, graphOptimization: 'all' };
const scratch = mkdtempSync(join(tmpdir(), 'inferbench-tf-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of fixtures/tf/<name> whose model.json went through `edit`. */
function copyFixture(name: string, edit: (json: Record<string, unknown>) => void): string {
  const dir = join(scratch, `${name}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  const json = JSON.parse(readFileSync(join('fixtures', 'tf', name, 'model.json'), 'utf8')) as Record<string, unknown>;
  edit(json);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  copyFileSync(join('fixtures', 'tf', name, 'weights.bin'), join(dir, 'weights.bin'));
  return join(dir, 'model.json');
}

describe('detectTfjsFormat', () => {
  test('the format field decides when present', () => {
    expect(detectTfjsFormat({ format: 'layers-model', modelTopology: {} })).toBe('tfjs-layers');
    expect(detectTfjsFormat({ format: 'graph-model', modelTopology: {} })).toBe('tfjs-graph');
  });

  test('without it, the structure: Keras class_name/config (also under model_config) vs a GraphDef node list', () => {
    expect(detectTfjsFormat({ modelTopology: { class_name: 'Sequential', config: { layers: [] } } })).toBe('tfjs-layers');
    expect(detectTfjsFormat({ modelTopology: { keras_version: '2.4.0', model_config: { class_name: 'Functional', config: {} } } })).toBe('tfjs-layers');
    expect(detectTfjsFormat({ modelTopology: { node: [{ name: 'x', op: 'Placeholder' }], versions: {} } })).toBe('tfjs-graph');
  });

  test('neither is a model-invalid error', () => {
    const e = error(() => detectTfjsFormat({ modelTopology: { layers: [] } }, 'x/model.json'));
    expect(e.code).toBe('model-invalid');
    expect(e.message).toMatch(/x\/model\.json is not a TensorFlow\.js model/);
    expect(error(() => detectTfjsFormat({ hello: 1 })).code).toBe('model-invalid');
  });

  test.each([
    ['cnn', 'tfjs-layers'],
    ['mlp', 'tfjs-layers'],
    ['graph', 'tfjs-graph'],
  ])('%s without `format` opens as %s, like the fixture with it', async (name, format) => {
    const path = copyFixture(name, (json) => delete json.format);
    const stripped = await tfAdapter.open(path, CPU);
    const original = await tfAdapter.open(join('fixtures', 'tf', name, 'model.json'), CPU);
    expect(stripped.info.format).toBe(format);
    expect(stripped.info.inputs).toEqual(original.info.inputs);
    expect(stripped.info.outputs).toEqual(original.info.outputs);
    await Promise.all([stripped.close(), original.close()]);
  });
});

describe('routing', () => {
  test('model.json files and model directories go to the TensorFlow adapter, .onnx to ONNX Runtime', async () => {
    expect((await resolveAdapter('fixtures/tf/cnn/model.json')).runtime).toBe('tensorflow.js');
    expect((await resolveAdapter('fixtures/tf/graph')).runtime).toBe('tensorflow.js');
    expect((await resolveAdapter('fixtures/cnn.onnx')).runtime).toBe('onnxruntime');
    const e = await rejection(resolveAdapter('fixtures/README.md'));
    expect(e.message).toMatch(/ONNX models \(\.onnx\), TensorFlow\.js models \(model\.json\) and TensorFlow SavedModel directories/);
  });

  test('a directory with model.json opens that model', async () => {
    const session = await tfAdapter.open('fixtures/tf/mlp', CPU);
    expect(session.info.path).toBe('fixtures/tf/mlp');
    expect(session.info.inputs[0]?.name).toBe('x');
    await session.close();
  });
});

describe('SavedModel', () => {
  const dir = join(scratch, 'saved_model');
  mkdirSync(join(dir, 'variables'), { recursive: true });
  writeFileSync(join(dir, 'saved_model.pb'), Buffer.from([0x08, 0x01]));
  let tfjsNodeInstalled = true;
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
  } catch {
    tfjsNodeInstalled = false;
  }

  test('is recognised by its saved_model.pb', () => {
    expect(isTfModelPath(dir)).toBe(true);
    expect(isTfModelPath(join(dir, 'saved_model.pb'))).toBe(true);
    expect(isTfModelPath(scratch)).toBe(false);
  });

  test.skipIf(tfjsNodeInstalled)('without tfjs-node: a clear error saying so and how to install it', async () => {
    const e = await rejection(tfAdapter.open(dir, CPU));
    expect(e.code).toBe('device-unavailable');
    expect(e.message).toMatch(/is a TensorFlow SavedModel, which needs @tensorflow\/tfjs-node: @tensorflow\/tfjs-node: not installed/);
    expect(e.hint).toMatch(/^npm install @tensorflow\/tfjs-node \(needs network access/);
    expect(e.hint).toMatch(/tensorflowjs_converter --input_format=tf_saved_model/);
  });

  test('on wasm: refused, only tfjs-node runs SavedModels', async () => {
    const e = await rejection(tfAdapter.open(dir, { ...CPU, device: 'wasm' }));
    expect(e.message).toMatch(/only tfjs-node can run \(device tensorflow or cuda\), not wasm/);
  });
});

describe('bad files', () => {
  test('missing model.json', async () => {
    expect((await rejection(tfAdapter.open(join(scratch, 'nope', 'model.json'), CPU))).code).toBe('model-not-found');
  });

  test('not JSON', async () => {
    const path = join(scratch, 'bad.json');
    writeFileSync(path, '{ not json');
    const e = await rejection(tfAdapter.open(path, CPU));
    expect(e.code).toBe('model-invalid');
    expect(e.message).toMatch(/is not valid JSON/);
  });

  test('a missing weight shard', async () => {
    const path = copyFixture('mlp', () => undefined);
    rmSync(path.replace('model.json', 'weights.bin'));
    const e = await rejection(tfAdapter.open(path, CPU));
    expect(e.message).toMatch(/weight shard 'weights.bin' cannot be read/);
  });

  test('weights that do not match the topology', async () => {
    const path = copyFixture('mlp', (json) => {
      const manifest = json.weightsManifest as { weights: { shape: number[] }[] }[];
      manifest[0]!.weights[0]!.shape = [64, 64];
    });
    const e = await rejection(tfAdapter.open(path, CPU));
    expect(e.code).toBe('model-invalid');
    expect(e.message).toMatch(/^tfjs cannot load /);
  });
});

describe('fixtures/tf', () => {
  test('are regenerated byte for byte by scripts/make-tf-fixtures.mjs, and stay small', async () => {
    const { execFileSync } = await import('node:child_process');
    const { readdirSync, statSync } = await import('node:fs');
    const out = join(scratch, 'regenerated');
    execFileSync(process.execPath, ['scripts/make-tf-fixtures.mjs', out]);
    let total = 0;
    for (const model of ['cnn', 'mlp', 'graph']) {
      expect(readdirSync(join(out, model)).sort()).toEqual(['model.json', 'weights.bin']);
      for (const file of ['model.json', 'weights.bin']) {
        const committed = join('fixtures', 'tf', model, file);
        expect(readFileSync(join(out, model, file)).equals(readFileSync(committed)), committed).toBe(true);
        total += statSync(committed).size;
      }
    }
    expect(total).toBeLessThan(1024 * 1024);
  });
});
