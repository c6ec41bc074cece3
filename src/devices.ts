// listDevices(): what this machine and the installed runtimes can run, and why not the rest.
// Each runtime's packages say what they provide; a provider that claims to be there is probed
// (a tiny session on it) before it is called available. `inferbench devices` prints this.
import type { DeviceStatus, RuntimeAdapter } from './adapters/adapter.js';
import { messageOf } from './errors.js';
import { queryGpus, type GpuIdentity } from './sample/nvidia-smi.js';

export interface RuntimeDevices {
  runtime: string;
  version: string;
  devices: DeviceStatus[];
  /** Why the runtime itself could not be loaded (its package missing or broken); devices is empty. */
  error?: string;
}

export interface DeviceList {
  runtimes: RuntimeDevices[];
  /** NVIDIA GPUs nvidia-smi reports; empty with `gpuNote` saying why when there are none. */
  gpus: GpuIdentity[];
  gpuNote?: string;
}

export async function describeRuntime(adapter: RuntimeAdapter): Promise<RuntimeDevices> {
  try {
    return await probeAll(adapter);
  } catch (error) {
    // One runtime's package missing (a trimmed install) must not hide the other's devices.
    return { runtime: adapter.runtime, version: 'unavailable', devices: [], error: (messageOf(error).split('\n')[0] ?? '').trim() };
  }
}

async function probeAll(adapter: RuntimeAdapter): Promise<RuntimeDevices> {
  const listed = await adapter.devices();
  // Bundled is not the same as usable on this machine: probe what the packages say is there.
  const devices = await Promise.all(listed.map((d) => (d.available && adapter.probe ? adapter.probe(d.device) : d)));
  return { runtime: adapter.runtime, version: adapter.version(), devices };
}

export async function listDevices(): Promise<DeviceList> {
  const [{ onnxAdapter }, { tfAdapter }] = await Promise.all([import('./adapters/onnx.js'), import('./adapters/tf.js')]);
  const [runtimes, gpu] = await Promise.all([Promise.all([describeRuntime(onnxAdapter), describeRuntime(tfAdapter)]), queryGpus()]);
  return { runtimes, gpus: gpu.gpus, ...('note' in gpu && { gpuNote: gpu.note }) };
}
