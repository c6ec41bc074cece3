// What the backend that runs a trial can act on, asked of its runtime adapter, so that the
// classifier (analyze/, which never sees an adapter) gives only advice that can be followed there.
import type { RuntimeAdapter } from '../adapters/adapter.js';
import type { BackendCapabilities } from '../model/bottleneck.js';
import { PRECISIONS, type Precision } from '../types.js';

export async function backendCapabilities(adapter: RuntimeAdapter, device: string, logicalCores: number): Promise<BackendCapabilities> {
  const precisions: Precision[] = [];
  // tfjs computes in fp32 only; ONNX Runtime has no such limit (no precisionUnsupported).
  for (const precision of PRECISIONS) if (!(await adapter.precisionUnsupported?.(device, precision))) precisions.push(precision);
  // tfjs wasm and tfjs-cpu compute on one thread whatever is asked: asking for all cores shows it.
  const canSetThreads = !adapter.computeThreads || (await adapter.computeThreads(device, logicalCores)) === logicalCores;
  return { precisions, canSetThreads };
}
