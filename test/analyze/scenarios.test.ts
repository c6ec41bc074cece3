// Labelled bottleneck scenarios run for real through profile() at default flags (per-operator
// profile and roofline on, sampling every 100 ms; only the bounds are short): each is built to be
// one kind, and its label and confidence are asserted. A confidence ≥ 0.8 claims the label is
// right, so each scenario's label is exact; its confidence may drop on a busy machine (threads
// starved, far under the roof) but must stay meaningful. (GPU-bound runs on recorded nvidia-smi
// samples in classify.test.ts: no GPU here.)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { profile, type ProfileOptions } from '../../src/profile.js';
import type { TrialOk, TrialResult } from '../../src/types.js';
import { writeMatMulModel } from '../helpers/matmul-model.js';

const dir = mkdtempSync(join(tmpdir(), 'inferbench-scenario-'));
const children: ChildProcess[] = [];
afterAll(() => {
  children.forEach((c) => c.kill('SIGKILL'));
  rmSync(dir, { recursive: true, force: true }); // the GEMV weights are 128 MB
});

/** Defaults but for the bounds: 1 s of measurement gives ~10 samples at the default 100 ms. */
const DEFAULTS: Partial<ProfileOptions> = { warmup: { kind: 'count', iterations: 5 }, measure: { kind: 'time', ms: 1000 } };

