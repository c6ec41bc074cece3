// Labelled bottleneck scenarios run for real through profile(): each is built to be one kind,
// and its label is asserted. (GPU-bound runs on recorded nvidia-smi samples in classify.test.ts:
// no GPU here.)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, describe, expect, test } from 'vitest';
import { profile, type ProfileOptions } from '../../src/profile.js';
import type { TrialOk, TrialResult } from '../../src/types.js';

const { onnx } = onnxProto;
const dir = mkdtempSync(join(tmpdir(), 'inferbench-scenario-'));
const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

const QUICK: Partial<ProfileOptions> = { sampleIntervalMs: 20, warmup: { kind: 'count', iterations: 3 } };

function ok(trial: TrialResult | undefined): TrialOk {
  if (trial?.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(trial)}`);
  return trial;
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

describe('labelled scenarios', () => {
  test('heavy CPU preprocess → cpu-bound, preprocess named as the stage', async () => {
    const csv = join(dir, 'rows.csv');
    writeFileSync(csv, `${ROW}\n`);
    const report = await profile({ model: 'fixtures/mlp.onnx', data: csv, pipeline: rowPipeline('spin.mjs', 3), ...QUICK, measure: { kind: 'count', iterations: 60 } });
    const { bottleneck } = ok(report.trials[0]);
    expect(bottleneck?.label).toBe('cpu-bound');
    expect(bottleneck?.stages[0]).toMatchObject({ stage: 'preprocess', label: 'cpu-bound' });
    expect(bottleneck?.stages[0]?.share).toBeGreaterThan(0.5);
    expect(bottleneck?.summary).toMatch(/^preprocess is CPU-bound/);
    expect(bottleneck?.recommendations.map((r) => r.id)).toContain('offload-preprocess');
  });

  test.runIf(process.platform === 'linux')('input that waits on a slow stream → io-bound (no iowait: the process sat idle)', async () => {
    const fifo = join(dir, 'stream.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // The writer hands over one row every 15 ms, like a slow socket or pipe.
    const writer = spawn(process.execPath, ['-e', `const fs = require('fs'); (async () => { for (;;) { await new Promise((r) => setTimeout(r, 15)); fs.writeFileSync(${JSON.stringify(fifo)}, ${JSON.stringify(`${ROW}\n`)}); } })();`], { stdio: 'ignore' });
    children.push(writer);
    const report = await profile({ model: 'fixtures/mlp.onnx', data: fifo, pipeline: rowPipeline('rows.mjs', 0), threads: 1, ...QUICK, measure: { kind: 'count', iterations: 25 } });
    const { bottleneck, stages } = ok(report.trials[0]);
    expect(stages.load!.p50Ms).toBeGreaterThan(stages.inference.p50Ms);
    expect(bottleneck?.label).toBe('io-bound');
    expect(bottleneck?.stages[0]).toMatchObject({ stage: 'load', label: 'io-bound', rules: ['load-share', 'load-wait'] });
    expect(bottleneck?.recommendations.map((r) => r.id)).toEqual(expect.arrayContaining(['prefetch-inputs']));
  });

  test('large weights at batch 1, low arithmetic intensity → memory-bound (roofline)', async () => {
    const n = 2048;
    const weights = new Float32Array(n * n).map((_, i) => ((i % 7) - 3) / 64);
    const model = {
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'gemv',
        node: [{ name: 'matmul', opType: 'MatMul', input: ['x', 'w'], output: ['y'] }],
        initializer: [{ name: 'w', dims: [n, n], dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(weights.buffer) }],
        input: [{ name: 'x', type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: n }] } } } }],
        output: [{ name: 'y', type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: n }] } } } }],
      },
    };
    const path = join(dir, 'gemv.onnx');
    writeFileSync(path, onnx.ModelProto.encode(model).finish());
    const report = await profile({ model: path, opProfile: true, calibrationCache: join(dir, 'calibration.json'), ...QUICK, measure: { kind: 'count', iterations: 50 } });
    const trial = ok(report.trials[0]);
    expect(trial.cost?.arithmeticIntensity).toBeLessThan(1); // 2·n² FLOP over 4·n² weight bytes ≈ 0.5
    expect(trial.roofline?.bound).toBe('memory');
    expect(trial.bottleneck?.label).toBe('memory-bound');
    expect(trial.bottleneck?.stages[0]).toMatchObject({ stage: 'inference', label: 'memory-bound' });
  });
});
