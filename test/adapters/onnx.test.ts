import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { Session, SessionOptions } from '../../src/adapters/adapter.js';
import { onnxAdapter } from '../../src/adapters/onnx.js';
import { explainProbeFailure, vulkanLoaderPresent } from '../../src/adapters/onnx-probe.js';
import { runCli } from '../helpers/cli.js';
import { resolveAdapter } from '../../src/adapters/resolve.js';
import { rejection } from '../helpers/errors.js';

const CPU: SessionOptions = { device: 'cpu', intraOpThreads: 1, interOpThreads: null, graphOptimization: 'all' };
const fixture = (name: string): string => join('fixtures', name);
const scratch = mkdtempSync(join(tmpdir(), 'inferbench-onnx-'));
const open: Session[] = [];
async function openFixture(name: string, options: SessionOptions = CPU): Promise<Session> {
  const session = await onnxAdapter.open(fixture(name), options);
  open.push(session);
  return session;
}
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});

describe('model metadata', () => {
  test.each([
    ['mlp.onnx', [{ name: 'x', type: 'float32', shape: ['batch', 64] }], [{ name: 'logits', type: 'float32', shape: ['batch', 10] }]],
    ['cnn.onnx', [{ name: 'image', type: 'float32', shape: ['batch', 3, 64, 64] }], [{ name: 'scores', type: 'float32', shape: ['batch', 10] }]],
    [
      'transformer.onnx',
      [
        { name: 'input_ids', type: 'int64', shape: ['batch', 'sequence'] },
        { name: 'attention_mask', type: 'int64', shape: ['batch', 'sequence'] },
      ],
      [{ name: 'last_hidden_state', type: 'float32', shape: ['batch', 'sequence', 64] }],
    ],
    ['fixed.onnx', [{ name: 'x', type: 'float32', shape: [1, 16] }], [{ name: 'y', type: 'float32', shape: [1, 4] }]],
    ['div32.onnx', [{ name: 'image', type: 'float32', shape: [1, 3, null, null] }], [{ name: 'features', type: 'float32', shape: [1, 3, null, null] }]],
  ])('%s: inputs and outputs with symbolic dims by name, unnamed dims as null', async (name, inputs, outputs) => {
    const session = await openFixture(name);
    expect(session.info.inputs).toEqual(inputs);
    expect(session.info.outputs).toEqual(outputs);
  });

  test('types.onnx: every element type, and an unnamed dim', async () => {
    const { info } = await openFixture('types.onnx');
    const types = Object.fromEntries(info.inputs.map((i) => [i.name, i.type]));
    expect(types).toMatchObject({ f32: 'float32', f16: 'float16', f64: 'float64', i8: 'int8', u8: 'uint8', i16: 'int16', u16: 'uint16', i32: 'int32', u32: 'uint32', i64: 'int64', u64: 'uint64', b: 'bool' });
    expect(info.inputs.find((i) => i.name === 'anon')?.shape).toEqual([1, null]);
  });

  test('file facts: size, sha256, IR version, opsets, producer, node count', async () => {
    const { info } = await openFixture('cnn.onnx');
    const bytes = readFileSync(fixture('cnn.onnx'));
    expect(info.sizeBytes).toBe(bytes.length);
    expect(info.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(info.irVersion).toBe(8);
    expect(info.opsets).toContainEqual({ domain: 'ai.onnx', version: 17 });
    expect(info.producer).toContain('inferbench-fixtures');
    expect(info.nodeCount).toBeGreaterThan(5);
  });
});

describe('the three timed stages', () => {
  test('prepare → run → collect gives host outputs of the right shape', async () => {
    const session = await openFixture('mlp.onnx');
    const data = new Float32Array(2 * 64).fill(0.5);
    const outputs = session.collect(await session.run(session.prepare([{ name: 'x', type: 'float32', dims: [2, 64], data }])));
    expect(outputs).toHaveLength(1);
    expect(outputs[0]?.name).toBe('logits');
    expect(outputs[0]?.dims).toEqual([2, 10]);
    expect(Array.from(outputs[0]?.data as Float32Array).every(Number.isFinite)).toBe(true);
  });

  test('the same host tensors reuse their feeds; new tensors, data or dims are wrapped anew', async () => {
    const session = await openFixture('mlp.onnx');
    const data = new Float32Array(64).fill(0.5);
    const inputs = [{ name: 'x', type: 'float32' as const, dims: [1, 64], data }];
    const feeds = session.prepare(inputs);
    expect(session.prepare(inputs)).toBe(feeds);
    expect(session.prepare([...inputs])).not.toBe(feeds);
    const again = session.prepare(inputs);
    inputs[0]!.data = new Float32Array(64).fill(2);
    const changed = session.prepare(inputs) as Record<string, { data: Float32Array }>;
    expect(changed).not.toBe(again);
    expect(changed['x']!.data[0]).toBe(2);
    inputs[0]!.dims = [1, 64];
    expect(session.prepare(inputs)).not.toBe(changed);
    // The reused feeds still give the right answer on every request.
    const first = session.collect(await session.run(session.prepare(inputs)))[0]!.data as Float32Array;
    const second = session.collect(await session.run(session.prepare(inputs)))[0]!.data as Float32Array;
    expect(Array.from(second)).toEqual(Array.from(first));
  });

  test('session options reach the runtime: a disabled graph gives the same answer', async () => {
    const data = new Float32Array(64).map((_, i) => Math.sin(i));
    const input = [{ name: 'x', type: 'float32' as const, dims: [1, 64], data }];
    const run = async (s: Session): Promise<number[]> => Array.from(s.collect(await s.run(s.prepare(input)))[0]?.data as Float32Array);
    const optimised = await run(await openFixture('mlp.onnx'));
    const plain = await run(await openFixture('mlp.onnx', { ...CPU, graphOptimization: 'disabled', interOpThreads: 2 }));
    plain.forEach((v, i) => expect(v).toBeCloseTo(optimised[i]!, 4));
  });

  test('backend names the runtime version and provider', async () => {
    const session = await openFixture('mlp.onnx');
    expect(session.backend).toMatch(/^onnxruntime-node \d+\.\d+\.\d+ \(cpu\)$/);
    expect(onnxAdapter.version()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('bad models are clear errors', () => {
  test('missing file', async () => {
    const error = await rejection(onnxAdapter.open('fixtures/nope.onnx', CPU));
    expect(error.code).toBe('model-not-found');
    expect(error.message).toBe('model not found: fixtures/nope.onnx');
    expect(error.exitCode).toBe(3);
  });

  test('a directory', async () => {
    expect((await rejection(onnxAdapter.open('fixtures', CPU))).code).toBe('model-invalid');
  });

  test.each([
    ['truncated', readFileSync(fixture('cnn.onnx')).subarray(0, 5000)],
    ['text', Buffer.from('this is not a model\n'.repeat(20))],
    ['empty', Buffer.alloc(0)],
  ])('%s file', async (label, bytes) => {
    const path = join(scratch, `${label}.onnx`);
    writeFileSync(path, bytes);
    const error = await rejection(onnxAdapter.open(path, CPU));
    expect(error.code).toBe('model-invalid');
    expect(error.message).toContain(`${path} is not a valid ONNX model`);
    expect(error.hint).toBeTruthy();
  });

  test('a model path with another extension is refused up front', async () => {
    const error = await rejection(resolveAdapter('README.md'));
    expect(error.code).toBe('model-invalid');
    expect(error.hint).toContain('ONNX');
  });
});

describe('devices', () => {
  test('cpu is available; providers this binary lacks are listed with how to get them', async () => {
    const devices = await onnxAdapter.devices();
    expect(devices.find((d) => d.device === 'cpu')?.available).toBe(true);
    const cuda = devices.find((d) => d.device === 'cuda');
    expect(cuda?.available).toBe(false);
    expect(cuda?.detail).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12');
  });

  test('an unknown device and an unavailable one are errors naming them', async () => {
    const unknown = await rejection(onnxAdapter.open(fixture('mlp.onnx'), { ...CPU, device: 'tpu' }));
    expect(unknown.code).toBe('device-unavailable');
    expect(unknown.message).toBe("unknown device 'tpu'");
    const cuda = await rejection(onnxAdapter.open(fixture('mlp.onnx'), { ...CPU, device: 'cuda' }));
    expect(cuda.message).toMatch(/^device cuda unavailable: /);
  });

  test('a bundled provider is probed with a real session before it counts as available', async () => {
    expect(await onnxAdapter.probe!('cpu')).toMatchObject({ device: 'cpu', available: true });
    const webgpu = await onnxAdapter.probe!('webgpu');
    // Bundled in every onnxruntime-node 1.30 binary; usable only with a GPU adapter behind it.
    expect((await onnxAdapter.devices()).find((d) => d.device === 'webgpu')?.available).toBe(true);
    if (!webgpu.available) {
      expect(webgpu.detail).toMatch(/^in the installed binary, but cannot run here: /);
      const open = await rejection(onnxAdapter.open(fixture('mlp.onnx'), { ...CPU, device: 'webgpu' }));
      expect(open.code).toBe('device-unavailable');
      expect(open.message).toBe(`device webgpu unavailable: ${webgpu.detail}`);
    }
  });

  test.runIf(process.platform === 'linux' && !vulkanLoaderPresent())('without the Vulkan loader, WebGPU is unavailable without asking Dawn (whose warning reads like a stack trace)', async () => {
    const run = await runCli(['devices']);
    expect(run.stdout).toMatch(/no\s+webgpu\s+in the installed binary, but cannot run here: no Vulkan loader \(libvulkan\.so\.1\) found/);
    expect(run.stderr).not.toMatch(/Vulkan|BackendVk|\.cpp:\d+/);
  });

  test('probe failures are explained from ORT\'s own message', () => {
    const webgpu = '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters';
    expect(explainProbeFailure('webgpu', webgpu)).toBe('Failed to get a WebGPU adapter: No supported adapters');
    expect(explainProbeFailure('cuda', 'OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library\nmore'))
      .toBe('OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library — the cuda provider needs the CUDA 12 runtime, cuDNN and an NVIDIA driver (check nvidia-smi)');
  });
});
