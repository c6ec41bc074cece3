// Real data through profile(): the load stage, the built-in and user pipelines, and failures.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { profile, type ProfileOptions } from '../../src/profile.js';
import { validateReport } from '../../src/report/validate.js';
import type { TrialOk, TrialResult } from '../../src/types.js';
import { rejection } from '../helpers/errors.js';

const QUICK: Partial<ProfileOptions> = { threads: 1, sample: false, opProfile: false, warmup: { kind: 'count', iterations: 3 }, measure: { kind: 'count', iterations: 20 } };

function ok(trial: TrialResult | undefined): TrialOk {
  if (trial?.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(trial)}`);
  return trial;
}

describe('pipelines through profile()', () => {
  test('image data: load is its own stage, the batch cycles the dataset, top-k postprocess runs', async () => {
    const report = await profile({ model: 'fixtures/cnn.onnx', data: 'test/data/pipeline/images', postprocess: 'softmax,topk=3', batch: 3, ...QUICK });
    expect(validateReport(report)).toEqual({ valid: true });
    const trial = ok(report.trials[0]);
    expect(trial.stages.load?.count).toBe(20);
    expect(trial.inputs[0]).toMatchObject({ name: 'image', type: 'float32', dims: [3, 3, 64, 64] });
    expect(trial.inputs[0]?.source).toMatch(/^image pipeline on 4 files from test\/data\/pipeline\/images/);
    // total spans load + preprocess + inference + postprocess back to back.
    const { load, preprocess, inference, postprocess, total } = trial.stages;
    expect(total.meanMs).toBeCloseTo(load!.meanMs + preprocess.meanMs + inference.meanMs + postprocess.meanMs, 6);
  });

  test('--postprocess on synthetic inputs times postprocess and has no load stage', async () => {
    const trial = ok((await profile({ model: 'fixtures/cnn.onnx', postprocess: 'softmax,argmax', ...QUICK })).trials[0]);
    expect(trial.stages.load).toBeUndefined();
    expect(trial.stages.postprocess.count).toBe(20);
    expect(trial.inputs[0]?.source).toMatch(/^normal\(0,1\)/);
  });

  test('text data with a tokenizer feeds the transformer', async () => {
    const report = await profile({ model: 'fixtures/transformer.onnx', data: 'test/data/pipeline/text/sentences.txt', pipelineOptions: { tokenizer: 'test/data/pipeline/tokenizer.json' }, dims: { sequence: 16 }, ...QUICK });
    const trial = ok(report.trials[0]);
    expect(trial.inputs.map((i) => [i.name, i.type, i.dims])).toEqual([['input_ids', 'int64', [1, 16]], ['attention_mask', 'int64', [1, 16]]]);
  });

  test('a user pipeline module runs; one that throws is a failed trial naming stage and input', async () => {
    const good = ok((await profile({ model: 'fixtures/mlp.onnx', data: 'examples/pipelines/features.csv', pipeline: 'examples/pipelines/custom.mjs', ...QUICK })).trials[0]);
    expect(good.stages.load?.count).toBe(20);
    const dir = mkdtempSync(join(tmpdir(), 'inferbench-pipe-'));
    const broken = join(dir, 'broken.mjs');
    writeFileSync(broken, "export default { unit: 'line', extensions: ['.csv'], preprocess() { throw new Error('bad row'); } };\n");
    const report = await profile({ model: 'fixtures/mlp.onnx', data: 'examples/pipelines/features.csv', pipeline: broken, ...QUICK });
    const failed = report.trials[0];
    expect(failed).toMatchObject({ status: 'failed', phase: 'cold-start' });
    if (failed?.status === 'failed') expect(failed.error.message).toMatch(/failed in preprocess on .*features\.csv.*bad row/);
  });

  test('data no pipeline can read is a usage error before anything runs', async () => {
    expect((await rejection(profile({ model: 'fixtures/mlp.onnx', data: 'README.md', ...QUICK }))).code).toBe('usage');
  });
});
