// Whether an execution provider in the installed binary can really run here. Being bundled is not
// enough: the WebGPU EP needs a GPU adapter (through Vulkan on Linux), the CUDA EP needs the CUDA
// libraries and a driver. A one-node session on that provider alone answers it for ~2 ms, and the
// answer is cached for the process.
import { existsSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { messageOf } from '../errors.js';
import type { Ort } from './ort.js';

const { onnx } = onnxProto;

/** y = x + x on one float: the smallest graph every EP can place. */
function probeModel(): Uint8Array {
  const F = onnx.TensorProto.DataType.FLOAT;
  const value = (name: string) => ({ name, type: { tensorType: { elemType: F, shape: { dim: [{ dimValue: 1 }] } } } });
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: { name: 'inferbench-probe', node: [{ opType: 'Add', input: ['x', 'x'], output: ['y'] }], input: [value('x')], output: [value('y')] },
  }).finish();
}

export interface ProbeResult {
  ok: boolean;
  /** The runtime's own reason when it failed, with what to do about it when we know. */
  detail: string;
}

const cache = new Map<string, Promise<ProbeResult>>();

export function probeProvider(ort: Ort, provider: string): Promise<ProbeResult> {
  let result = cache.get(provider);
  if (!result) {
    result = runProbe(ort, provider);
    cache.set(provider, result);
  }
  return result;
}

/**
 * onnxruntime-node's Linux build of Dawn has the Vulkan backend only (its library holds
 * dawn/native/vulkan sources and no OpenGL ones), so without the Vulkan loader the WebGPU probe
 * can only fail, after Dawn prints a warning with a source line that reads like a stack trace.
 */
const NO_VULKAN = "no Vulkan loader (libvulkan.so.1) found: onnxruntime-node's WebGPU provider reaches the GPU through Vulkan on Linux; install it (e.g. apt-get install libvulkan1) with a GPU driver that provides Vulkan";

async function runProbe(ort: Ort, provider: string): Promise<ProbeResult> {
  if (provider === 'webgpu' && process.platform === 'linux' && !vulkanLoaderPresent()) return { ok: false, detail: NO_VULKAN };
  try {
    const session = await ort.InferenceSession.create(probeModel(), { executionProviders: [provider], logSeverityLevel: 4 });
    try {
      const x = new ort.Tensor('float32', new Float32Array([1]), [1]);
      const out = await session.run({ x });
      const y = out.y;
      // Read back, so that a provider that creates sessions but cannot execute is caught too.
      if (!y || (y.data as Float32Array)[0] !== 2) return { ok: false, detail: `a probe session on ${provider} returned a wrong result` };
    } finally {
      await session.release();
    }
    return { ok: true, detail: `a probe session ran on the ${provider} execution provider` };
  } catch (error) {
    return { ok: false, detail: explainProbeFailure(provider, messageOf(error)) };
  }
}

/** ORT's first line, less the source path and the failed assertion ("Failed to get a WebGPU adapter: ..."). */
export function explainProbeFailure(provider: string, message: string): string {
  const first = (message.split('\n')[0] ?? message).trim();
  const cause = first.replace(/^\/onnxruntime_src\/\S+\s+/, '').replace(/^.*\bwas false\.\s*/, '') || first;
  if (provider === 'cuda' || provider === 'tensorrt') return `${cause} — the ${provider} provider needs the CUDA 12 runtime, cuDNN and an NVIDIA driver (check nvidia-smi)`;
  return cause;
}

const VULKAN_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu', '/lib64', '/usr/local/lib'];

export function vulkanLoaderPresent(): boolean {
  if (process.platform !== 'linux') return true;
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), ...VULKAN_DIRS];
  return dirs.some((dir) => existsSync(`${dir}/libvulkan.so.1`));
}
