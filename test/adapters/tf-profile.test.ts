// profile() through the public API on the TensorFlow.js fixtures, once resolve.ts routes model.json
// to the TensorFlow adapter: the same trial shape and stages as for ONNX models.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu'; // the leaky model is built before profile() loads a backend when run alone
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, test } from 'vitest';
import { profile } from '../../src/index.js';
import { reportBaseName } from '../../src/report/write-reports.js';
import type { TrialOk, TrialResult } from '../../src/types.js';

const scratch = mkdtempSync(join(tmpdir(), 'inferbench-tf-profile-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const ok = (trial: TrialResult | undefined): TrialOk => {
  expect(trial?.status, JSON.stringify(trial).slice(0, 600)).toBe('ok');
  return trial as TrialOk;
};

const atDefaults = { warmup: { kind: 'count', iterations: 5 }, measure: { kind: 'count', iterations: 20 } } as const;
/** Tests about running, not analysing, skip the per-operator pass (on by default). */
const bounds = { ...atDefaults, opProfile: false } as const;

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
    // Every TensorFlow.js model is a model.json: report files are named for its folder.
    expect(reportBaseName(report)).toMatch(/^cnn-\d{8}-\d{6}$/);
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

describe('analysis on TensorFlow backends, as for ONNX models', () => {
  test('by default on wasm: the tf.profile() operator table, FLOPs, roofline; classified as a CPU device', async () => {
    const report = await profile({ model: 'fixtures/tf/cnn/model.json', device: 'wasm', ...atDefaults, argv: ['profile'] });
    const trial = ok(report.trials[0]);
    expect(trial.opProfile?.runs).toBe(20);
    expect(trial.opProfile?.nodesPerProvider).toEqual({ wasm: 12 });
    expect(trial.providers).toEqual({ wasm: 12 });
    expect(trial.opProfile?.byOpType[0]?.opType).toBe('FusedConv');
    expect(trial.cost?.flops).toBe(64_128_256); // tf-models.test.ts derives it
    expect(trial.cost?.unknownOpTypes).toEqual([]);
    expect(trial.roofline?.calibration.gflops).toBeGreaterThan(0);
    // wasm computes on the host CPU, on one thread: not the GPU path of the classifier.
    const gpu = trial.bottleneck?.rules.find((r) => r.rule === 'gpu-busy');
    expect(gpu).toMatchObject({ status: 'no-data', note: 'the trial ran on the CPU' });
    const cpu = trial.bottleneck?.rules.find((r) => r.rule === 'cpu-saturation');
    if (cpu?.status !== 'no-data') expect(cpu?.evidence.find((e) => e.metric === 'threads available')?.value).toBe(1);
    expect(trial.bottleneck?.recommendations.map((r) => r.id)).not.toContain('quantize-int8');
    expect(trial.bottleneck?.recommendations.map((r) => r.id)).not.toContain('more-threads');
  });

  test('with --no-op-profile a CPU backend gets no profiled pass', async () => {
    const report = await profile({ model: 'fixtures/tf/mlp/model.json', device: 'tfjs-cpu', sample: false, ...bounds, argv: ['profile'] });
    const trial = ok(report.trials[0]);
    expect(trial.opProfile).toBeUndefined();
    expect(trial.providers).toBeUndefined();
  });

  test('--threads the backend cannot use fails that trial with the reason; --threads 1 runs', async () => {
    const report = await profile({ model: 'fixtures/tf/mlp/model.json', device: 'wasm', threads: [1, 2], sample: false, ...bounds, argv: ['profile'] });
    const [one, two] = report.trials;
    expect(ok(one).spec.threads).toBe(1);
    expect(two).toMatchObject({ status: 'failed', phase: 'open', error: { code: 'device-unavailable' } });
    if (two?.status === 'failed') expect(two.error.message).toBe('--threads 2: the wasm backend runs on one thread in Node (tfjs-backend-wasm has no multi-threaded build for Node)');
  });
});

describe('tensor leaks', () => {
  /** A real layer that keeps one tensor per call out of predict()'s tidy: a leak tfjs cannot free. */
  class LeakyIdentity extends tfl.layers.Layer {
    static className = 'LeakyIdentity';
    override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      tf.keep(tf.zeros([4]));
      return tf.relu(x);
    }
  }
  tf.serialization.registerClass(LeakyIdentity);

  test('a model that leaks a tensor per run gets a memory-growth warning from tf.memory()', async () => {
    const dir = join(scratch, 'leaky');
    mkdirSync(dir, { recursive: true });
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [8], units: 4, kernelInitializer: 'ones' }), new LeakyIdentity({})] });
    await model.save(tf.io.withSaveHandler(async (artifacts) => {
      writeFileSync(join(dir, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] }));
      writeFileSync(join(dir, 'weights.bin'), new Uint8Array(tf.io.concatenateArrayBuffers(artifacts.weightData as ArrayBuffer)));
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }));
    model.dispose();
    const report = await profile({ model: join(dir, 'model.json'), device: 'tfjs-cpu', sample: false, ...bounds, argv: ['profile'] });
    const trial = ok(report.trials[0]);
    const leak = trial.warnings.find((w) => w.code === 'memory-growth');
    // 1 cold-start run + 5 warm-up + 20 measured, one float32[4] each; 20 more when the run
    // faulted enough for the untimed fault-attribution pass (src/measure/fault-attribution.ts).
    expect(leak?.message).toMatch(/^(26 tfjs tensors \(416 bytes\)|46 tfjs tensors \(736 bytes\)) outlived their iterations/);
    const clean = ok((await profile({ model: 'fixtures/tf/mlp/model.json', device: 'tfjs-cpu', sample: false, ...bounds, argv: ['profile'] })).trials[0]);
    expect(clean.warnings.map((w) => w.code)).not.toContain('memory-growth');
  });
});

