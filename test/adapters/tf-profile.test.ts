// profile() through the public API on the TensorFlow.js fixtures, once resolve.ts routes model.json
// to the TensorFlow adapter: the same trial shape and stages as for ONNX models.
import { describe, expect, test } from 'vitest';
import { profile } from '../../src/index.js';
import type { TrialOk } from '../../src/types.js';

const bounds = { warmup: { kind: 'count', iterations: 5 }, measure: { kind: 'count', iterations: 20 } } as const;

describe('profile() on TensorFlow.js models', () => {
  test('the layers CNN on the default device: wasm here, all stages measured', async () => {
    const report = await profile({ model: 'fixtures/tf/cnn/model.json', ...bounds, argv: ['profile'] });
    expect(report.model.format as string).toBe('tfjs-layers');
    expect(report.model.inputs).toEqual([{ name: 'image', type: 'float32', shape: [null, 64, 64, 3] }]);
    expect(report.environment.runtimes[0]).toMatchObject({ name: 'tensorflow.js', version: expect.stringMatching(/^4\./) as unknown });
    const [trial] = report.trials;
    expect(trial?.status, JSON.stringify(trial).slice(0, 600)).toBe('ok');
    const ok = trial as TrialOk;
    expect(ok.backend).toMatch(/tfjs 4\.\d+\.\d+ (wasm|cpu)|tfjs-node/);
    expect(ok.spec.batch).toBe(1);
    expect(ok.inputs[0]).toMatchObject({ name: 'image', type: 'float32', dims: [1, 64, 64, 3] });
    expect(ok.measure.iterations).toBe(20);
    expect(ok.warmup.iterations).toBe(5);
    for (const stage of ['preprocess', 'inference', 'postprocess', 'total'] as const) expect(ok.stages[stage].count).toBe(20);
    expect(ok.stages.inference.p50Ms).toBeGreaterThan(0);
  });

  test('batch and device flags work unchanged: the graph model at batch 4 on tfjs-cpu', async () => {
    const report = await profile({ model: 'fixtures/tf/graph/model.json', device: 'tfjs-cpu', batch: 4, ...bounds, argv: ['profile'] });
    const trial = report.trials[0] as TrialOk;
    expect(trial.status, JSON.stringify(trial).slice(0, 600)).toBe('ok');
    expect(trial.backend).toMatch(/cpu \(pure JS\)$/);
    expect(trial.spec.batch).toBe(4);
    expect(trial.inputs[0]?.dims).toEqual([4, 16]);
    expect(trial.throughput.itemsPerSec).toBeCloseTo(trial.throughput.inferencesPerSec * 4);
  });

  test('an unavailable backend is a skipped trial with the reason', async () => {
    const report = await profile({ model: 'fixtures/tf/mlp/model.json', device: 'cuda', ...bounds, argv: ['profile'] });
    const trial = report.trials[0];
    expect(trial?.status).toBe('skipped');
    if (trial?.status === 'skipped') expect(trial.reason).toMatch(/^device cuda unavailable: @tensorflow\/tfjs-node-gpu: /);
  });
});
