// listDevices(): what this machine and the installed runtimes can run, and why not the rest.
// Each runtime's packages say what they provide; a provider that claims to be there is probed
// (a tiny session on it) before it is called available. `inferbench devices` prints this.
import type { DeviceStatus, RuntimeAdapter } from './adapters/adapter.js';
import { queryGpus, type GpuIdentity } from './sample/nvidia-smi.js';

export interface RuntimeDevices {
  runtime: string;
  version: string;
  devices: DeviceStatus[];
}

export interface DeviceList {
  runtimes: RuntimeDevices[];
  /** NVIDIA GPUs nvidia-smi reports; empty with `gpuNote` saying why when there are none. */
  gpus: GpuIdentity[];
  gpuNote?: string;
}

async function describe(adapter: RuntimeAdapter): Promise<RuntimeDevices> {
  const listed = await adapter.devices();
  // Bundled is not the same as usable on this machine: probe what the packages say is there.
  const devices = await Promise.all(listed.map((d) => (d.available && adapter.probe ? adapter.probe(d.device) : d)));
  return { runtime: adapter.runtime, version: adapter.version(), devices };
}

export async function listDevices(): Promise<DeviceList> {
  const [{ onnxAdapter }, { tfAdapter }] = await Promise.all([import('./adapters/onnx.js'), import('./adapters/tf.js')]);
  const [runtimes, gpu] = await Promise.all([Promise.all([describe(onnxAdapter), describe(tfAdapter)]), queryGpus()]);
  return { runtimes, gpus: gpu.gpus, ...('note' in gpu && { gpuNote: gpu.note }) };
}
