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
    expect(config.budgets).toHaveLength(2);
    expect(config.thresholds).toEqual({ default: 0.05, overrides: { p99: 0.15 } });
    expect(config.output.dir).toBe(resolve('reports/ci'));
    expect(config.baseline).toBe(resolve('baseline'));
  });

  test('the example maps onto profile options', () => {
    const config = loadConfig(EXAMPLE);
    const options = profileOptionsFor(config, config.models[0]!);
    expect(options).toMatchObject({ model: resolve('fixtures/mlp.onnx'), device: ['cpu'], precision: ['fp32'], batch: [1], threads: [null], graphOptimization: 'all', seed: 42 });
    expect(options.measure).toEqual({ kind: 'time', ms: 3000 });
    expect(options.warmup).toEqual({ kind: 'time', ms: 1000 });
    expect(profileOptionsFor(config, config.models[0]!, { iterations: 50 }).measure).toEqual({ kind: 'count', iterations: 50 });
  });

  test.each([
    [{}, "(top level): missing required field 'models'"],
    [{ models: [] }, '/models: must NOT have fewer than 1 items'],
    [{ models: ['a.onnx'], sweep: { batch: [0] } }, '/sweep/batch/0: must be >= 1'],
    [{ models: ['a.onnx'], sweep: { precision: ['fp64'] } }, '/sweep/precision/0: must be one of "fp32", "fp16", "int8"'],
    [{ models: ['a.onnx'], outputs: {} }, "(top level): unknown field 'outputs'"],
    [{ models: ['a.onnx'], measure: { duration: '10 minutes' } }, '/measure/duration: must match pattern'],
  ])('schema errors name the field: %j', (data, message) => {
    expect(configErrors(data).join('\n')).toContain(message);
    const e = error(() => parseConfig(data, 'x.json'));
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(`x.json: ${message}`);
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

  test('a missing file and bad JSON are usage errors', () => {
    expect(error(() => loadConfig('nope.json')).hint).toContain('examples/inferbench.config.json');
    expect(error(() => loadConfig('test/data/compare/not-json.txt')).message).toContain('is not valid JSON');
  });
});
