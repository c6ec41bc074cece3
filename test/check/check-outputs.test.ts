// --check-outputs: the allclose rule on known answers, and the real runtime on a fixture laid out
// as an ONNX backend test (model.onnx beside test_data_set_0/input_0.pb, output_0.pb).
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { onnxAdapter } from '../../src/adapters/onnx.js';
import { compareOutput } from '../../src/check/allclose.js';
import { checkOutputs } from '../../src/check/check-outputs.js';
import { encodeTensorProto } from '../../src/inputs/tensor-proto.js';
import type { HostTensor } from '../../src/adapters/adapter.js';
import { runCli, tempDir } from '../helpers/cli.js';

const f32 = (data: number[], dims = [data.length]): HostTensor => ({ name: 'y', type: 'float32', dims, data: new Float32Array(data) });

describe('compareOutput (numpy assert_allclose, rtol 1e-3, atol 1e-7)', () => {
  test('within atol + rtol·|expected| matches; beyond does not, counted and located', () => {
    expect(compareOutput(f32([1000, 0]), f32([1000.9, 5e-8])).status).toBe('match');
    const off = compareOutput(f32([1000, 0]), f32([1001.1, 2e-7]));
    expect(off).toMatchObject({ status: 'mismatch', mismatched: 2, elements: 2 });
    expect(off.detail).toContain('first: element 0');
  });
  test('NaN equals NaN, Inf only itself; shape and type differences are mismatches', () => {
    expect(compareOutput(f32([Number.NaN, Infinity]), f32([Number.NaN, Infinity])).status).toBe('match');
    expect(compareOutput(f32([Infinity]), f32([-Infinity])).status).toBe('mismatch');
    expect(compareOutput(f32([1, 2], [2]), f32([1, 2], [1, 2])).detail).toContain('shape [1, 2], expected [2]');
    expect(compareOutput(f32([1]), { name: 'y', type: 'int32', dims: [1], data: new Int32Array([1]) }).detail).toContain('type int32');
  });
  test('strings and bool must be equal', () => {
    const s = (v: string[]): HostTensor => ({ name: 's', type: 'string', dims: [v.length], data: v });
    expect(compareOutput(s(['a']), s(['a'])).status).toBe('match');
    expect(compareOutput(s(['a']), s(['b'])).status).toBe('mismatch');
  });
});

/** fixtures/mlp.onnx in the backend-test layout, its expected output computed by ORT here. */
async function backendLayout(perturb: number): Promise<string> {
  const dir = tempDir();
  copyFileSync('fixtures/mlp.onnx', join(dir, 'model.onnx'));
  const set = join(dir, 'test_data_set_0');
  mkdirSync(set);
  const x: HostTensor = { name: 'x', type: 'float32', dims: [1, 64], data: Float32Array.from({ length: 64 }, (_, i) => Math.sin(i)) };
  const session = await onnxAdapter.open(join(dir, 'model.onnx'), { device: 'cpu', intraOpThreads: 1, interOpThreads: null, graphOptimization: 'all' });
  const [y] = session.collect(await session.run(session.prepare([x])));
  await session.close();
  const expected = { ...y!, data: Float32Array.from(y!.data as Float32Array, (v, i) => (i === 3 ? v + perturb : v)) };
  writeFileSync(join(set, 'input_0.pb'), encodeTensorProto(x));
  writeFileSync(join(set, 'output_0.pb'), encodeTensorProto(expected));
  return dir;
}

describe('checkOutputs on the real runtime', () => {
  test('a faithful output_0.pb matches; a perturbed one is reported with the element', async () => {
    const good = await backendLayout(0);
    const ok = await checkOutputs(onnxAdapter, join(good, 'model.onnx'), good, { device: 'cpu', intraOpThreads: 1, interOpThreads: null, graphOptimization: 'all' });
    expect(ok.status).toBe('match');
    expect(ok.dataSets).toHaveLength(1);
    const bad = await backendLayout(0.5);
    const off = await checkOutputs(onnxAdapter, join(bad, 'model.onnx'), bad, { device: 'cpu', intraOpThreads: 1, interOpThreads: null, graphOptimization: 'all' });
    expect(off.status).toBe('mismatch');
    expect(off.dataSets[0]!.outputs[0]!.detail).toContain('1 of 10 elements out of tolerance (first: element 3');
  });

  test('the CLI: shipped inputs via --data, --check-outputs; a mismatch exits 1 and says so', async () => {
    const good = await backendLayout(0);
    const args = ['-n', '10', '-w', '2', '--no-sample', '--no-save'];
    const ok = await runCli(['profile', join(good, 'model.onnx'), '--data', good, '--check-outputs', ...args]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Outputs match output_*.pb in 1 of 1 test data set');
    const bad = await backendLayout(0.5);
    const off = await runCli(['profile', join(bad, 'model.onnx'), '--check-outputs', ...args]);
    expect(off.code).toBe(1);
    expect(off.stdout).toContain('Outputs DO NOT match');
    expect(off.stderr).toContain('--check-outputs: the outputs do not match');
  }, 60_000);

  test('no test data set is a usage error', async () => {
    const run = await runCli(['profile', 'fixtures/mlp.onnx', '--check-outputs', '--no-save', '-n', '5']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no test_data_set_N directory in fixtures');
  });
});