function ok(trial: TrialResult | undefined): TrialOk {
  if (trial?.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(trial)}`);
  return trial;
}

/** The label, and a confidence that means it: at least `floor`, whatever the machine's load. */
function expectLabel(trial: TrialOk, label: string, floor: number): void {
  expect(trial.bottleneck?.label).toBe(label);
  expect(trial.bottleneck?.confidence).toBeGreaterThanOrEqual(floor);
  expect(trial.bottleneck?.confidence).toBeLessThanOrEqual(1);
}

/** A module reading one CSV row of 64 floats per item for fixtures/mlp.onnx; `spinMs` of CPU work in preprocess. */
function rowPipeline(name: string, spinMs: number): string {
  const path = join(dir, name);
  writeFileSync(path, `export default {
  name: '${name}', extensions: ['.csv', '.fifo'],
  preprocess(items) {
    const end = performance.now() + ${spinMs};
    while (performance.now() < end);
    const data = new Float32Array(items.length * 64);
    items.forEach((item, i) => new TextDecoder().decode(item.bytes).split(',').slice(0, 64).forEach((v, j) => (data[i * 64 + j] = Number(v))));
    return [{ name: 'x', type: 'float32', dims: [items.length, 64], data }];
  },
};\n`);
  return path;
}

const ROW = Array.from({ length: 64 }, (_, i) => (i / 64).toFixed(3)).join(',');

// The first scenario pays the run's calibration and the GEMV writes and loads 128 MB: seconds on a
// quiet machine, much longer on a loaded one.
describe('labelled scenarios at default flags', { timeout: 180_000 }, () => {
  test('heavy CPU preprocess → cpu-bound, preprocess named as the stage', async () => {
    const csv = join(dir, 'rows.csv');
    writeFileSync(csv, `${ROW}\n`);
    // --data-cache keeps the one-row file in memory: on a saturated machine its per-iteration read
    // queues for libuv's thread pool and looks like waiting, which is not what this scenario tests.
    const report = await profile({ model: 'fixtures/mlp.onnx', data: csv, dataCache: true, pipeline: rowPipeline('spin.mjs', 3), ...DEFAULTS });
    const trial = ok(report.trials[0]);
    const { bottleneck } = trial;
    expectLabel(trial, 'cpu-bound', 0.7); // preprocess is ~all of the request, and CPU by construction (0.79 seen at load 10)
    expect(bottleneck?.stages[0]).toMatchObject({ stage: 'preprocess', label: 'cpu-bound' });
    expect(bottleneck?.stages[0]?.share).toBeGreaterThan(0.5);
    expect(bottleneck?.summary).toMatch(/^preprocess is CPU-bound/);
    expect(bottleneck?.recommendations.map((r) => r.id)).toContain('offload-preprocess');
  });

  test('real images through the image pipeline: decoding dominates → cpu-bound, preprocess first', async () => {
    const report = await profile({ model: 'fixtures/cnn.onnx', data: 'test/data/pipeline/images', pipeline: 'image', batch: 2, ...DEFAULTS });
    const trial = ok(report.trials[0]);
    expectLabel(trial, 'cpu-bound', 0.5);
    expect(trial.bottleneck?.stages[0]).toMatchObject({ stage: 'preprocess', label: 'cpu-bound' });
    expect(trial.roofline?.bound).toBe('compute'); // the model itself, placed on the roofline by default
  });

  test.runIf(process.platform === 'linux')('input that waits on a slow stream → io-bound (no iowait: the process sat idle)', async () => {
    const fifo = join(dir, 'stream.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // The writer hands over one row every 15 ms, like a slow socket or pipe.
    const writer = spawn(process.execPath, ['-e', `const fs = require('fs'); (async () => { for (;;) { await new Promise((r) => setTimeout(r, 15)); fs.writeFileSync(${JSON.stringify(fifo)}, ${JSON.stringify(`${ROW}\n`)}); } })();`], { stdio: 'ignore' });
    children.push(writer);
    const report = await profile({ model: 'fixtures/mlp.onnx', data: fifo, pipeline: rowPipeline('rows.mjs', 0), threads: 1, ...DEFAULTS });
    const trial = ok(report.trials[0]);
    expect(trial.stages.load!.p50Ms).toBeGreaterThan(trial.stages.inference.p50Ms);
    expectLabel(trial, 'io-bound', 0.5);
    expect(trial.bottleneck?.stages[0]).toMatchObject({ stage: 'load', label: 'io-bound', rules: ['load-share', 'load-wait'] });
    expect(trial.bottleneck?.recommendations.map((r) => r.id)).toEqual(expect.arrayContaining(['prefetch-inputs']));
  });

  test('cache-resident weights at batch 1 (a 16 MiB GEMV), low arithmetic intensity → memory-bound', async () => {
    const trial = ok((await profile({ model: writeMatMulModel(join(dir, 'gemv16.onnx'), 2048, 2048), ...DEFAULTS })).trials[0]);
    expect(trial.cost?.arithmeticIntensity).toBeLessThan(1); // 2·n² FLOP over 4·n² weight bytes ≈ 0.5
    expect(trial.roofline?.bound).toBe('memory');
    expectLabel(trial, 'memory-bound', 0.55);
    expect(trial.bottleneck?.stages[0]).toMatchObject({ stage: 'inference', label: 'memory-bound' });
  });

  test('x [1, 4096] @ W [4096, 8192] fp32 (128 MB of weights, 4× the L3) → memory-bound', async () => {
    const trial = ok((await profile({ model: writeMatMulModel(join(dir, 'gemv.onnx'), 4096, 8192), ...DEFAULTS })).trials[0]);
    expect(trial.spec.id).toBe('cpu fp32 batch=1 threads=auto');
    expect(trial.roofline?.bound).toBe('memory');
    expectLabel(trial, 'memory-bound', 0.55);
    expect(trial.bottleneck?.recommendations.map((r) => r.id)).toContain('increase-batch');
  });

  test('x [256, 1024] @ W [1024, 1024] (a GEMM at batch 256) → cpu-bound, above the ridge', async () => {
    const trial = ok((await profile({ model: writeMatMulModel(join(dir, 'gemm.onnx'), 1024, 1024), batch: 256, ...DEFAULTS })).trials[0]);
    expect(trial.roofline?.bound).toBe('compute');
    expect(trial.cost?.arithmeticIntensity).toBeGreaterThan(trial.roofline!.machineBalance);
    expectLabel(trial, 'cpu-bound', 0.55);
    expect(trial.bottleneck?.stages[0]).toMatchObject({ stage: 'inference', label: 'cpu-bound' });
  });

  test('the bundled CNN → cpu-bound (compute, above the ridge)', async () => {
    const trial = ok((await profile({ model: 'fixtures/cnn.onnx', ...DEFAULTS })).trials[0]);
    expect(trial.roofline?.bound).toBe('compute');
    expectLabel(trial, 'cpu-bound', 0.55);
  });
});
