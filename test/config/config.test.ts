import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { configErrors, loadConfig, parseConfig } from '../../src/config/config.js';
import { profileOptionsFor } from '../../src/config/profile-options.js';
import { error } from '../helpers/errors.js';

const EXAMPLE = 'examples/inferbench.config.json';

describe('config', () => {
  test('the example config is valid, and its paths resolve against its directory', () => {
    const config = loadConfig(EXAMPLE);
    expect(config.models.map((m) => m.path)).toEqual([resolve('fixtures/mlp.onnx'), resolve('fixtures/cnn.onnx')]);
    expect(config.models[0]?.pipeline).toEqual({ data: resolve('examples/pipelines/features.csv'), name: resolve('examples/pipelines/custom.mjs'), options: { scale: '0.5' } });
    expect(config.budgets).toHaveLength(2);
    expect(config.thresholds).toEqual({ default: 0.05, overrides: { p99: 0.15 } });
    expect(config.runVariance).toBe(0.1);
    expect(config.output.dir).toBe(resolve('reports/ci'));
    expect(config.output.comparison).toBe(resolve('reports/ci/comparison.md'));
    expect(config.baseline).toBe(resolve('baseline'));
  });

  test('an endpoint URL is a model as written, never resolved as a path', () => {
    const config = parseConfig({ models: ['http://127.0.0.1:8000/v2/models/cnn', { path: 'grpc://127.0.0.1:8001/v2/models/cnn' }, 'a.onnx'] }, '/ci/inferbench.config.json');
    expect(config.models.map((m) => m.path)).toEqual(['http://127.0.0.1:8000/v2/models/cnn', 'grpc://127.0.0.1:8001/v2/models/cnn', resolve('/ci/a.onnx')]);
  });

  test('paired: a base directory resolves against the config; a ref is kept; not both', () => {
    expect(parseConfig({ models: ['a.onnx'], paired: { baseDir: 'base' } }, '/ci/inferbench.config.json').paired).toEqual({ baseDir: resolve('/ci/base') });
    expect(parseConfig({ models: ['a.onnx'], paired: { baseRef: 'origin/main' } }, '/ci/inferbench.config.json').paired).toEqual({ baseRef: 'origin/main' });
    expect(configErrors({ models: ['a.onnx'], paired: { baseRef: 'origin/main', baseDir: 'base' } }).join('\n')).toMatch(/paired/);
    expect(configErrors({ models: ['a.onnx'], paired: {} }).join('\n')).toMatch(/paired/);
    // compare's epochs ride along with either base, and must be a whole number of at least 1.
    expect(parseConfig({ models: ['a.onnx'], paired: { baseDir: 'base', epochs: 3 } }, '/ci/inferbench.config.json').paired).toEqual({ baseDir: resolve('/ci/base'), epochs: 3 });
    expect(configErrors({ models: ['a.onnx'], paired: { baseRef: 'origin/main', epochs: 0 } }).join('\n')).toMatch(/epochs/);
  });

  test('the example maps onto profile options; flags override the file', () => {
    const config = loadConfig(EXAMPLE);
    const options = profileOptionsFor(config, config.models[0]!);
    expect(options).toMatchObject({ model: resolve('fixtures/mlp.onnx'), device: ['cpu'], precision: ['fp32'], batch: [1], threads: [null], graphOptimization: 'all', seed: 42, repeat: 5 });
    expect(options).toMatchObject({ data: resolve('examples/pipelines/features.csv'), pipeline: resolve('examples/pipelines/custom.mjs'), pipelineOptions: { scale: '0.5' } });
    expect(options.measure).toEqual({ kind: 'time', ms: 1000 });
    expect(options.warmup).toEqual({ kind: 'time', ms: 500 });
    const overridden = profileOptionsFor(config, config.models[0]!, { measure: { kind: 'count', iterations: 50 }, repeat: 2, warmup: { kind: 'count', iterations: 10 } });
    expect(overridden).toMatchObject({ measure: { kind: 'count', iterations: 50 }, repeat: 2, warmup: { kind: 'count', iterations: 10 } });
    expect(profileOptionsFor(config, config.models[0]!, { measure: { kind: 'time', ms: 250 } }).measure).toEqual({ kind: 'time', ms: 250 });
    // The second model declares no pipeline: synthetic inputs.
    expect(profileOptionsFor(config, config.models[1]!)).not.toHaveProperty('data');
  });

  test('a top-level pipeline applies to every model; a model overrides it field by field; paths resolve', () => {
    const config = parseConfig(
      {
        models: ['a.onnx', { path: 'b.onnx', pipeline: { data: 'b-images', options: { interpolation: 'bicubic' } } }],
        pipeline: { name: 'image', data: 'images', cache: true, postprocess: 'softmax,topk=5', labels: 'labels.txt', options: { 'tokenizer-config': 'tc.json', mean: '0.5' } },
      },
      'ci/c.json',
    );
    const a = profileOptionsFor(config, config.models[0]!);
    expect(a).toMatchObject({ pipeline: 'image', data: resolve('ci/images'), dataCache: true, postprocess: 'softmax,topk=5', labels: resolve('ci/labels.txt') });
    expect(a.pipelineOptions).toEqual({ 'tokenizer-config': resolve('ci/tc.json'), mean: '0.5' });
    const b = profileOptionsFor(config, config.models[1]!);
    expect(b).toMatchObject({ pipeline: 'image', data: resolve('ci/b-images'), dataCache: true });
    expect(b.pipelineOptions).toEqual({ 'tokenizer-config': resolve('ci/tc.json'), mean: '0.5', interpolation: 'bicubic' });
  });

  test.each([
    [{}, "(top level): missing required field 'models'"],
    [{ models: [] }, '/models: must NOT have fewer than 1 items'],
    [{ models: ['a.onnx'], sweep: { batch: [0] } }, '/sweep/batch/0: must be >= 1'],
    [{ models: ['a.onnx'], sweep: { precision: ['fp64'] } }, '/sweep/precision/0: must be one of "fp32", "fp16", "int8"'],
    [{ models: ['a.onnx'], outputs: {} }, "(top level): unknown field 'outputs'"],
    [{ models: ['a.onnx'], measure: { duration: '10 minutes' } }, '/measure/duration: must match pattern'],
    [{ models: ['a.onnx'], sweep: { threads: ['two'] } }, '/sweep/threads/0: must be integer or must be "auto"'],
    [{ models: ['a.onnx'], pipeline: { date: 'x' } }, "/pipeline: unknown field 'date'"],
    [{ models: [{ path: 'a.onnx', pipeline: { cache: 'yes' } }] }, '/models/0/pipeline/cache: must be boolean'],
    [{ models: ['a.onnx'], runVariance: 'ten' }, '/runVariance: must match pattern'],
  ])('schema errors name the field: %j', (data, message) => {
    expect(configErrors(data).join('\n')).toContain(message);
    const e = error(() => parseConfig(data, 'x.json'));
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(`x.json: ${message}`);
  });

  test('a model\'s inputs and batch dim pass through to profile options', () => {
    const config = parseConfig({ models: [{ path: 't.onnx', dims: { time: 50 }, batchDim: 'N' }], sweep: { batch: [1, 8] } }, '/ci/inferbench.config.json');
    expect(profileOptionsFor(config, config.models[0]!)).toMatchObject({ dims: { time: 50 }, batchDim: 'N', batch: [1, 8] });
    expect(configErrors({ models: [{ path: 't.onnx', batchDim: '' }] }).join('\n')).toMatch(/batchDim/);
  });

  test('a bad budget or threshold names its path', () => {
    expect(error(() => parseConfig({ models: ['a.onnx'], budgets: ['p99<=1ms', 'p99=>1ms'] }, 'c.json')).message).toMatch(/^c\.json: \/budgets\/1: budget 'p99=>1ms'/);
    expect(error(() => parseConfig({ models: ['a.onnx'], thresholds: ['5'] }, 'c.json')).message).toContain('c.json: /thresholds: --threshold');
  });

  test('sweep axes and repetitions pass through; a setting that is not an axis is refused, not reduced', () => {
    const multi = parseConfig({ models: ['a.onnx'], sweep: { batch: [1, 8], precision: ['fp32', 'int8'], threads: [1, 'auto'] }, measure: { repeat: 5 } }, 'c.json');
    expect(profileOptionsFor(multi, multi.models[0]!)).toMatchObject({ batch: [1, 8], precision: ['fp32', 'int8'], threads: [1, null], repeat: 5 });
    const graph = parseConfig({ models: ['a.onnx'], sweep: { graphOptimization: ['all', 'basic'] } }, 'c.json');
    expect(error(() => profileOptionsFor(graph, graph.models[0]!)).message).toContain('/sweep/graphOptimization lists 2 values');
  });

  test('sweep.outputs is the --outputs axis; an unknown handling is refused by the schema', () => {
    const config = parseConfig({ models: ['a.onnx'], sweep: { outputs: ['drop', 'reuse'] } }, 'c.json');
    expect(profileOptionsFor(config, config.models[0]!)).toMatchObject({ outputs: ['drop', 'reuse'] });
    expect(error(() => parseConfig({ models: ['a.onnx'], sweep: { outputs: ['keep'] } }, 'c.json')).message).toContain('/sweep/outputs/0');
  });

  test('a missing file and bad JSON are usage errors', () => {
    expect(error(() => loadConfig('nope.json')).hint).toContain('examples/inferbench.config.json');
    expect(error(() => loadConfig('test/data/compare/not-json.txt')).message).toContain('is not valid JSON');
  });
});
